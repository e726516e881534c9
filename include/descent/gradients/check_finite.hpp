#pragma once
/// What a step does when a gradient holds NaN or Inf.

#include <stdexcept>
#include <string>

#include "descent/core/policy_kind.hpp"

namespace descent {

/// Action on a non-finite gradient.
enum class NonFinite {
  raise,   ///< throw NonFiniteGradient; parameters and state unchanged
  skip,    ///< do nothing, count the skipped step, do not advance the step counter
  proceed  ///< update anyway (what happens without a CheckFinite policy)
};

/// Thrown by a step under CheckFinite(NonFinite::raise); names the block, element and value.
class NonFiniteGradient : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Checks every gradient before the update, in the same read pass that norm clipping uses
/// (4 bytes per float parameter, 8 per double; shared with ClipNorm/ClipGlobalNorm when both are
/// composed). On "raise" and "skip", parameters and all optimizer state stay bit-for-bit as they
/// were (the check runs before anything is written).
class CheckFinite {
 public:
  static constexpr PolicyKind kind = PolicyKind::finite_check;

  explicit CheckFinite(NonFinite action = NonFinite::raise) : action_(action) {}
  NonFinite action() const { return action_; }

 private:
  NonFinite action_;
};

}  // namespace descent
