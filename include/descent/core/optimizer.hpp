#pragma once
/// Optimizer<Scalar, Rule, Schedule, Regularizers...>: owns the per-block state of a rule and
/// updates the user's registered parameters in place, one fused pass per block.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/block_options.hpp"
#include "descent/core/chunks.hpp"
#include "descent/detail/format.hpp"
#include "descent/regularizers/kind.hpp"
#include "descent/schedules/constant.hpp"

namespace descent {

/// An optimizer: a rule (the math), a schedule (the learning rate of step t) and a pack of
/// regularizers, over blocks registered by name.
///
/// Ownership: the user owns parameters and gradients; the optimizer keeps views (see Block).
/// Threads: one optimizer must not be used from two threads at once; optimizers over disjoint
/// parameters are independent and may step concurrently. There is no global state.
/// Errors: every failing call throws before changing anything (strong guarantee).
template <class Scalar, class Rule, class Schedule = Constant, class... Regularizers>
class Optimizer {
  static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                "descent: Scalar must be float or double");

 public:
  using scalar_type = Scalar;
  using rule_type = Rule;
  using schedule_type = Schedule;
  using Options = typename Rule::Options;
  using State = typename Rule::template State<Scalar>;

  /// Validates `options` (std::invalid_argument naming the setting and value).
  explicit Optimizer(const Options& options = Options(), Schedule schedule = Schedule(),
                     Regularizers... regularizers)
      : rule_(options), schedule_(std::move(schedule)), regularizers_(std::move(regularizers)...) {}

  /// Registers `value` (a Matrix, Array, vector, Map or Ref over contiguous storage) under
  /// `name`, with `gradient` of the same shape; allocates the block's state now, once.
  template <class Value, class Gradient>
  void add(std::string name, Value&& value, Gradient&& gradient,
           const BlockOptions& options = BlockOptions()) {
    Block<Scalar> block =
        detail::make_block<Scalar>(Rule::name, std::move(name), value, gradient, options);
    const std::string who = std::string(Rule::name) + ": block \"" + block.name() + "\"";
    for (const Entry& other : entries_) {
      if (other.block.name() == block.name()) {
        throw std::invalid_argument(who + ": a block with this name is already registered");
      }
      if (detail::overlaps<Scalar>(block.value().data(), block.size(),
                                   other.block.value().data(), other.block.size())) {
        throw std::invalid_argument(who + ": parameter storage overlaps the parameter of block \"" +
                                    other.block.name() + "\"");
      }
      if (detail::overlaps<Scalar>(block.gradient().data(), block.size(),
                                   other.block.value().data(), other.block.size()) ||
          detail::overlaps<Scalar>(block.value().data(), block.size(),
                                   other.block.gradient().data(), other.block.size())) {
        throw std::invalid_argument(who + ": storage aliases the parameter or gradient of block \"" +
                                    other.block.name() + "\"");
      }
    }
    State state = rule_.template init<Scalar>(block.size());
    entries_.push_back(Entry{std::move(block), std::move(state)});
  }

  /// One optimization step over every block: reads each gradient, writes each parameter and the
  /// rule's state in one pass, allocates nothing. Every block's update count advances by one.
  void step() {
    const double lr = schedule_.lr(rule_.options().lr(), step_count_);
    for (Entry& entry : entries_) {
      const double block_lr = lr * entry.block.options().lr_multiplier();
      ++entry.state.steps;
      if (sizeof...(Regularizers) > 0 && entry.block.options().regularize()) {
        update<true>(entry, block_lr);
      } else {
        update<false>(entry, block_lr);
      }
    }
    ++step_count_;
  }

  /// Sets every registered gradient to zero.
  void zero_grad() {
    for (Entry& entry : entries_) entry.block.gradient().setZero();
  }

  /// Completed steps (t in the schedule contract).
  std::int64_t step_count() const { return step_count_; }
  /// The learning rate the next step uses (schedule applied, before block multipliers).
  double lr() const { return schedule_.lr(rule_.options().lr(), step_count_); }
  /// The configured (base) learning rate the schedule scales.
  double base_lr() const { return rule_.options().lr(); }
  /// Sets the base learning rate, validated as at construction.
  void set_lr(double lr) {
    Options options = rule_.options();
    options.lr(lr);
    set_options(options);
  }

