#pragma once
/// Cosine: half a cosine from the base rate down to min_lr over total_steps (PyTorch
/// CosineAnnealingLR), then min_lr.

#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// lr(t) = min_lr + (base - min_lr) * (1 + cos(pi * t / T)) / 2 for t < T = total_steps, and
/// min_lr for t >= T: CosineAnnealingLR(T_max = T, eta_min = min_lr) up to T. Past T, PyTorch's
/// formula keeps going (the rate climbs back to base at t = 2T and oscillates with period 2T);
/// this schedule holds min_lr instead. min_lr is absolute: set_lr does not rescale it.
class Cosine {
 public:
  /// `total_steps` > 0: the step at which the rate reaches min_lr; `min_lr` >= 0 (finite).
  explicit Cosine(std::int64_t total_steps, double min_lr = 0.0)
      : total_steps_(total_steps), min_lr_(min_lr) {
    detail::require_positive_count("Cosine", "total_steps", total_steps);
    detail::require_non_negative("Cosine", "min_lr", min_lr);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    if (t >= total_steps_) return min_lr_;
    const double angle = pi_ * static_cast<double>(t) / static_cast<double>(total_steps_);
    return min_lr_ + (base_lr - min_lr_) * (1.0 + std::cos(angle)) / 2.0;
  }

  std::int64_t total_steps() const { return total_steps_; }
  double min_lr() const { return min_lr_; }

 private:
  static constexpr double pi_ = 3.141592653589793;
  std::int64_t total_steps_;
  double min_lr_;
};

}  // namespace descent
