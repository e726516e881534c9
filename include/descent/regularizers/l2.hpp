#pragma once
/// L2 regularization as a coupled gradient term (PyTorch's `weight_decay` in SGD and Adam).

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/regularizers/kind.hpp"

namespace descent {

/// L2, coupled: adds lambda * p to the gradient, so the rule sees g + lambda * p (adaptive
/// rules then rescale the term, unlike WeightDecay). Penalty (lambda / 2) * sum p^2, the
/// function whose gradient is lambda * p.
class L2 {
 public:
  static constexpr RegularizerKind kind = RegularizerKind::coupled;

  /// Throws std::invalid_argument unless `lambda` is finite and >= 0.
  explicit L2(double lambda) : lambda_(lambda) {
    detail::require_non_negative("L2", "lambda", lambda);
  }
  double lambda() const { return lambda_; }

  /// lambda * p, an expression evaluated inside the rule's pass.
  template <class P>
  auto gradient_term(const Eigen::ArrayBase<P>& value) const {
    using Scalar = typename P::Scalar;
    return Scalar(lambda_) * value;
  }
  /// (lambda / 2) * sum p^2, accumulated in double.
  template <class P>
  double penalty(const Eigen::ArrayBase<P>& value) const {
    return 0.5 * lambda_ * value.template cast<double>().square().sum();
  }

 private:
  double lambda_;
};

}  // namespace descent
