#pragma once
/// Clipping every gradient element into [-clip, clip], fused into the update pass.

#include "descent/core/policy_kind.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// Clamps each gradient element to [-clip, clip] (torch.nn.utils.clip_grad_value_), as part of
/// the update's expression: the user's gradient arrays are read, never written.
class ClipValue {
 public:
  static constexpr PolicyKind kind = PolicyKind::gradient_transform;

  explicit ClipValue(double clip) : clip_(clip) {
    detail::require_positive("ClipValue", "clip", clip);
  }
  double clip() const { return clip_; }

  template <class G>
  auto transform(const G& g) const {
    using Scalar = typename G::Scalar;
    return g.max(Scalar(-clip_)).min(Scalar(clip_));
  }

 private:
  double clip_;
};

}  // namespace descent
