// expected-error: descent: a block must be writable (not const)
#include <descent/descent.hpp>

int main() {
  const Eigen::MatrixXf w = Eigen::MatrixXf::Ones(3, 2);
  Eigen::MatrixXf dw = Eigen::MatrixXf::Zero(3, 2);
  descent::Adam<float> opt;
  opt.add("w", w, dw);
}
