#pragma once
/// A rule's kernel on its own: one step over a raw buffer, without an optimizer.

#include <cstddef>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/chunks.hpp"
#include "descent/core/state_arena.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// A rule's state for one block of `size` elements with storage of its own, for `apply`
/// (an optimizer keeps its blocks' states in its arena instead). It is the rule's State (same
/// members: `steps` and the state arrays, as views of this object's storage); movable, not
/// copyable (copy the arrays to keep their values).
template <class Rule, class Scalar>
class RuleState : public Rule::template State<Scalar> {
 public:
  RuleState(const Rule& rule, Eigen::Index size) {
    detail::place_state(rule, static_cast<typename Rule::template State<Scalar>&>(*this), size,
                        static_cast<const Scalar*>(nullptr), arena_);
  }
  RuleState(RuleState&&) noexcept = default;  // the slabs move with it: the views stay valid
  // Assignment would copy values through the views into storage of another size, then free it.
  RuleState& operator=(RuleState&&) = delete;
  RuleState(const RuleState&) = delete;
  RuleState& operator=(const RuleState&) = delete;

 private:
  detail::StateArena<Scalar> arena_;
};

/// One update of `rule` on `value` with gradient `gradient` (same size) and `state` (a
/// `RuleState<Rule, Scalar>(rule, size)`), at learning rate `lr`; advances `state.steps`.
template <class Rule, class Scalar>
void apply(const Rule& rule, FlatView<Scalar> value, FlatView<Scalar> gradient,
           typename Rule::template State<Scalar>& state, double lr) {
  if (value.size() != gradient.size()) {
    throw std::invalid_argument(std::string(Rule::name) + ": gradient size " +
                                std::to_string(gradient.size()) + " differs from value size " +
                                std::to_string(value.size()));
  }
  detail::require_non_negative(Rule::name, "lr", lr);
  // The state's arrays must be those `rule` gives a block of this size (a state made for
  // another size, or under options with other arrays, would be read out of bounds).
  Eigen::Index expected[8] = {};
  std::size_t count = 0;
  typename Rule::template State<Scalar> layout;
  rule.template init<Scalar>(layout, value.size(), [&](FlatView<Scalar>&, Eigen::Index n) {
    if (count < 8) expected[count] = n;
    ++count;
  });
  std::size_t k = 0;
  Rule::template State<Scalar>::visit(state, [&](const char* name, const FlatView<Scalar>& array) {
    const Eigen::Index want = k < 8 ? expected[k] : -1;
    ++k;
    if (array.size() != want) {
      throw std::invalid_argument(std::string(Rule::name) + ": state array \"" + name + "\" has " +
                                  std::to_string(array.size()) + " elements, the rule needs " +
                                  std::to_string(want) + " for a value of size " +
                                  std::to_string(value.size()));
    }
  });
  ++state.steps;
  const auto kernel = rule.kernel(state, lr, 1.0);
  // Nothing follows the rule's pass: long ranges (core/chunks.hpp).
  for_each_chunk<Scalar, range_elements<Scalar>>(
      value.size(), [&](Eigen::Index begin, Eigen::Index length) {
        FlatView<Scalar> p(value.data() + begin, length);
        kernel(p, FlatView<Scalar>(gradient.data() + begin, length), begin);
      });
}

}  // namespace descent
