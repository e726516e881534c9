#pragma once
/// SGD: minibatch epochs over a separable objective, reshuffled each epoch from a seeded Rng.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/drivers/callback.hpp"
#include "descent/drivers/objective.hpp"
#include "descent/drivers/result.hpp"
#include "descent/random/rng.hpp"

namespace descent {

/// Settings of SGD (validated by SGD's constructor; batch_size against the data by minimize).
class SGDOptions {
 public:
  /// Passes over the data, >= 1 (default 10).
  SGDOptions& epochs(std::int64_t value) {
    epochs_ = value;
    return *this;
  }
  std::int64_t epochs() const { return epochs_; }
  /// Examples per minibatch, >= 1 (default 32).
  SGDOptions& batch_size(std::int64_t value) {
    batch_size_ = value;
    return *this;
  }
  std::int64_t batch_size() const { return batch_size_; }
  /// Skip the last, smaller batch of an epoch (default false).
  SGDOptions& drop_last(bool value) {
    drop_last_ = value;
    return *this;
  }
  bool drop_last() const { return drop_last_; }
  /// Reshuffle the examples every epoch; false visits them in order (default true).
  SGDOptions& shuffle(bool value) {
    shuffle_ = value;
    return *this;
  }
  bool shuffle() const { return shuffle_; }
  /// Seed of the driver's Rng (default 5489).
  SGDOptions& seed(std::uint64_t value) {
    seed_ = value;
    return *this;
  }
  std::uint64_t seed() const { return seed_; }
  /// Stop when consecutive epoch losses change by <= this, relatively
  /// (|a - b| / max(|a|, |b|, 1)); 0 turns the test off (default 0).
  SGDOptions& loss_tolerance(double value) {
    loss_tolerance_ = value;
    return *this;
  }
  double loss_tolerance() const { return loss_tolerance_; }
  /// Report each epoch loss to a reduce-on-plateau schedule (default true).
  SGDOptions& report_to_schedule(bool value) {
    report_to_schedule_ = value;
    return *this;
  }
  bool report_to_schedule() const { return report_to_schedule_; }
  /// Keep a copy of the parameters before each step, restored when a loss turns NaN/Inf
  /// (default true; false saves one copy per step).
  SGDOptions& restore_on_non_finite(bool value) {
    restore_on_non_finite_ = value;
    return *this;
  }
  bool restore_on_non_finite() const { return restore_on_non_finite_; }

 private:
  std::int64_t epochs_ = 10;
  std::int64_t batch_size_ = 32;
  bool drop_last_ = false;
  bool shuffle_ = true;
  std::uint64_t seed_ = 5489;
  double loss_tolerance_ = 0.0;
  bool report_to_schedule_ = true;
  bool restore_on_non_finite_ = true;
};

/// Minibatch stochastic gradient descent. Each epoch draws a fresh permutation of the example
/// indices (identity, then Fisher-Yates with the driver's Rng), cuts it into batches of
/// batch_size in order, and for each batch evaluates the objective (mean loss and gradient at
/// the parameters before the step) and takes one optimizer step. The epoch loss is the
/// example-weighted mean of its batch losses. The Rng lives in the driver: two drivers with the
/// same seed give bit-identical runs; consecutive runs of one driver continue its stream
/// (save and restore it with rng().state()).
class SGD {
 public:
  /// Validates the options (std::invalid_argument naming the setting and value).
  explicit SGD(const SGDOptions& options = SGDOptions()) : options_(options), rng_(options.seed()) {
    const char* owner = "SGD";
    detail::require_at_least(owner, "epochs", options.epochs(), 1);
    detail::require_at_least(owner, "batch_size", options.batch_size(), 1);
    detail::require_non_negative(owner, "loss_tolerance", options.loss_tolerance());
  }

  const SGDOptions& options() const { return options_; }
  /// The generator of the shuffles.
  Rng& rng() { return rng_; }

  /// Minimizes the separable objective `f` (`num_examples()` and `double f(const Batch&)`,
  /// assigning the mean gradient of every block registered in `opt`) by stepping `opt`.
  template <class F, class Opt, class... Callbacks,
            std::enable_if_t<detail::is_optimizer<Opt>::value, int> = 0>
  Result minimize(F&& f, Opt& opt, Callbacks&&... callbacks) {
    if (opt.num_blocks() == 0) {
      throw std::invalid_argument(
          "SGD: the optimizer has no blocks; register the parameters first");
    }
    auto objective = [&](const Batch& batch) { return double(f(batch)); };
    detail::CallbackSet<Opt, std::remove_reference_t<Callbacks>...> set(opt, callbacks...);
    return run(objective, Eigen::Index(f.num_examples()), opt, set);
  }

