// expected-error: descent: a block must be contiguous; a strided view cannot be registered
// A row of a fixed-size column-major matrix has its stride in the type, so it fails to compile.
#include <descent/descent.hpp>

int main() {
  Eigen::Matrix3f w = Eigen::Matrix3f::Ones();
  Eigen::RowVector3f g = Eigen::RowVector3f::Zero();
  descent::Adam<float> opt;
  opt.add("row", w.row(0), g);
}
