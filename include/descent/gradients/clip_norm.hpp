#pragma once
/// Gradient-norm clipping, per block or over all blocks (torch.nn.utils.clip_grad_norm_).

#include "descent/core/policy_kind.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// Rescales the gradients so that their L2 norm is at most max_norm:
///   g <- g * min(1, max_norm / (norm + 1e-6))
/// with `norm` the norm of each block (Global = false) or of all blocks together (Global = true,
/// the semantics of torch.nn.utils.clip_grad_norm_). The norm needs one read pass over the
/// gradients before the update: 4 bytes per float parameter, 8 per double. The scaling itself
/// is fused into the update; the user's gradient arrays are not written.
template <bool Global>
class ClipNormPolicy {
 public:
  static constexpr PolicyKind kind = PolicyKind::norm_clip;
  static constexpr bool global = Global;

  explicit ClipNormPolicy(double max_norm) : max_norm_(max_norm) {
    detail::require_positive(Global ? "ClipGlobalNorm" : "ClipNorm", "max_norm", max_norm);
  }
  double max_norm() const { return max_norm_; }
  /// The factor applied to gradients whose norm is `norm`.
  double scale(double norm) const {
    const double coefficient = max_norm_ / (norm + 1e-6);
    return coefficient < 1.0 ? coefficient : 1.0;
  }

 private:
  double max_norm_;
};

/// Clips each block's gradient to L2 norm max_norm.
using ClipNorm = ClipNormPolicy<false>;
/// Clips the concatenation of all gradients to L2 norm max_norm (clip_grad_norm_).
using ClipGlobalNorm = ClipNormPolicy<true>;

}  // namespace descent
