// expected-error: descent: the block's scalar type differs from the optimizer's Scalar
#include <descent/descent.hpp>

int main() {
  Eigen::MatrixXd w = Eigen::MatrixXd::Ones(3, 2), dw = Eigen::MatrixXd::Zero(3, 2);
  descent::Adam<float> opt;
  opt.add("w", w, dw);
}
