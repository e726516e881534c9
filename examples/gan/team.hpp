#pragma once
// The GAN demo's processes: one, or several launched by mpirun (data parallelism). Each process
// trains the same networks on its own shards of every batch; gradients and losses are averaged
// across processes with descent's dist module. Built without MPI, or run without mpirun, a Team
// is one process and every call here is trivial.

#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <descent/checkpoint/checkpoint.hpp>
#include <descent/random/rng.hpp>

#ifdef DESCENT_GAN_MPI
#include <descent/dist/mpi.hpp>
#endif

namespace gan {

/// How many processes mpirun (Open MPI, MPICH, PMIx launchers) started, from the environment;
/// 1 when not launched by one.
inline int launched_processes() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(name)) return std::max(1, std::atoi(value));
  }
  return 1;
}

/// The processes of a run. MPI is initialized only when mpirun started more than one process,
/// so a plain run needs no MPI runtime.
class Team {
 public:
  /// One process.
  Team() = default;
  /// Joins the processes mpirun started (initializing MPI), or is one process.
  Team(int& argc, char**& argv) {
    if (launched_processes() < 2) return;
#ifdef DESCENT_GAN_MPI
    mpi_ = std::make_unique<descent::dist::Environment>(argc, argv);
    rank_ = descent::dist::rank();
    ranks_ = descent::dist::size();
#else
    (void)argc;
    (void)argv;
    throw std::runtime_error(
        "gan: launched as one of several processes, but built without MPI (install "
        "libopenmpi-dev and rebuild)");
#endif
  }

  int rank() const { return rank_; }
  int ranks() const { return ranks_; }
  bool root() const { return rank_ == 0; }

  /// A function that averages `optimizer`'s gradients across the processes (nothing with one
  /// process). Collective when called: checks that every process built the same networks and
  /// broadcasts rank 0's parameters.
  template <class Opt>
  std::function<void()> averager(Opt& optimizer) const {
    if (ranks_ == 1) return [] {};
#ifdef DESCENT_GAN_MPI
    auto averager = std::make_shared<descent::dist::GradientAverager<Opt>>(optimizer);
    return [averager] { averager->average(); };
#else
    (void)optimizer;
    return [] {};
#endif
  }

  /// Replaces values[0..n) by their mean over the processes.
  void mean(double* values, int n) const {
    if (ranks_ == 1) return;
#ifdef DESCENT_GAN_MPI
    descent::dist::detail::check(
        MPI_Allreduce(MPI_IN_PLACE, values, n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
        "MPI_Allreduce");
    for (int i = 0; i < n; ++i) values[i] /= double(ranks_);
#else
    (void)values;
    (void)n;
#endif
  }

  /// Gives every process `owner`'s state of `rng`.
  void share(descent::Rng& rng, int owner) const {
    if (ranks_ == 1) return;
#ifdef DESCENT_GAN_MPI
    std::string state = rng.state();
    descent::dist::detail::broadcast_bytes(state, MPI_COMM_WORLD, owner);
    rng.set_state(state);
#else
    (void)rng;
    (void)owner;
#endif
  }

  /// Saves on rank 0 (atomically); every process throws if that fails.
  void save(const descent::Checkpoint& checkpoint, const std::string& path) const {
#ifdef DESCENT_GAN_MPI
    if (ranks_ > 1) return descent::dist::save_checkpoint(checkpoint, path);
#endif
    checkpoint.save(path);
  }

  /// Loads on every process what rank 0 reads (strict).
  void load(descent::Checkpoint& checkpoint, const std::string& path) const {
#ifdef DESCENT_GAN_MPI
    if (ranks_ > 1) {
      descent::dist::load_checkpoint(checkpoint, path);
      return;
    }
#endif
    checkpoint.load(path);
  }

 private:
#ifdef DESCENT_GAN_MPI
  std::unique_ptr<descent::dist::Environment> mpi_;
#endif
  int rank_ = 0, ranks_ = 1;
};

}  // namespace gan
