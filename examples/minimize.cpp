// Minimizes Rosenbrock with full-batch GD, then fits logistic regression with minibatch SGD.
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/problems/problems.hpp>
#include <iostream>

int main() {
  // A plain objective over one vector: double f(const VectorXd& x, VectorXd& grad).
  descent::problems::Rosenbrock rosenbrock(2);
  Eigen::VectorXd x = rosenbrock.start<double>();  // (-1.2, 1)
  descent::GD gd(descent::GDOptions().max_iterations(20000).gradient_tolerance(1e-8));
  descent::Result r = gd.minimize(rosenbrock, x, descent::Adam<double>(descent::AdamOptions(0.05)));
  std::cout << "Rosenbrock: x = " << x.transpose() << " after " << r.iterations << " iterations ("
            << r.message() << ")\n";

  // A separable objective (mean loss over a minibatch of examples), with a progress bar.
  descent::problems::LogisticRegression data(2000, 10, /*seed=*/1);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(data.dimension());  // weights, then bias
  descent::SGD sgd(descent::SGDOptions().epochs(30).batch_size(32).seed(7));
  descent::ProgressBar progress;  // stderr; redraws in place on a terminal
  r = sgd.minimize(data, theta, descent::Momentum<double>(descent::MomentumOptions(0.01)),
                   progress);
  std::cout << "logistic regression: loss " << r.loss << ", accuracy " << data.accuracy(theta)
            << "\n";
  return (x - rosenbrock.minimizer<double>()).norm() < 1e-4 && r.loss < 0.5 ? 0 : 1;
}
