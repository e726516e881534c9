#pragma once
/// Polynomial: decay from the base rate to end_lr over total_steps (Keras PolynomialDecay).

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// lr(t) = (base - end_lr) * (1 - min(t, total_steps) / total_steps)^power + end_lr, Keras
/// PolynomialDecay (cycle=False). With end_lr = 0 it is PyTorch PolynomialLR's closed form
/// (total_iters = total_steps). From t = total_steps on, the rate is end_lr. end_lr is an
/// absolute rate: set_lr rescales the start of the decay, not its end.
class Polynomial {
 public:
  /// `total_steps` > 0; `power` > 0 (finite); `end_lr` >= 0 (finite).
  explicit Polynomial(std::int64_t total_steps, double power = 1.0, double end_lr = 0.0)
      : total_steps_(total_steps), power_(power), end_lr_(end_lr) {
    detail::require_positive_count("Polynomial", "total_steps", total_steps);
    detail::require_positive("Polynomial", "power", power);
    detail::require_non_negative("Polynomial", "end_lr", end_lr);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    const double done =
        static_cast<double>(std::min(t, total_steps_)) / static_cast<double>(total_steps_);
    return (base_lr - end_lr_) * std::pow(1.0 - done, power_) + end_lr_;
  }

  std::int64_t total_steps() const { return total_steps_; }
  double power() const { return power_; }
  double end_lr() const { return end_lr_; }

 private:
  std::int64_t total_steps_;
  double power_;
  double end_lr_;
};

}  // namespace descent
