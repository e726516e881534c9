// expected: compiles
// The harness's control: the same flags and includes accept valid registrations, so a failure
// of the other files is theirs, not the harness's.
#include <descent/descent.hpp>

int main() {
  Eigen::MatrixXf w = Eigen::MatrixXf::Ones(3, 2), dw = Eigen::MatrixXf::Zero(3, 2);
  Eigen::Matrix3f f = Eigen::Matrix3f::Ones(), df = Eigen::Matrix3f::Zero();
  Eigen::VectorXf v = Eigen::VectorXf::Ones(6), dv = Eigen::VectorXf::Zero(6);
  descent::Adam<float> opt(descent::AdamOptions(1e-3));
  opt.add("w", w, dw);
  opt.add("f_col", f.col(0), df.col(0));
  opt.add(
      "v",
      Eigen::Map<Eigen::VectorXf, 0, Eigen::InnerStride<>>(v.data(), 6, Eigen::InnerStride<>(1)),
      Eigen::Map<Eigen::VectorXf, 0, Eigen::InnerStride<1>>(dv.data(), 6));
  opt.step();
  descent::Sgd<double> sgd;
  return static_cast<int>(sgd.num_blocks());
}
