#pragma once
/// Optimizer<Scalar, Rule, Schedule, Policies...>: owns the per-block state of a rule and
/// updates the user's registered parameters in place, one fused pass per block.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
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
#include "descent/core/policy_kind.hpp"
#include "descent/core/policy_pack.hpp"
#include "descent/core/state_arena.hpp"
#include "descent/detail/format.hpp"
#include "descent/gradients/check_finite.hpp"
#include "descent/schedules/constant.hpp"

namespace descent {

namespace detail {
struct CheckpointAccess;  // checkpoint/checkpoint.hpp reads and restores the private state
}  // namespace detail

/// An optimizer: a rule (the math), a schedule (the learning rate of step t) and a pack of
/// policies (regularizers, gradient clipping, a non-finite check, weight averaging), over
/// blocks registered by name.
///
/// Ownership: the user owns parameters and gradients; the optimizer keeps views (see Block).
/// Threads: one optimizer must not be used from two threads at once; optimizers over disjoint
/// parameters are independent and may step concurrently. There is no global state.
/// Errors: every failing call throws before changing anything (strong guarantee).
template <class Scalar, class Rule, class Schedule = Constant, class... Policies>
class Optimizer {
  static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                "descent: Scalar must be float or double");
  static constexpr bool kHasRegularizers = (is_regularizer(Policies::kind) || ... || false);
  static constexpr std::size_t kNormClips = detail::count_kind<PolicyKind::norm_clip, Policies...>;
  static constexpr std::size_t kFiniteChecks =
      detail::count_kind<PolicyKind::finite_check, Policies...>;
  static constexpr std::size_t kAverages = detail::count_kind<PolicyKind::average, Policies...>;
  static constexpr bool kHasPrepass = kNormClips + kFiniteChecks > 0;
  // Statements that run on each chunk after the rule's pass want it in L1 (core/chunks.hpp);
  // without them a block is traversed in long ranges.
  static constexpr Eigen::Index kChunk =
      detail::count_kind<PolicyKind::proximal, Policies...> + kAverages > 0
          ? chunk_elements<Scalar>
          : range_elements<Scalar>;
  static_assert(kFiniteChecks <= 1, "descent: at most one CheckFinite policy per optimizer");
  static_assert(kAverages <= 1, "descent: at most one averaging policy (Ema or Polyak)");

 public:
  using scalar_type = Scalar;
  using rule_type = Rule;
  using schedule_type = Schedule;
  using Options = typename Rule::Options;
  using State = typename Rule::template State<Scalar>;
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

  /// Validates `options` (std::invalid_argument naming the setting and value).
  explicit Optimizer(const Options& options = Options(), Schedule schedule = Schedule(),
                     Policies... policies)
      : rule_(options), schedule_(std::move(schedule)), policies_(std::move(policies)...) {}

  /// With policies that all have defaults (AdamW's WeightDecay(1e-2), say), they may be omitted:
  /// `descent::AdamW<float> opt(descent::AdamOptions(1e-3));`.
  template <bool HasPolicies = (sizeof...(Policies) > 0),
            std::enable_if_t<HasPolicies && (std::is_default_constructible<Policies>::value && ...),
                             int> = 0>
  explicit Optimizer(const Options& options = Options(), Schedule schedule = Schedule())
      : Optimizer(options, std::move(schedule), Policies()...) {}

  /// Registers `value` (a Matrix, Array, vector, Map or Ref over contiguous storage) under
  /// `name`, with `gradient` of the same shape; allocates the block's state now, once (in the
  /// optimizer's state arena: each state array's blocks one after another, see state_arena.hpp).
  template <class Value, class Gradient>
  void add(std::string name, Value&& value, Gradient&& gradient,
           const BlockOptions& options = BlockOptions()) {
    static_assert(
        !(std::is_rvalue_reference<Value&&>::value && detail::is_owning_object<Value>)&&!(
            std::is_rvalue_reference<Gradient&&>::value && detail::is_owning_object<Gradient>),
        "descent: a temporary Matrix or Array cannot be registered: the optimizer "
        "would keep a view of a destroyed object");
    Block<Scalar> block =
        detail::make_block<Scalar>(Rule::name, std::move(name), value, gradient, options);
    for (const Entry& other : entries_) check_distinct(block, other.block);
    Entry entry{std::move(block), State(), Array(), 0, 0.0};
    if constexpr (kAverages > 0) entry.average = entry.block.value();
    entries_.add(rule_, std::move(entry));
  }

