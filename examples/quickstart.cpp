// Fits y = W x + b by least squares with Adam: the README's quick start.
#include <descent/descent.hpp>
#include <iostream>

int main() {
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(3, 256);        // 256 inputs, as columns
  Eigen::MatrixXd Y = (2.0 * X.topRows(2)).array() + 1.0;     // targets: W = [2I 0], b = 1
  Eigen::MatrixXd W = Eigen::MatrixXd::Zero(2, 3), dW(2, 3);  // parameters, gradients
  Eigen::VectorXd b = Eigen::VectorXd::Zero(2), db(2);

  descent::Adam<double> opt(descent::AdamOptions(0.05).betas(0.9, 0.999));
  opt.add("linear.weight", W, dW);
  opt.add("linear.bias", b, db, descent::BlockOptions().regularize(false));
  for (int t = 0; t < 1000; ++t) {
    Eigen::MatrixXd R = (W * X).colwise() + b - Y;  // residuals
    dW = R * X.transpose() / 256.0;                 // gradient of mean |R|^2 / 2
    db = R.rowwise().mean();
    opt.step();  // one fused pass, no allocation
  }
  std::cout << "W =\n" << W << "\nb = " << b.transpose() << "\n";
  return (W.leftCols(2) - 2.0 * Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-3 ? 0 : 1;
}
