#pragma once
/// L1 regularization as a proximal step (soft-thresholding), which yields exact zeros.

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/regularizers/kind.hpp"

namespace descent {

/// ProximalL1, proximal: after the rule's update of each chunk, soft-thresholds every value
///   p <- sign(p) * max(|p| - lr * lambda, 0)
/// where lr is the block's learning rate of this step (schedule and lr_multiplier applied);
/// the proximal operator of lr * lambda * |p| (ISTA; Beck & Teboulle, 2009).
/// Values within lr * lambda of zero become exactly +0. Penalty lambda * sum |p|.
class ProximalL1 {
 public:
  static constexpr RegularizerKind kind = RegularizerKind::proximal;

  /// Throws std::invalid_argument unless `lambda` is finite and >= 0.
  explicit ProximalL1(double lambda) : lambda_(lambda) {
    detail::require_non_negative("ProximalL1", "lambda", lambda);
  }
  double lambda() const { return lambda_; }

  /// Soft-thresholds `value` in place by lr * lambda.
  template <class P>
  void prox(Eigen::ArrayBase<P>& value, double lr) const {
    using Scalar = typename P::Scalar;
    const Scalar threshold = Scalar(lr * lambda_);
    // max(p - t, 0) + min(p + t, 0) is the soft threshold without sign() or abs(), and its
    // zeros are +0 (sign(p) * 0 would give -0 for negative p).
    value = (value - threshold).max(Scalar(0)) + (value + threshold).min(Scalar(0));
  }
  /// lambda * sum |p|, accumulated in double.
  template <class P>
  double penalty(const Eigen::ArrayBase<P>& value) const {
    return lambda_ * value.template cast<double>().abs().sum();
  }

 private:
  double lambda_;
};

}  // namespace descent
