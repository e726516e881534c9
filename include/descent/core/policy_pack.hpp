#pragma once
/// Compile-time helpers over an optimizer's policy pack: each builds one piece of the fused pass.

#include <cstddef>
#include <tuple>

#include "descent/core/policy_kind.hpp"

namespace descent::detail {

/// Number of policies of kind K in the pack.
template <PolicyKind K, class... Policies>
constexpr std::size_t count_kind = ((Policies::kind == K ? 1 : 0) + ... + 0);

template <class P>
constexpr bool is_global_clip() {
  if constexpr (P::kind == PolicyKind::norm_clip) {
    return P::global;
  } else {
    return false;
  }
}

/// True when the pack holds a global (all-blocks) norm clip.
template <class... Policies>
constexpr bool has_global_norm_clip = (is_global_clip<Policies>() || ... || false);

/// g with every gradient_transform policy applied, in pack order (an expression, never stored).
template <class G>
G transformed(const G& g) {
  return g;
}
template <class G, class P, class... Rest>
auto transformed(const G& g, const P& policy, const Rest&... rest) {
  if constexpr (P::kind == PolicyKind::gradient_transform) {
    return transformed(policy.transform(g), rest...);
  } else {
    return transformed(g, rest...);
  }
}

/// g plus every coupled regularizer's term of the value p (an expression, never stored).
template <class G, class V>
G with_coupled_terms(const G& g, const V& /*p*/) {
  return g;
}
template <class G, class V, class P, class... Rest>
auto with_coupled_terms(const G& g, const V& p, const P& policy, const Rest&... rest) {
  if constexpr (P::kind == PolicyKind::coupled) {
    return with_coupled_terms(g + policy.gradient_term(p), p, rest...);
  } else {
    return with_coupled_terms(g, p, rest...);
  }
}

/// (1 - lr * decay) for a decoupled regularizer, 1 for any other policy.
template <class P>
double decay_factor(const P& policy, double lr) {
  if constexpr (P::kind == PolicyKind::decoupled) {
    return 1.0 - lr * policy.decay();
  } else {
    return 1.0;
  }
}

/// The product of (1 - lr * decay) over the decoupled regularizers.
template <class... Policies>
double decoupled_keep(const std::tuple<Policies...>& policies, double lr) {
  double keep = 1.0;
  std::apply([&](const auto&... policy) { ((keep *= decay_factor(policy, lr)), ...); }, policies);
  return keep;
}

/// Runs a proximal regularizer on the chunk p just updated; other policies do nothing.
template <class P, class V>
void proximal_step(const P& policy, V& p, double lr) {
  if constexpr (P::kind == PolicyKind::proximal) policy.prox(p, lr);
}

/// Runs every proximal regularizer on the chunk p just updated, in pack order.
template <class V, class... Policies>
void apply_proximal(const std::tuple<Policies...>& policies, V& p, double lr) {
  std::apply([&](const auto&... policy) { (proximal_step(policy, p, lr), ...); }, policies);
}

/// A regularizer's penalty of a block's value; 0 for other policies.
template <class P, class V>
double penalty_of(const P& policy, const V& value) {
  if constexpr (is_regularizer(P::kind)) {
    return policy.penalty(value);
  } else {
    return 0.0;
  }
}

/// The sum of the regularizers' penalties of one block's value.
template <class V, class... Policies>
double total_penalty(const std::tuple<Policies...>& policies, const V& value) {
  double total = 0.0;
  std::apply([&](const auto&... policy) { ((total += penalty_of(policy, value)), ...); }, policies);
  return total;
}

/// The position of the first policy of kind K in the pack (the pack must hold one).
template <PolicyKind K, class... Policies>
constexpr std::size_t index_of_kind() {
  constexpr bool matches[] = {false, (Policies::kind == K)...};
  std::size_t index = 1;
  while (!matches[index]) ++index;
  return index - 1;
}

}  // namespace descent::detail
