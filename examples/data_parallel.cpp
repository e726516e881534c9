// Data-parallel least squares over MPI: every process fits the same y = W x + b on its own
// shard of the data; gradients are averaged before each step, so all replicas take the same
// steps. Run: mpirun -np 2 build/examples/data_parallel   (needs MPI: descent::mpi)
#include <cstdlib>
#include <descent/descent.hpp>
#include <descent/dist/mpi.hpp>
#include <iostream>

int main(int argc, char** argv) {
  descent::dist::Environment mpi(argc, argv);
  const int rank = descent::dist::rank(), ranks = descent::dist::size();

  // This process's shard: 256 inputs of its own (seeded by rank), targets W = [2I 0], b = 1.
  std::srand(unsigned(1 + rank));
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(3, 256);
  Eigen::MatrixXd Y = (2.0 * X.topRows(2)).array() + 1.0;
  Eigen::MatrixXd W = Eigen::MatrixXd::Random(2, 3), dW(2, 3);  // differs per rank until setup
  Eigen::VectorXd b = Eigen::VectorXd::Zero(2), db(2);

  descent::Adam<double> opt(descent::AdamOptions(0.05));
  opt.add("linear.weight", W, dW);
  opt.add("linear.bias", b, db);
  descent::dist::GradientAverager<descent::Adam<double>> averager(opt);  // W, b from rank 0
  for (int t = 0; t < 1000; ++t) {
    Eigen::MatrixXd R = (W * X).colwise() + b - Y;
    dW = R * X.transpose() / 256.0;  // this shard's gradient
    db = R.rowwise().mean();
    averager.average();  // the mean over all shards, on every rank
    opt.step();
  }
  descent::dist::check_consistent(opt);  // every rank holds the same bits (throws if not)
  if (rank == 0)
    std::cout << ranks << " processes\nW =\n" << W << "\nb = " << b.transpose() << "\n";
  return (W.leftCols(2) - 2.0 * Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-3 ? 0 : 1;
}
