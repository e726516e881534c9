#pragma once
/// GD: full-batch gradient descent over a differentiable objective, with any optimizer.

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

namespace descent {

/// Settings of GD (validated by GD's constructor).
class GDOptions {
 public:
  /// Optimizer steps at most, >= 1 (default 1000).
  GDOptions& max_iterations(std::int64_t value) {
    max_iterations_ = value;
    return *this;
  }
  std::int64_t max_iterations() const { return max_iterations_; }
  /// Stop when the gradient's L2 norm is <= this; 0 turns the test off (default 1e-5).
  GDOptions& gradient_tolerance(double value) {
    gradient_tolerance_ = value;
    return *this;
  }
  double gradient_tolerance() const { return gradient_tolerance_; }
  /// Stop when |f_prev - f| / max(|f_prev|, |f|, 1) <= this; 0 turns the test off (default 0).
  GDOptions& loss_tolerance(double value) {
    loss_tolerance_ = value;
    return *this;
  }
  double loss_tolerance() const { return loss_tolerance_; }
  /// Report the loss to a reduce-on-plateau schedule every this many iterations; 0 never
  /// (default 1).
  GDOptions& report_every(std::int64_t value) {
    report_every_ = value;
    return *this;
  }
  std::int64_t report_every() const { return report_every_; }
  /// Keep a copy of the parameters before each step, restored when the loss turns NaN/Inf
  /// (default true; false saves one copy per step).
  GDOptions& restore_on_non_finite(bool value) {
    restore_on_non_finite_ = value;
    return *this;
  }
  bool restore_on_non_finite() const { return restore_on_non_finite_; }

 private:
  std::int64_t max_iterations_ = 1000;
  double gradient_tolerance_ = 1e-5;
  double loss_tolerance_ = 0.0;
  std::int64_t report_every_ = 1;
  bool restore_on_non_finite_ = true;
};

/// Full-batch gradient descent: evaluate the objective at the current parameters, stop if a
/// criterion holds, otherwise take one optimizer step, and repeat. Checked in this order after
/// each evaluation: non-finite loss or gradient (restore, stop), gradient_tolerance,
/// loss_tolerance, max_iterations. One iteration is one epoch for callbacks; the loss the
/// callbacks, the schedule and the result see is always the loss at the current parameters.
class GD {
 public:
  /// Validates the options (std::invalid_argument naming the setting and value).
  explicit GD(const GDOptions& options = GDOptions()) : options_(options) {
    const char* owner = "GD";
    detail::require_at_least(owner, "max_iterations", options.max_iterations(), 1);
    detail::require_non_negative(owner, "gradient_tolerance", options.gradient_tolerance());
    detail::require_non_negative(owner, "loss_tolerance", options.loss_tolerance());
    detail::require_at_least(owner, "report_every", options.report_every(), 0);
  }

  const GDOptions& options() const { return options_; }

  /// Minimizes `f` (`double f()`, assigning the gradients of every block registered in `opt`)
  /// by stepping `opt`; callbacks are any objects with hooks (see callback.hpp).
  template <class F, class Opt, class... Callbacks,
            std::enable_if_t<detail::is_optimizer<Opt>::value, int> = 0>
  Result minimize(F&& f, Opt& opt, Callbacks&&... callbacks) {
    if (opt.num_blocks() == 0) {
      throw std::invalid_argument("GD: the optimizer has no blocks; register the parameters first");
    }
    detail::CallbackSet<Opt, std::remove_reference_t<Callbacks>...> set(opt, callbacks...);
    return run(f, opt, set);
  }

  /// Minimizes `f(x, grad)` (`double f(const VectorX& x, VectorX& grad)`) over `x` in place.
  /// `opt` gives the rule, settings, schedule and policies; it must have no blocks: the driver
  /// registers x in its own copy, which is gone after the call.
  template <class F, class Scalar, class Opt, class... Callbacks,
            std::enable_if_t<detail::is_optimizer<Opt>::value, int> = 0>
  Result minimize(F&& f, Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& x, Opt opt,
                  Callbacks&&... callbacks) {
    if (opt.num_blocks() != 0) {
      throw std::invalid_argument(
          "GD: the optimizer given with a vector x must have no blocks, it has " +
          std::to_string(opt.num_blocks()));
    }
    Eigen::Matrix<Scalar, Eigen::Dynamic, 1> grad =
        Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Zero(x.size());
    opt.add("x", x, grad);
    auto objective = [&]() { return double(f(std::as_const(x), grad)); };
    detail::CallbackSet<Opt, std::remove_reference_t<Callbacks>...> set(opt, callbacks...);
    return run(objective, opt, set);
  }