  const Options& options() const { return rule_.options(); }
  /// Replaces the rule's settings, validated as at construction. Settings that decide which
  /// state arrays exist (Rule::structural_settings) cannot change once blocks are registered.
  void set_options(const Options& options) {
    Rule rule(options);
    if (!entries_.empty() && !rule_.same_structure(options)) {
      throw std::invalid_argument(std::string(Rule::name) + ": " + Rule::structural_settings +
                                  " cannot change once blocks are registered");
    }
    rule_ = std::move(rule);
  }

  Schedule& schedule() { return schedule_; }
  const Schedule& schedule() const { return schedule_; }
  const std::tuple<Regularizers...>& regularizers() const { return regularizers_; }

  std::size_t num_blocks() const { return entries_.size(); }
  const Block<Scalar>& block(std::size_t index) const { return entries_.at(index).block; }
  const Block<Scalar>& block(const std::string& name) const { return find(name).block; }
  const State& state(std::size_t index) const { return entries_.at(index).state; }
  const State& state(const std::string& name) const { return find(name).state; }
  /// Changes a registered block's options, validated as at registration.
  void set_block_options(const std::string& name, const BlockOptions& options) {
    Entry& entry = find(name);
    options.validate(std::string(Rule::name) + ": block \"" + name + "\"");
    entry.block.set_options(options);
  }

  /// The regularizers' total penalty over the blocks they apply to (for logging the objective).
  double penalty() const {
    double total = 0.0;
    for (const Entry& entry : entries_) {
      if (!entry.block.options().regularize()) continue;
      std::apply([&](const auto&... r) { ((total += r.penalty(entry.block.value())), ...); },
                 regularizers_);
    }
    return total;
  }

 private:
  struct Entry {
    Block<Scalar> block;
    State state;
  };

  Entry& find(const std::string& name) {
    for (Entry& entry : entries_) {
      if (entry.block.name() == name) return entry;
    }
    throw std::invalid_argument(std::string(Rule::name) + ": no block named \"" + name + "\"");
  }
  const Entry& find(const std::string& name) const {
    return const_cast<Optimizer*>(this)->find(name);
  }

  // The product of (1 - lr * decay) over the decoupled regularizers.
  double decoupled_keep(double lr) const {
    double keep = 1.0;
    std::apply(
        [&](const auto&... r) {
          ((keep *= decay_factor(r, lr)), ...);
        },
        regularizers_);
    return keep;
  }
  template <class R>
  static double decay_factor(const R& r, double lr) {
    if constexpr (R::kind == RegularizerKind::decoupled) {
      return 1.0 - lr * r.decay();
    } else {
      return 1.0;
    }
  }

  // g + the coupled regularizers' terms of p, as one Eigen expression (never stored).
  template <class G, class P>
  static G with_terms(const G& g, const P& /*p*/) {
    return g;
  }
  template <class G, class P, class R, class... Rest>
  static auto with_terms(const G& g, const P& p, const R& r, const Rest&... rest) {
    if constexpr (R::kind == RegularizerKind::coupled) {
      return with_terms(g + r.gradient_term(p), p, rest...);
    } else {
      return with_terms(g, p, rest...);
    }
  }

  template <bool Regularized>
  void update(Entry& entry, double lr) {
    const double keep = Regularized ? decoupled_keep(lr) : 1.0;
    const auto kernel = rule_.kernel(entry.state, lr, keep);
    FlatView<Scalar>& value = entry.block.value();
    FlatView<Scalar>& gradient = entry.block.gradient();
    for_each_chunk<Scalar>(entry.block.size(), [&](Eigen::Index begin, Eigen::Index length) {
      auto p = value.segment(begin, length);
      const auto g = gradient.segment(begin, length);
      if constexpr (Regularized) {
        std::apply([&](const auto&... r) { kernel(p, with_terms(g, p, r...), begin); },
                   regularizers_);
        std::apply([&](const auto&... r) { (prox(r, p, lr), ...); }, regularizers_);
      } else {
        kernel(p, g, begin);
      }
    });
  }
  template <class R, class P>
  static void prox(const R& r, P& p, double lr) {
    if constexpr (R::kind == RegularizerKind::proximal) r.prox(p, lr);
  }

  Rule rule_;
  Schedule schedule_;
  std::tuple<Regularizers...> regularizers_;
  std::vector<Entry> entries_;
  std::int64_t step_count_ = 0;
};

}  // namespace descent
