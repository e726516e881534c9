// expected-error: descent: a block must be writable (not const)
#include <descent/descent.hpp>

int main() {
  Eigen::MatrixXf w = Eigen::MatrixXf::Ones(3, 2), dw = Eigen::MatrixXf::Zero(3, 2);
  Eigen::Map<const Eigen::MatrixXf> read_only(w.data(), 3, 2);
  descent::Adam<float> opt;
  opt.add("w", read_only, dw);
}
