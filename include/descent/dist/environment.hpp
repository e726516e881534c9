#pragma once
/// MPI's lifetime (Environment), a communicator's rank and size, and the MPI datatype of a
/// scalar.

#include <type_traits>

#include <mpi.h>

#include "descent/dist/error.hpp"

namespace descent::dist {

/// Initializes MPI for the program's lifetime unless something else already did, and
/// finalizes it on destruction only if it initialized it. Create one in main():
///
///   descent::dist::Environment mpi(argc, argv);
///
/// Thread level: MPI_THREAD_FUNNELED (only the main thread calls MPI; OpenMP kernels are fine).
class Environment {
 public:
  Environment(int& argc, char**& argv) {
    int initialized = 0;
    detail::check(MPI_Initialized(&initialized), "MPI_Initialized");
    if (initialized == 0) {
      int provided = 0;
      detail::check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided),
                    "MPI_Init_thread");
      owner_ = true;
    }
  }
  Environment() {
    int initialized = 0;
    detail::check(MPI_Initialized(&initialized), "MPI_Initialized");
    if (initialized == 0) {
      int provided = 0;
      detail::check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided),
                    "MPI_Init_thread");
      owner_ = true;
    }
  }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  ~Environment() {
    int finalized = 0;
    if (owner_ && MPI_Finalized(&finalized) == MPI_SUCCESS && finalized == 0) MPI_Finalize();
  }

 private:
  bool owner_ = false;
};

/// This process's rank in `comm`.
inline int rank(MPI_Comm comm = MPI_COMM_WORLD) {
  int r = 0;
  detail::check(MPI_Comm_rank(comm, &r), "MPI_Comm_rank");
  return r;
}

/// The number of processes in `comm`.
inline int size(MPI_Comm comm = MPI_COMM_WORLD) {
  int n = 0;
  detail::check(MPI_Comm_size(comm, &n), "MPI_Comm_size");
  return n;
}

/// MPI_FLOAT or MPI_DOUBLE.
template <class Scalar>
MPI_Datatype datatype() {
  static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                "descent::dist: Scalar must be float or double");
  return std::is_same<Scalar, float>::value ? MPI_FLOAT : MPI_DOUBLE;
}

}  // namespace descent::dist
