// expected-error: descent: a block needs storage of its own; an expression such as W * 2 has none
#include <descent/descent.hpp>

int main() {
  Eigen::MatrixXf w = Eigen::MatrixXf::Ones(3, 2), dw = Eigen::MatrixXf::Zero(3, 2);
  descent::Adam<float> opt;
  opt.add("w", w * 2, dw);
}
