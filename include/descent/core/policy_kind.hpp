#pragma once
/// The kinds of policy an optimizer's pack can hold; each policy declares one.

namespace descent {

/// Where a policy acts in a step. Every member of an optimizer's policy pack has
/// `static constexpr PolicyKind kind`. The regularizer kinds (coupled, decoupled, proximal) are
/// described in regularizers/kind.hpp; the others:
/// - gradient_transform: `template <class G> auto transform(const G& g) const`, an element-wise
///   Eigen expression of the raw gradient chunk (clip by value), fused into the pass;
/// - norm_clip: `double max_norm() const` and `static constexpr bool global`; the step first
///   reads every gradient once to get the L2 norms, then scales each block's gradient by
///   min(1, max_norm / (norm + 1e-6)) inside the pass (torch.nn.utils.clip_grad_norm_);
/// - finite_check: `NonFinite action() const`; the same read pass decides whether a gradient
///   holds NaN or Inf, and the step raises, skips, or proceeds;
/// - average: a per-block running average of the values, updated in the pass, right after the
///   update (`template <class A, class P> void update(A& average, const P& value, std::int64_t
///   count) const` with count = updates averaged so far, and `std::int64_t start() const`).
enum class PolicyKind {
  coupled,
  decoupled,
  proximal,
  gradient_transform,
  norm_clip,
  finite_check,
  average
};

/// True for the kinds that are regularizers (skipped on blocks with regularize(false)).
constexpr bool is_regularizer(PolicyKind kind) {
  return kind == PolicyKind::coupled || kind == PolicyKind::decoupled ||
         kind == PolicyKind::proximal;
}

}  // namespace descent
