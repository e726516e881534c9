#pragma once
/// Rosenbrock: the n-dimensional Rosenbrock function, a curved valley with its minimum at ones.

#include <Eigen/Core>

#include "descent/detail/format.hpp"

namespace descent::problems {

/// f(x) = sum_{i=0}^{n-2} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 (Rosenbrock, 1960; the
/// "extended" chained form). Global minimum f = 0 at x = (1, ..., 1); for n >= 4 there is also
/// a local minimum near (-1, 1, ..., 1), which the standard start (-1.2, 1, -1.2, 1, ...) avoids.
/// A differentiable objective: computed in double, the gradient cast to the vector's scalar.
class Rosenbrock {
 public:
  /// n >= 2 (std::invalid_argument otherwise).
  explicit Rosenbrock(Eigen::Index n = 2) : n_(n) {
    if (n < 2) detail::throw_setting("Rosenbrock", "n", ">= 2", double(n));
  }

  Eigen::Index dimension() const { return n_; }

  /// The loss at x; assigns its gradient to `grad` (resized to x's size if needed).
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& x,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) const {
    grad.resize(x.size());
    double loss = 0.0;
    double carried = 0.0;  // d/dx_i of the term i-1, which involves x_i as x_{(i-1)+1}
    for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
      const double xi = double(x[i]), next = double(x[i + 1]);
      const double valley = next - xi * xi, slope = 1.0 - xi;
      loss += 100.0 * valley * valley + slope * slope;
      grad[i] = Scalar(carried - 400.0 * xi * valley - 2.0 * slope);
      carried = 200.0 * valley;
    }
    grad[x.size() - 1] = Scalar(carried);
    return loss;
  }

  /// The standard start (-1.2, 1, -1.2, 1, ...).
  template <class Scalar>
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> start() const {
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> x(n_);
    for (Eigen::Index i = 0; i < n_; ++i) x[i] = i % 2 == 0 ? Scalar(-1.2) : Scalar(1);
    return x;
  }
  /// The global minimizer (1, ..., 1).
  template <class Scalar>
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> minimizer() const {
    return Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Ones(n_);
  }
  /// The global minimum, 0.
  static constexpr double minimum() { return 0.0; }

 private:
  Eigen::Index n_;
};

}  // namespace descent::problems
