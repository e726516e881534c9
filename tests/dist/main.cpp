// The distributed tests' main: MPI is initialized around the Catch2 session, and the process
// fails if the tests failed on any rank, so mpirun's exit code speaks for all of them.
#include "catch_session.hpp"

#include <descent/dist/mpi.hpp>

int main(int argc, char** argv) {
  descent::dist::Environment mpi(argc, argv);
  const int failed = descent_test::run_catch(argc, argv) != 0 ? 1 : 0;
  int any_failed = failed;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any_failed;
}
