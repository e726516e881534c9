#pragma once
/// OneCycle: the 1cycle policy, up from base/div_factor to base, then down far below
/// (PyTorch OneCycleLR with max_lr = the optimizer's base rate).

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// How OneCycle interpolates within a phase (PyTorch's anneal_strategy "cos" / "linear").
enum class Anneal { cosine, linear };

/// 1cycle (Smith & Topin, 2019), as torch.optim.lr_scheduler.OneCycleLR with max_lr = base,
/// N = total_steps, p = pct_start:
///   initial = base / div_factor,  min = initial / final_div_factor
///   two phases:   initial -> base  until step p*N - 1,  base -> min     until step N - 1
///   three phases: initial -> base  until step p*N - 1,  base -> initial until 2*p*N - 2,
///                 initial -> min   until step N - 1
/// (phase ends are real numbers, exactly PyTorch's). A phase from a to b with ends s < e gives,
/// for x = (t - s) / (e - s):  cosine  b + (a - b) / 2 * (1 + cos(pi * x));  linear  (b - a) * x +
/// a. Past step N - 1 the rate stays at its value at N - 1 (PyTorch raises an error past N and
/// extrapolates the last phase at t = N). Momentum cycling is not part of a schedule.
/// p * N = 1 is rejected: PyTorch divides by zero at t = 0 (a warm-up phase of length 0).
class OneCycle {
 public:
  /// `total_steps` > 0; `pct_start` in [0, 1]; `div_factor`, `final_div_factor` > 0 (finite).
  explicit OneCycle(std::int64_t total_steps, double pct_start = 0.3,
                    Anneal anneal = Anneal::cosine, double div_factor = 25.0,
                    double final_div_factor = 1e4, bool three_phase = false)
      : total_steps_(total_steps),
        pct_start_(pct_start),
        anneal_(anneal),
        div_factor_(div_factor),
        final_div_factor_(final_div_factor),
        three_phase_(three_phase) {
    detail::require_positive_count("OneCycle", "total_steps", total_steps);
    if (!(pct_start >= 0.0 && pct_start <= 1.0)) {
      detail::throw_setting("OneCycle", "pct_start", "in [0, 1]", pct_start);
    }
    if (pct_start * static_cast<double>(total_steps) == 1.0) {
      detail::throw_setting("OneCycle", "pct_start * total_steps", "!= 1 (a warm-up of 0 steps)",
                            1.0);
    }
    detail::require_positive("OneCycle", "div_factor", div_factor);
    detail::require_positive("OneCycle", "final_div_factor", final_div_factor);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    const double last = static_cast<double>(total_steps_ - 1);
    const double step = std::min(static_cast<double>(t), last);
    const double initial = base_lr / div_factor_;
    const double min_lr = initial / final_div_factor_;
    const double end1 = pct_start_ * static_cast<double>(total_steps_) - 1.0;
    if (step <= end1) return anneal(initial, base_lr, step / end1);
    if (!three_phase_) return anneal(base_lr, min_lr, (step - end1) / (last - end1));
    const double end2 = 2.0 * pct_start_ * static_cast<double>(total_steps_) - 2.0;
    if (step <= end2) return anneal(base_lr, initial, (step - end1) / (end2 - end1));
    return anneal(initial, min_lr, (step - end2) / (last - end2));
  }

  std::int64_t total_steps() const { return total_steps_; }
  double pct_start() const { return pct_start_; }
  Anneal anneal() const { return anneal_; }
  double div_factor() const { return div_factor_; }
  double final_div_factor() const { return final_div_factor_; }
  bool three_phase() const { return three_phase_; }

 private:
  static constexpr double pi_ = 3.141592653589793;

  double anneal(double start, double end, double x) const {
    if (anneal_ == Anneal::linear) return (end - start) * x + start;
    return end + (start - end) / 2.0 * (std::cos(pi_ * x) + 1.0);
  }

  std::int64_t total_steps_;
  double pct_start_;
  Anneal anneal_;
  double div_factor_;
  double final_div_factor_;
  bool three_phase_;
};

}  // namespace descent
