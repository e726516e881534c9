#pragma once
/// A rule's kernel on its own: one step over a raw buffer, without an optimizer.

#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/chunks.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// One update of `rule` on `value` with gradient `gradient` (same size) and `state` (from
/// `rule.template init<Scalar>(size)`), at learning rate `lr`; advances `state.steps`.
template <class Rule, class Scalar>
void apply(const Rule& rule, FlatView<Scalar> value, FlatView<Scalar> gradient,
           typename Rule::template State<Scalar>& state, double lr) {
  if (value.size() != gradient.size()) {
    throw std::invalid_argument(std::string(Rule::name) + ": gradient size " +
                                std::to_string(gradient.size()) + " differs from value size " +
                                std::to_string(value.size()));
  }
  detail::require_non_negative(Rule::name, "lr", lr);
  ++state.steps;
  const auto kernel = rule.kernel(state, lr, 1.0);
  for_each_chunk<Scalar>(value.size(), [&](Eigen::Index begin, Eigen::Index length) {
    FlatView<Scalar> p(value.data() + begin, length);
    kernel(p, FlatView<Scalar>(gradient.data() + begin, length), begin);
  });
}

}  // namespace descent