  /// Minimizes `f(x, grad, batch)` (plus `f.num_examples()`) over `x` in place. `opt` gives the
  /// rule, settings, schedule and policies; it must have no blocks: the driver registers x in
  /// its own copy, which is gone after the call.
  template <class F, class Scalar, class Opt, class... Callbacks,
            std::enable_if_t<detail::is_optimizer<Opt>::value, int> = 0>
  Result minimize(F&& f, Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& x, Opt opt,
                  Callbacks&&... callbacks) {
    if (opt.num_blocks() != 0) {
      throw std::invalid_argument(
          "SGD: the optimizer given with a vector x must have no blocks, it has " +
          std::to_string(opt.num_blocks()));
    }
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> grad =
        Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Zero(x.size());
    opt.add("x", x, grad);
    auto objective = [&](const Batch& batch) { return double(f(std::as_const(x), grad, batch)); };
    detail::CallbackSet<Opt, std::remove_reference_t<Callbacks>...> set(opt, callbacks...);
    return run(objective, Eigen::Index(f.num_examples()), opt, set);
  }

 private:
  template <class F, class Opt, class Set>
  Result run(F& f, Eigen::Index n, Opt& opt, Set& callbacks) {
    using Scalar = typename Opt::scalar_type;
    const std::int64_t batch_size = options_.batch_size();
    detail::require_at_least("SGD", "num_examples", n, 1);
    if (options_.drop_last() && batch_size > n) {
      const std::string requirement =
          "<= the number of examples (" + std::to_string(n) + ") when drop_last is set";
      detail::throw_setting("SGD", "batch_size", requirement.c_str(), double(batch_size));
    }
    const bool restore = options_.restore_on_non_finite();
    detail::ParameterCopy<Scalar> last_finite;
    if (restore) last_finite.allocate(opt);
    Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> order(n);
    for (Eigen::Index i = 0; i < n; ++i) order[i] = i;

    Result result;
    result.epoch_losses.reserve(std::size_t(options_.epochs()));
    result.reason = StopReason::max_epochs;
    Progress p;
    p.epochs = options_.epochs();
    p.steps_per_epoch = options_.drop_last() ? n / batch_size : (n + batch_size - 1) / batch_size;
    double last_loss = std::numeric_limits<double>::quiet_NaN();
    bool stopped = false;
    auto stop_by = [&](Continue control) {
      result.reason =
          control == Continue::early_stop ? StopReason::early_stopping : StopReason::callback;
      stopped = true;
    };

    Continue control = callbacks.begin(p);
    if (control != Continue::yes) stop_by(control);
    for (std::int64_t epoch = 0; !stopped && epoch < options_.epochs(); ++epoch) {
      p.epoch = epoch;
      p.step_in_epoch = 0;
      if (options_.shuffle()) {
        for (Eigen::Index i = 0; i < n; ++i) order[i] = i;
        rng_.shuffle(order.data(), order.data() + n);
      }
      control = callbacks.epoch_begin(p);
      if (control != Continue::yes) {
        stop_by(control);
        break;
      }
      double sum = 0.0;
      Eigen::Index count = 0;
      for (std::int64_t b = 0; b < p.steps_per_epoch; ++b) {
        const Eigen::Index begin = b * batch_size;
        const Eigen::Index length = std::min<Eigen::Index>(batch_size, n - begin);
        const double loss = f(Batch(order.data() + begin, length));
        ++result.evaluations;
        const double norm = detail::gradient_norm(opt);
        if (!std::isfinite(loss) || !std::isfinite(norm)) {
          // The optimizer's CheckFinite policy decides: skip drops the batch and goes on; raise
          // throws NonFiniteGradient from step() (parameters untouched); otherwise the run stops.
          const NonFinite action = detail::finite_check_action(opt);
          if (action == NonFinite::skip) {
            if (!std::isfinite(norm)) opt.step();  // skipped and counted by the optimizer
            ++result.skipped_steps;
            continue;
          }
          if (action == NonFinite::raise && !std::isfinite(norm)) opt.step();  // throws
          if (restore && p.step > 0) last_finite.restore(opt);
          result.reason = StopReason::non_finite;
          stopped = true;
          break;
        }
        if (restore) last_finite.save(opt);
        opt.step();
        ++p.step;
        ++p.step_in_epoch;
        sum += loss * double(length);
        count += length;
        p.loss = loss;
        p.gradient_norm = norm;
        control = callbacks.step(p);
        if (control != Continue::yes) {
          stop_by(control);
          break;
        }
      }
      if (count > 0) last_loss = sum / double(count);
      if (stopped) break;
      const double previous = result.epoch_losses.empty() ? 0.0 : result.epoch_losses.back();
      result.epoch_losses.push_back(last_loss);
      p.loss = last_loss;
      if (options_.report_to_schedule()) detail::report_to_schedule(opt, last_loss);
      control = callbacks.epoch_end(p);
      if (control != Continue::yes) {
        stop_by(control);
        break;
      }
      const double ftol = options_.loss_tolerance();
      if (ftol > 0.0 && result.epoch_losses.size() >= 2 &&
          detail::relative_change(previous, last_loss) <= ftol) {
        result.reason = StopReason::loss_tolerance;
        break;
      }
    }
    result.loss = last_loss;
    result.gradient_norm = p.gradient_norm;
    result.iterations = p.step;
    result.epochs = std::int64_t(result.epoch_losses.size());
    result.converged = is_converged(result.reason);
    callbacks.end(result);
    return result;
  }

  SGDOptions options_;
  Rng rng_;
};

}  // namespace descent