 private:
  // After a non-finite evaluation: under CheckFinite(skip), evaluates again at the same
  // parameters (a transient NaN passes; each retry counts against max_iterations) and returns
  // true once an evaluation is finite; under CheckFinite(raise) with a non-finite gradient,
  // step() throws NonFiniteGradient; otherwise returns false (the run stops).
  template <class Opt, class Evaluate>
  bool retry_skipped(Opt& opt, const Progress& p, Result& result, Evaluate& evaluate) const {
    const NonFinite action = detail::finite_check_action(opt);
    if (action == NonFinite::raise && !std::isfinite(p.gradient_norm)) opt.step();  // throws
    if (action != NonFinite::skip) return false;
    while (p.step + result.skipped_steps < options_.max_iterations()) {
      if (!std::isfinite(p.gradient_norm)) opt.step();  // skipped and counted by the optimizer
      ++result.skipped_steps;
      if (evaluate()) return true;
    }
    return false;
  }

  template <class F, class Opt, class Set>
  Result run(F& f, Opt& opt, Set& callbacks) {
    using Scalar = typename Opt::scalar_type;
    const bool restore = options_.restore_on_non_finite();
    const double gtol = options_.gradient_tolerance();
    const double ftol = options_.loss_tolerance();
    detail::ParameterCopy<Scalar> last_finite;
    if (restore) last_finite.allocate(opt);

    Result result;
    Progress p;
    p.epochs = options_.max_iterations();
    p.steps_per_epoch = 1;
    auto evaluate = [&]() {
      p.loss = double(f());
      ++result.evaluations;
      p.gradient_norm = detail::gradient_norm(opt);
      return std::isfinite(p.loss) && std::isfinite(p.gradient_norm);
    };
    auto stop_by = [&](Continue control) {
      result.reason =
          control == Continue::early_stop ? StopReason::early_stopping : StopReason::callback;
    };

    Continue control = callbacks.begin(p);
    if (control != Continue::yes) {
      stop_by(control);
    } else if (!evaluate()) {
      result.reason = StopReason::non_finite;  // the initial parameters: nothing to restore
    } else {
      double previous = std::numeric_limits<double>::quiet_NaN();
      for (;;) {
        if (gtol > 0.0 && p.gradient_norm <= gtol) {
          result.reason = StopReason::gradient_tolerance;
          break;
        }
        if (ftol > 0.0 && p.step > 0 && detail::relative_change(previous, p.loss) <= ftol) {
          result.reason = StopReason::loss_tolerance;
          break;
        }
        if (p.step + result.skipped_steps >= options_.max_iterations()) {
          result.reason = StopReason::max_iterations;
          break;
        }
        p.epoch = p.step;
        p.step_in_epoch = 0;
        control = callbacks.epoch_begin(p);
        if (control != Continue::yes) {
          stop_by(control);
          break;
        }
        if (restore) last_finite.save(opt);
        previous = p.loss;
        const double previous_norm = p.gradient_norm;
        opt.step();
        ++p.step;
        p.step_in_epoch = 1;
        if (!evaluate() && !retry_skipped(opt, p, result, evaluate)) {
          if (restore) {
            last_finite.restore(opt);
            p.loss = previous;
            p.gradient_norm = previous_norm;
          }
          result.reason = StopReason::non_finite;
          break;
        }
        const std::int64_t every = options_.report_every();
        if (every > 0 && p.step % every == 0) detail::report_to_schedule(opt, p.loss);
        control = callbacks.step(p);
        if (control == Continue::yes) control = callbacks.epoch_end(p);
        if (control != Continue::yes) {
          stop_by(control);
          break;
        }
      }
    }
    result.loss = p.loss;
    result.gradient_norm = p.gradient_norm;
    result.iterations = p.step;
    result.epochs = p.step;
    result.converged = is_converged(result.reason);
    callbacks.end(result);
    return result;
  }

  GDOptions options_;
};

}  // namespace descent
