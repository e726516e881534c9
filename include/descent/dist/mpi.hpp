#pragma once
/// descent's distributed part: data-parallel training over MPI. Optional: nothing else in the
/// library includes it; link the CMake target descent::mpi (find_package(MPI) underneath).
///
///   descent::dist::Environment mpi(argc, argv);
///   ... build the model and optimizer the same way on every rank ...
///   descent::dist::GradientAverager averager(opt);  // checks layouts, broadcasts parameters
///   for (...) {
///     compute gradients on this rank's shard;
///     averager.average();                            // in place: sum over ranks / ranks
///     opt.step();                                    // the same step on every rank
///   }
///   descent::dist::check_consistent(opt);            // replicas still bit-identical?
///   descent::dist::save_checkpoint(checkpoint, path); // rank 0 writes, all ranks wait

#include "descent/dist/checkpoint.hpp"
#include "descent/dist/collective.hpp"
#include "descent/dist/consistency.hpp"
#include "descent/dist/environment.hpp"
#include "descent/dist/error.hpp"
#include "descent/dist/gradient_averager.hpp"
#include "descent/dist/layout.hpp"
