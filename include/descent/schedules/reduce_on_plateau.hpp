#pragma once
/// ReduceOnPlateau: cut the rate by a factor when a reported metric stops improving (PyTorch
/// ReduceLROnPlateau).

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// Whether a smaller (min) or a larger (max) metric is better.
enum class PlateauMode { min, max };
/// Whether `threshold` is relative to the best metric or absolute.
enum class ThresholdMode { relative, absolute };

/// Settings of ReduceOnPlateau; defaults as torch.optim.lr_scheduler.ReduceLROnPlateau.
class ReduceOnPlateauOptions {
 public:
  /// Which direction improves the metric (default min).
  ReduceOnPlateauOptions& mode(PlateauMode value) {
    mode_ = value;
    return *this;
  }
  PlateauMode mode() const { return mode_; }
  /// new rate = rate * factor, in [0, 1) (default 0.1).
  ReduceOnPlateauOptions& factor(double value) {
    factor_ = value;
    return *this;
  }
  double factor() const { return factor_; }
  /// Reports without improvement tolerated before a reduction, >= 0 (default 10).
  ReduceOnPlateauOptions& patience(std::int64_t value) {
    patience_ = value;
    return *this;
  }
  std::int64_t patience() const { return patience_; }
  /// Minimal improvement that counts, >= 0 (default 1e-4).
  ReduceOnPlateauOptions& threshold(double value) {
    threshold_ = value;
    return *this;
  }
  double threshold() const { return threshold_; }
  /// relative: better than best * (1 -/+ threshold); absolute: best -/+ threshold (default
  /// relative).
  ReduceOnPlateauOptions& threshold_mode(ThresholdMode value) {
    threshold_mode_ = value;
    return *this;
  }
  ThresholdMode threshold_mode() const { return threshold_mode_; }
  /// Reports after a reduction during which bad reports are ignored, >= 0 (default 0).
  ReduceOnPlateauOptions& cooldown(std::int64_t value) {
    cooldown_ = value;
    return *this;
  }
  std::int64_t cooldown() const { return cooldown_; }
  /// Absolute lower bound of the rate, >= 0 (default 0).
  ReduceOnPlateauOptions& min_lr(double value) {
    min_lr_ = value;
    return *this;
  }
  double min_lr() const { return min_lr_; }
  /// A reduction smaller than eps is skipped, >= 0 (default 1e-8).
  ReduceOnPlateauOptions& eps(double value) {
    eps_ = value;
    return *this;
  }
  double eps() const { return eps_; }

 private:
  PlateauMode mode_ = PlateauMode::min;
  double factor_ = 0.1;
  std::int64_t patience_ = 10;
  double threshold_ = 1e-4;
  ThresholdMode threshold_mode_ = ThresholdMode::relative;
  std::int64_t cooldown_ = 0;
  double min_lr_ = 0.0;
  double eps_ = 1e-8;
};

/// Everything ReduceOnPlateau learns from reported metrics; get and restore it exactly with
/// state() / set_state() (checkpoints).
struct ReduceOnPlateauState {
  double best = std::numeric_limits<double>::infinity();  ///< +inf (min) / -inf (max) at first
  std::int64_t num_bad_epochs = 0;                        ///< reports since the last improvement
  std::int64_t cooldown_counter = 0;                      ///< reports left in the cooldown
  std::int64_t reductions = 0;  ///< reductions triggered so far (skipped ones included)
  std::int64_t last_epoch = 0;  ///< reports so far
};

