// expected-error: descent: a block must be contiguous; a strided view cannot be registered
#include <descent/descent.hpp>

int main() {
  Eigen::VectorXf storage = Eigen::VectorXf::Ones(8), g = Eigen::VectorXf::Zero(4);
  Eigen::Map<Eigen::VectorXf, 0, Eigen::InnerStride<2>> every_other(storage.data(), 4);
  descent::Adam<float> opt;
  opt.add("w", every_other, g);
}
