// expected-error: descent: a temporary Matrix or Array cannot be registered
#include <descent/descent.hpp>

int main() {
  Eigen::MatrixXf dw = Eigen::MatrixXf::Zero(3, 2);
  descent::Adam<float> opt;
  opt.add("w", Eigen::MatrixXf(3, 2), dw);
}