  /// One optimization step over every block: reads each gradient, writes each parameter and the
  /// rule's state in one pass, allocates nothing; every block's update count advances by one.
  /// Returns false when a CheckFinite(NonFinite::skip) policy skipped the step.
  bool step() {
    if constexpr (kAverages > 0) {
      if (averages_swapped_) {
        throw std::logic_error(std::string(Rule::name) +
                               ": step() while the averages are swapped in; call "
                               "swap_averages() again first");
      }
    }
    double global_scale = 1.0;
    if constexpr (kHasPrepass) {
      if (!measure_gradients()) return false;
      global_scale = clip_scale<true>(last_gradient_norm_);
    }
    const double lr = schedule_.lr(rule_.options().lr(), step_count_);
    for (std::size_t k = 0; k < entries_.size(); ++k) {
      Entry& entry = entries_[k];
      const double block_lr = lr * entry.block.options().lr_multiplier();
      const double scale = global_scale * clip_scale<false>(entry.gradient_norm);
      ++entry.state.steps;
      if (kHasRegularizers && entry.block.options().regularize()) {
        update<true>(entry, block_lr, Scalar(scale));
      } else {
        update<false>(entry, block_lr, Scalar(scale));
      }
    }
    ++step_count_;
    return true;
  }

  /// Sets every registered gradient to zero.
  void zero_grad() {
    for (Entry& entry : entries_) entry.block.gradient().setZero();
  }

  /// Completed steps (t in the schedule contract); skipped steps do not count.
  std::int64_t step_count() const { return step_count_; }
  /// Steps skipped by CheckFinite(NonFinite::skip).
  std::int64_t skipped_steps() const { return skipped_steps_; }
  /// L2 norm of all gradients measured by the last step's read pass (NaN before any, or when
  /// no policy needs that pass); the value torch.nn.utils.clip_grad_norm_ returns.
  double last_gradient_norm() const { return last_gradient_norm_; }
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
  const std::tuple<Policies...>& policies() const { return policies_; }

