// Fits y = W x + b by least squares with Adam: the README's quick start.
#include <descent/descent.hpp>
#include <cstdio>

int main() {
  const Eigen::MatrixXd X = Eigen::MatrixXd::Random(3, 256);           // 256 inputs, as columns
  const Eigen::MatrixXd Y = 2.0 * X.topRows(2) + Eigen::MatrixXd::Ones(2, 256);  // targets
  Eigen::MatrixXd W = Eigen::MatrixXd::Zero(2, 3), dW(2, 3);           // parameters and gradients
  Eigen::VectorXd b = Eigen::VectorXd::Zero(2), db(2);

  descent::Adam<double> opt(descent::AdamOptions(0.05).betas(0.9, 0.999));
  opt.add("linear.weight", W, dW);
  opt.add("linear.bias", b, db, descent::BlockOptions().regularize(false));

  for (int t = 0; t < 1000; ++t) {
    const Eigen::MatrixXd R = (W * X).colwise() + b - Y;  // residuals
    dW = R * X.transpose() / 256.0;                        // gradient of the mean of |R|^2 / 2
    db = R.rowwise().mean();
    opt.step();                                            // one fused pass, no allocation
  }
  std::printf("W =\n%6.3f %6.3f %6.3f\n%6.3f %6.3f %6.3f\nb = %.3f %.3f\n", W(0, 0), W(0, 1),
              W(0, 2), W(1, 0), W(1, 1), W(1, 2), b(0), b(1));
  return (W.leftCols(2) - 2.0 * Eigen::MatrixXd::Identity(2, 2)).norm() < 1e-3 ? 0 : 1;
}
