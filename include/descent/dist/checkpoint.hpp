#pragma once
/// Checkpoints in a distributed run: written by one rank, loaded by all (the file is read once
/// and its bytes broadcast, so the ranks need no shared file system).

#include <exception>
#include <string>

#include <mpi.h>

#include "descent/checkpoint/checkpoint.hpp"
#include "descent/checkpoint/error.hpp"
#include "descent/dist/collective.hpp"
#include "descent/dist/environment.hpp"

namespace descent::dist {

/// Collective: `root` (rank 0 by default) saves `checkpoint` to `path` atomically; the others
/// wait. If the save fails, every rank throws CheckpointError with root's reason.
inline void save_checkpoint(const Checkpoint& checkpoint, const std::string& path,
                            MPI_Comm comm = MPI_COMM_WORLD, int root = 0) {
  std::string error;
  if (rank(comm) == root) {
    try {
      checkpoint.save(path);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error";
    }
  }
  detail::broadcast_bytes(error, comm, root);
  if (!error.empty()) throw CheckpointError(error);
}

/// Collective: `root` reads `path`, every rank loads its bytes into its own `checkpoint`. Each
/// rank checks and stages everything before changing anything, as Checkpoint::load does; if
/// reading or loading fails on any rank, every rank throws CheckpointError naming the ranks and
/// reasons. (With the ranks' optimizers checked equal by a GradientAverager, a load fails on
/// all ranks or on none, since all parse the same bytes.)
inline CheckpointReport load_checkpoint(Checkpoint& checkpoint, const std::string& path,
                                        LoadMode mode = LoadMode::strict,
                                        MPI_Comm comm = MPI_COMM_WORLD, int root = 0) {
  std::string bytes, error;
  if (rank(comm) == root) {
    try {
      bytes = descent::detail::read_whole_file(path);
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  detail::broadcast_bytes(error, comm, root);
  if (!error.empty()) throw CheckpointError(error);
  detail::broadcast_bytes(bytes, comm, root);
  CheckpointReport report;
  std::string problem;
  try {
    report = checkpoint.from_bytes(bytes, mode, "checkpoint \"" + path + "\"");
  } catch (const std::exception& e) {
    problem = e.what();
  }
  const std::string message = detail::agree_on_problems(
      problem, "descent::dist: loading checkpoint \"" + path + "\" failed", comm);
  if (!message.empty()) throw CheckpointError(message);
  return report;
}

}  // namespace descent::dist