  std::size_t num_blocks() const { return entries_.size(); }
  const Block<Scalar>& block(std::size_t index) const { return entries_.at(index).block; }
  const Block<Scalar>& block(const std::string& name) const { return find(name).block; }
  /// A block's rule state: views of the optimizer's own storage (copy an array to keep it).
  const State& state(std::size_t index) const { return entries_.at(index).state; }
  /// Writable views of a block's value and gradient: the user's own storage, for code that
  /// fills or exchanges them by position (dist::GradientAverager averages gradients in place).
  FlatView<Scalar>& value(std::size_t index) { return entries_.at(index).block.value(); }
  FlatView<Scalar>& gradient(std::size_t index) { return entries_.at(index).block.gradient(); }
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
      if (entry.block.options().regularize()) {
        total += detail::total_penalty(policies_, entry.block.value());
      }
    }
    return total;
  }

  /// The averaged values of a block (needs an Ema or Polyak policy).
  const Array& average(const std::string& name) const {
    static_assert(kAverages > 0, "descent: average() needs an Ema or Polyak policy");
    return find(name).average;
  }
  /// Steps averaged into a block's average so far.
  std::int64_t averaged_steps(const std::string& name) const { return find(name).average_count; }
  /// Exchanges every block's values with its average (evaluate the averaged model), and back on
  /// the next call. step() refuses to run while the averages are swapped in.
  void swap_averages() {
    static_assert(kAverages > 0, "descent: swap_averages() needs an Ema or Polyak policy");
    for (Entry& entry : entries_) entry.block.value().swap(entry.average);
    averages_swapped_ = !averages_swapped_;
  }
  bool averages_swapped() const { return averages_swapped_; }

 private:
  friend struct detail::CheckpointAccess;

  struct Entry {
    using StateType = State;
    Block<Scalar> block;
    State state;
    Array average;                   // empty without an averaging policy
    std::int64_t average_count = 0;  // steps averaged into `average`
    double gradient_norm = 0.0;      // measured by the read pass, when there is one
  };

  void check_distinct(const Block<Scalar>& block, const Block<Scalar>& other) const {
    const std::string who = std::string(Rule::name) + ": block \"" + block.name() + "\"";
    if (other.name() == block.name()) {
      throw std::invalid_argument(who + ": a block with this name is already registered");
    }
    if (detail::overlaps<Scalar>(block.value().data(), block.size(), other.value().data(),
                                 other.size())) {
      throw std::invalid_argument(who + ": parameter storage overlaps the parameter of block \"" +
                                  other.name() + "\"");
    }
    if (detail::overlaps<Scalar>(block.gradient().data(), block.size(), other.value().data(),
                                 other.size()) ||
        detail::overlaps<Scalar>(block.value().data(), block.size(), other.gradient().data(),
                                 other.size())) {
      throw std::invalid_argument(who + ": storage aliases the parameter or gradient of block \"" +
                                  other.name() + "\"");
    }
  }

  Entry& find(const std::string& name) {
    for (Entry& entry : entries_) {
      if (entry.block.name() == name) return entry;
    }
    throw std::invalid_argument(std::string(Rule::name) + ": no block named \"" + name + "\"");
  }
  const Entry& find(const std::string& name) const {
    return const_cast<Optimizer*>(this)->find(name);
  }

  // The read pass: every block's gradient norm and the global norm, and the non-finite policy.
  // Returns false when the step is to be skipped; throws NonFiniteGradient on "raise".
  bool measure_gradients() {
    double total = 0.0;
    const Entry* non_finite = nullptr;
    for (Entry& entry : entries_) {
      const auto& g = entry.block.gradient();
      double squared = double(g.square().sum());
      if (!std::isfinite(squared)) {
        if (g.allFinite()) {
          squared = std::pow(double(g.matrix().stableNorm()), 2.0);  // overflow, not NaN/Inf
        } else if (non_finite == nullptr) {
          non_finite = &entry;
        }
      }
      entry.gradient_norm = std::sqrt(squared);
      total += squared;
    }
    last_gradient_norm_ = std::sqrt(total);
    if constexpr (kFiniteChecks > 0) {
      if (non_finite != nullptr) {
        const auto& check =
            std::get<detail::index_of_kind<PolicyKind::finite_check, Policies...>()>(policies_);
        if (check.action() == NonFinite::raise) throw_non_finite(*non_finite);
        if (check.action() == NonFinite::skip) {
          ++skipped_steps_;
          return false;
        }
      }
    }
    return true;
  }

  [[noreturn]] void throw_non_finite(const Entry& entry) const {
    const auto& g = entry.block.gradient();
    Eigen::Index index = 0;
    while (index < g.size() && std::isfinite(g[index])) ++index;
    throw NonFiniteGradient(std::string(Rule::name) + ": gradient of block \"" +
                            entry.block.name() + "\" is not finite at step " +
                            std::to_string(step_count_ + 1) + " (element " + std::to_string(index) +
                            " is " + detail::format_value(double(g[index])) + ")");
  }

  // The product of the clip factors of the norm clips that are global (or per block).
  template <bool Global>
  double clip_scale(double norm) const {
    double scale = 1.0;
    std::apply([&](const auto&... policy) { ((scale *= clip_factor<Global>(policy, norm)), ...); },
               policies_);
    return scale;
  }
  template <bool Global, class P>
  static double clip_factor(const P& policy, double norm) {
    if constexpr (P::kind == PolicyKind::norm_clip) {
      if constexpr (P::global == Global) return policy.scale(norm);
    }
    return 1.0;
  }

  // The fused pass over one block, chunk by chunk: gradient transforms and clipping, coupled
  // terms, the rule with decoupled decay, proximal steps, then the average.
  template <bool Regularized>
  void update(Entry& entry, double lr, Scalar clip) {
    const double keep = Regularized ? detail::decoupled_keep(policies_, lr) : 1.0;
    const auto kernel = rule_.kernel(entry.state, lr, keep);
    FlatView<Scalar>& value = entry.block.value();
    FlatView<Scalar>& gradient = entry.block.gradient();
    const bool averaging = kAverages > 0 && step_count_ >= average_start();
    for_each_chunk<Scalar, kChunk>(entry.block.size(), [&](Eigen::Index begin,
                                                           Eigen::Index length) {
      // Chunks are Maps (not segments), so the kernels can read them through Eigen's evaluators.
      FlatView<Scalar> p(value.data() + begin, length);
      std::apply(
          [&](const auto&... policy) {
            const FlatView<Scalar> raw(gradient.data() + begin, length);
            if constexpr (kNormClips > 0) {
              run_kernel<Regularized>(kernel, p, detail::transformed(raw * clip, policy...), begin);
            } else {
              run_kernel<Regularized>(kernel, p, detail::transformed(raw, policy...), begin);
            }
          },
          policies_);
      if constexpr (Regularized) detail::apply_proximal(policies_, p, lr);
      if constexpr (kAverages > 0) {
        if (averaging) {
          auto a = entry.average.segment(begin, length);
          average_policy().update(a, p, entry.average_count);
        }
      }
    });
    if (averaging) ++entry.average_count;
  }

  template <bool Regularized, class Kernel, class P, class G>
  void run_kernel(const Kernel& kernel, P& p, const G& g, Eigen::Index begin) const {
    if constexpr (Regularized) {
      std::apply(
          [&](const auto&... policy) {
            kernel(p, detail::with_coupled_terms(g, p, policy...), begin);
          },
          policies_);
    } else {
      kernel(p, g, begin);
    }
  }

  const auto& average_policy() const {
    return std::get<detail::index_of_kind<PolicyKind::average, Policies...>()>(policies_);
  }
  std::int64_t average_start() const {
    if constexpr (kAverages > 0) {
      return average_policy().start();
    } else {
      return 0;
    }
  }

  Rule rule_;
  Schedule schedule_;
  std::tuple<Policies...> policies_;
  detail::EntryList<Entry, Scalar> entries_;
  std::int64_t step_count_ = 0;
  std::int64_t skipped_steps_ = 0;
  double last_gradient_norm_ = std::numeric_limits<double>::quiet_NaN();
  bool averages_swapped_ = false;
};

}  // namespace descent
