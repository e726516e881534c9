// Adam + linear warm-up + cosine decay + L2 + L1 + global-norm clipping + an EMA of the weights,
// composed at compile time, fitting a sparse linear model: the README's composition example.
#include <descent/descent.hpp>
#include <iostream>

int main() {
  using Schedule = descent::Warmup<descent::Cosine>;
  descent::Adam<double, Schedule, descent::L2, descent::L1, descent::ClipGlobalNorm, descent::Ema>
      opt(descent::AdamOptions(0.05).betas(0.9, 0.999),
          Schedule(/*warmup_steps=*/100, descent::Cosine(/*total_steps=*/1900)), descent::L2(1e-4),
          descent::L1(1e-3), descent::ClipGlobalNorm(1.0), descent::Ema(0.99));

  Eigen::MatrixXd X = Eigen::MatrixXd::Random(20, 512);  // 512 inputs of 20 features
  Eigen::RowVectorXd w_true = Eigen::RowVectorXd::Zero(20);
  w_true.head(3) << 1.5, -2.0, 0.5;  // only three features matter
  const Eigen::RowVectorXd y = w_true * X;
  Eigen::RowVectorXd w = Eigen::RowVectorXd::Zero(20), dw(20);
  opt.add("linear.weight", w, dw);

  for (int t = 0; t < 2000; ++t) {
    dw = (w * X - y) * X.transpose() / 512.0;  // gradient of the mean squared error / 2
    opt.step();
  }
  opt.swap_averages();  // evaluate the averaged weights
  std::cout << "averaged w = " << w << "\npenalty = " << opt.penalty()
            << ", last gradient norm = " << opt.last_gradient_norm() << "\n";
  return (w - w_true).cwiseAbs().maxCoeff() < 0.02 ? 0 : 1;
}
