#pragma once
/// Decoupled weight decay, as in AdamW and SGDW.

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/regularizers/kind.hpp"

namespace descent {

/// WeightDecay, decoupled (Loshchilov & Hutter, 2019), exactly as torch.optim.AdamW:
///   p <- p * (1 - lr * decay) - lr * update(g)
/// in the same statement as the rule's update; lr is the block's learning rate of this step,
/// and the decay acts on the pre-update value. Several decays multiply their factors.
/// Penalty (decay / 2) * sum p^2 by convention: the objective plain SGD with this decay
/// minimizes (where it equals L2(decay)); adaptive rules minimize no such penalty.
class WeightDecay {
 public:
  static constexpr RegularizerKind kind = RegularizerKind::decoupled;

  /// `decay` defaults to 1e-2, torch.optim.AdamW's weight_decay; must be finite and >= 0.
  explicit WeightDecay(double decay = 1e-2) : decay_(decay) {
    detail::require_non_negative("WeightDecay", "decay", decay);
  }
  double decay() const { return decay_; }

  /// (decay / 2) * sum p^2, accumulated in double.
  template <class P>
  double penalty(const Eigen::ArrayBase<P>& value) const {
    return 0.5 * decay_ * value.template cast<double>().square().sum();
  }

 private:
  double decay_;
};

}  // namespace descent
