// A user's program built against the installed descent package.
#include <descent/descent.hpp>

#include <cmath>
#include <cstdio>

int main() {
  Eigen::VectorXd x = Eigen::VectorXd::Constant(4, 3.0);
  Eigen::VectorXd g(4);
  descent::Adam<double> opt(descent::AdamOptions(0.1));
  opt.add("x", x, g);
  for (int t = 0; t < 500; ++t) {
    g = 2.0 * x;  // gradient of |x|^2
    opt.step();
  }
  std::printf("|x| after 500 Adam steps: %g\n", x.norm());
  return x.norm() < 1e-2 ? 0 : 1;
}