/// ReduceLROnPlateau's step(metric), as report(metric):
///   improved = metric < best * (1 - threshold)  (min, relative)   metric < best - threshold (min,
///   absolute)
///              metric > best * (1 + threshold)  (max, relative)   metric > best + threshold (max,
///              absolute)
///   if improved: best = metric, num_bad = 0, else num_bad += 1   (NaN never improves, as PyTorch)
///   in cooldown: cooldown_counter -= 1, num_bad = 0
///   if num_bad > patience: reduce, cooldown_counter = cooldown, num_bad = 0
/// where PyTorch's reduction sets lr <- max(lr * factor, min_lr) only if it lowers lr by more
/// than eps. The rate is a function of base: lr(base, t) replays the `reductions` so far from
/// base with that rule (once one is skipped, all later ones are), so it reproduces PyTorch's
/// rates bit for bit, and set_lr(new_base) gives the rates PyTorch would have given from
/// new_base. t is ignored: the rate changes only through report().
class ReduceOnPlateau {
 public:
  /// Validates the options (std::invalid_argument naming the setting and value).
  explicit ReduceOnPlateau(const ReduceOnPlateauOptions& options = ReduceOnPlateauOptions())
      : options_(options) {
    const char* owner = "ReduceOnPlateau";
    detail::require_unit_interval(owner, "factor", options.factor());
    detail::require_non_negative_count(owner, "patience", options.patience());
    detail::require_non_negative(owner, "threshold", options.threshold());
    detail::require_non_negative_count(owner, "cooldown", options.cooldown());
    detail::require_non_negative(owner, "min_lr", options.min_lr());
    detail::require_non_negative(owner, "eps", options.eps());
    state_.best = worst();
  }

  /// Takes one metric (e.g. a validation loss), as PyTorch's scheduler.step(metric).
  void report(double metric) {
    ++state_.last_epoch;
    if (is_better(metric)) {
      state_.best = metric;
      state_.num_bad_epochs = 0;
    } else {
      ++state_.num_bad_epochs;
    }
    if (state_.cooldown_counter > 0) {
      --state_.cooldown_counter;
      state_.num_bad_epochs = 0;
    }
    if (state_.num_bad_epochs > options_.patience()) {
      ++state_.reductions;
      state_.cooldown_counter = options_.cooldown();
      state_.num_bad_epochs = 0;
    }
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    static_cast<void>(t);
    double rate = base_lr;
    for (std::int64_t i = 0; i < state_.reductions; ++i) {
      const double reduced = std::max(rate * options_.factor(), options_.min_lr());
      if (!(rate - reduced > options_.eps())) break;
      rate = reduced;
    }
    return rate;
  }

  const ReduceOnPlateauOptions& options() const { return options_; }
  const ReduceOnPlateauState& state() const { return state_; }
  double best() const { return state_.best; }
  std::int64_t num_bad_epochs() const { return state_.num_bad_epochs; }
  std::int64_t cooldown_counter() const { return state_.cooldown_counter; }
  std::int64_t reductions() const { return state_.reductions; }
  std::int64_t last_epoch() const { return state_.last_epoch; }
  /// Restores a state from state(); counters must be >= 0 and cooldown_counter <= cooldown.
  void set_state(const ReduceOnPlateauState& state) {
    const char* owner = "ReduceOnPlateau";
    detail::require_non_negative_count(owner, "num_bad_epochs", state.num_bad_epochs);
    detail::require_non_negative_count(owner, "cooldown_counter", state.cooldown_counter);
    if (state.cooldown_counter > options_.cooldown()) {
      detail::throw_setting(owner, "cooldown_counter", "<= cooldown",
                            static_cast<double>(state.cooldown_counter));
    }
    detail::require_non_negative_count(owner, "reductions", state.reductions);
    detail::require_non_negative_count(owner, "last_epoch", state.last_epoch);
    state_ = state;
  }

 private:
  double worst() const {
    const double inf = std::numeric_limits<double>::infinity();
    return options_.mode() == PlateauMode::min ? inf : -inf;
  }
  bool is_better(double metric) const {
    const double best = state_.best;
    const double threshold = options_.threshold();
    const bool relative = options_.threshold_mode() == ThresholdMode::relative;
    if (options_.mode() == PlateauMode::min) {
      return relative ? metric < best * (1.0 - threshold) : metric < best - threshold;
    }
    return relative ? metric > best * (threshold + 1.0) : metric > best + threshold;
  }

  ReduceOnPlateauOptions options_;
  ReduceOnPlateauState state_;
};

}  // namespace descent
