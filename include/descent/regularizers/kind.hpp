#pragma once
/// The regularizer concept: the three ways a regularizer enters the fused update.

#include "descent/core/policy_kind.hpp"

namespace descent {

/// Where a regularizer acts in the optimizer's single pass over a block.
///
/// A regularizer is a small copyable policy with `static constexpr RegularizerKind kind` and
/// `template <class P> double penalty(const Eigen::ArrayBase<P>& value) const`, plus, by kind:
/// - coupled:   `template <class P> auto gradient_term(const Eigen::ArrayBase<P>& value) const`,
///              an Eigen expression added to the gradient before the rule sees it (L1, L2);
/// - decoupled: `double decay() const`; the value is scaled by (1 - lr * decay) in the same
///              statement that applies the rule's update (AdamW's weight decay);
/// - proximal:  `template <class P> void prox(Eigen::ArrayBase<P>& value, double lr) const`,
///              applied to the chunk just updated, while it is still in cache (soft-threshold L1).
/// Within one step, with lr the block's rate (schedule times lr_multiplier):
///   g_eff = g + sum of coupled terms;  p <- p * prod(1 - lr * decay) - lr * update(g_eff);
///   then each proximal step, in pack order. Regularizers: regularizers/regularizers.hpp;
///   formulas and penalty conventions: docs/regularizers.md.
/// Blocks registered with `BlockOptions().regularize(false)` skip every regularizer.
using RegularizerKind = PolicyKind;

}  // namespace descent
