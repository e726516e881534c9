#pragma once
/// Quadratic: a convex quadratic bowl with a chosen condition number.

#include <cmath>

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/random/rng.hpp"

namespace descent::problems {

/// f(x) = 1/2 sum_i h_i (x_i - c_i)^2 with curvatures h_i = condition^(i / (n - 1)), spaced
/// geometrically from 1 to `condition` (so the Hessian's condition number is `condition`), and
/// a center c drawn uniformly from [-1, 1) by Rng(seed). Minimum f = 0 at x = c. The Hessian is
/// diagonal (axis-aligned), which favours per-coordinate rules such as Adam.
/// A differentiable objective: computed in double, the gradient cast to the vector's scalar.
class Quadratic {
 public:
  /// n >= 1, condition finite and >= 1 (std::invalid_argument otherwise).
  Quadratic(Eigen::Index n, double condition, std::uint64_t seed = 1) : curvature_(n), center_(n) {
    if (n < 1) detail::throw_setting("Quadratic", "n", ">= 1", double(n));
    if (!(condition >= 1.0) || std::isinf(condition)) {
      detail::throw_setting("Quadratic", "condition", "finite and >= 1", condition);
    }
    Rng rng(seed);
    for (Eigen::Index i = 0; i < n; ++i) {
      curvature_[i] = n == 1 ? 1.0 : std::pow(condition, double(i) / double(n - 1));
      center_[i] = rng.uniform(-1.0, 1.0);
    }
  }

  Eigen::Index dimension() const { return center_.size(); }
  const Eigen::VectorXd& curvatures() const { return curvature_; }

  /// The loss at x; assigns its gradient to `grad` (resized to x's size if needed).
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& x,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) const {
    grad.resize(x.size());
    double loss = 0.0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double d = double(x[i]) - center_[i];
      loss += 0.5 * curvature_[i] * d * d;
      grad[i] = Scalar(curvature_[i] * d);
    }
    return loss;
  }

  /// The start used by the tests: the origin.
  template <class Scalar>
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> start() const {
    return Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Zero(dimension());
  }
  /// The minimizer c.
  template <class Scalar>
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> minimizer() const {
    return center_.template cast<Scalar>();
  }
  /// The minimum, 0.
  static constexpr double minimum() { return 0.0; }

 private:
  Eigen::VectorXd curvature_;
  Eigen::VectorXd center_;
};

}  // namespace descent::problems
