#pragma once
// Central finite differences for the network module's gradient checks (double precision).

#include <algorithm>
#include <cmath>
#include <functional>

#include <Eigen/Core>

namespace descent_test {

/// Numerical gradient of `loss` with respect to every element of `x` (perturbed in place and
/// restored): (loss(x + h e_i) - loss(x - h e_i)) / (2 h).
template <class M>
M numerical_gradient(M& x, const std::function<double()>& loss, double h = 1e-6) {
  M grad(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double saved = x.data()[i];
    x.data()[i] = saved + h;
    const double up = loss();
    x.data()[i] = saved - h;
    const double down = loss();
    x.data()[i] = saved;
    grad.data()[i] = (up - down) / (2.0 * h);
  }
  return grad;
}

/// ||a - b|| / max(||a||, ||b||), the relative error of two gradients (0 when both are zero).
template <class A, class B>
double relative_error(const A& a, const B& b) {
  const double scale = std::max(a.norm(), b.norm());
  return scale == 0.0 ? 0.0 : (a - b).norm() / scale;
}

}  // namespace descent_test
