#pragma once
/// The R1 gradient penalty on the discriminator (Mescheder, Geiger & Nowozin, 2018):
///   P = (gamma / 2) * mean over the real inputs x of |grad_x D(x)|^2,
/// D(x) the logit. It keeps D flat where the data are, so D's gradient keeps pointing generated
/// samples towards modes they have left, instead of a steep wall around the covered ones.
///
/// For an MLP whose hidden layers are LeakyReLU(slope) and whose output layer is linear, the
/// input gradient of column n is a product of matrices with fixed 0/1-like masks:
///   grad_x D = W_1^T M_1 W_2^T M_2 ... M_{L-1} W_L^T,   M_l = diag(f'(z_l)) in {1, slope},
/// so P is a polynomial in the weights (the masks do not move under a small change) and its
/// weight gradients come from one more backward-like sweep (no second derivative of f, which is
/// zero almost everywhere). Biases get no gradient (P does not depend on them away from kinks).
///   delta_{L-1} = M_{L-1} W_L^T,  delta_{l-1} = M_{l-1} (W_l^T delta_l),  u = W_1^T delta_1
///   t_0 = (gamma / N) u,  dP/dW_l = delta_l t_{l-1}^T,  t_l = M_l (W_l t_{l-1}),
///   dP/dW_L = (sum over the columns of t_{L-1})^T  (layers numbered from 1 here, from 0 in
///   the code)
/// The masks are read from the layers' outputs of the last forward (f(z) > 0 exactly when
/// z > 0 for slope > 0), so call it after D's forward on a batch whose first `cols` columns
/// are the real inputs, and after D's backward (it adds to the weight gradients backward wrote).

#include <Eigen/Core>
#include <stdexcept>
#include <vector>

#include <descent/nn/mlp.hpp>

namespace gan {

/// The buffers of one penalty computation (reused: no allocation after the first call).
template <class Scalar>
struct PenaltyBuffers {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  std::vector<Matrix> delta, mask;  // per hidden layer
  std::vector<Matrix> t;            // t_0 .. t_{L-1}
  Matrix u;
};

/// Adds dP/dW to every weight gradient of `d` and returns P, for the first `cols` columns of
/// the last forward (hidden layers LeakyReLU(`slope`), output layer linear with one unit).
template <class Scalar, class Dropout>
double add_r1_penalty(descent::nn::Mlp<Scalar, Dropout>& d, Eigen::Index cols, double gamma,
                      double slope, PenaltyBuffers<Scalar>& b) {
  if (d.size() < 2 || d.layer(d.size() - 1).out() != 1) {
    throw std::invalid_argument(
        "gan: the R1 penalty needs a discriminator with a hidden layer "
        "and one output unit");
  }
  const std::size_t last = d.size() - 1;  // the output layer
  if (cols == 0 || gamma == 0.0) return 0.0;
  b.delta.resize(last);
  b.mask.resize(last);
  b.t.resize(last + 1);
  for (std::size_t l = 0; l < last; ++l) {
    const auto out = d.layer(l).output().leftCols(cols).array();
    b.mask[l].resize(out.rows(), cols);
    b.mask[l].array() =  // 1 where f(z) > 0, else slope
        (out > Scalar(0)).template cast<Scalar>() * Scalar(1.0 - slope) + Scalar(slope);
  }
  // Backward sweep: delta_l = dD/d(output of hidden layer l) times its mask, per column.
  const auto& w_out = d.layer(last).weight();  // 1 x h
  b.delta[last - 1] = b.mask[last - 1].array().colwise() * w_out.transpose().array().col(0);
  for (std::size_t l = last - 1; l > 0; --l) {
    b.delta[l - 1].resize(d.layer(l).weight().cols(), cols);
    b.delta[l - 1].noalias() = d.layer(l).weight().transpose() * b.delta[l];
    b.delta[l - 1].array() *= b.mask[l - 1].array();
  }
  b.u.resize(d.layer(0).weight().cols(), cols);
  b.u.noalias() = d.layer(0).weight().transpose() * b.delta[0];
  const double penalty = 0.5 * gamma * double(b.u.squaredNorm()) / double(cols);

  // Forward sweep of the penalty's gradient.
  b.t[0] = Scalar(gamma / double(cols)) * b.u;
  for (std::size_t l = 0; l < last; ++l) {
    auto& layer = d.layer(l);
    layer.weight_grad().noalias() += b.delta[l] * b.t[l].transpose();
    b.t[l + 1].resize(layer.weight().rows(), cols);
    b.t[l + 1].noalias() = layer.weight() * b.t[l];
    b.t[l + 1].array() *= b.mask[l].array();
  }
  d.layer(last).weight_grad().noalias() += b.t[last].rowwise().sum().transpose();
  return penalty;
}

}  // namespace gan
