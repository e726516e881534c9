#pragma once
/// InverseTimeDecay: the rate falls as 1 / (1 + rate * t / decay_steps) (Keras InverseTimeDecay).

#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"

namespace descent {

/// lr(t) = base / (1 + decay_rate * p), p = t / decay_steps, or floor(t / decay_steps) when
/// `staircase`, as keras.optimizers.schedules.InverseTimeDecay. Note the argument order:
/// Keras takes (decay_steps, decay_rate); this constructor takes (decay_rate, decay_steps).
class InverseTimeDecay {
 public:
  /// `decay_rate` >= 0 (finite); `decay_steps` > 0 (finite, may be fractional as in Keras).
  InverseTimeDecay(double decay_rate, double decay_steps, bool staircase = false)
      : decay_rate_(decay_rate), decay_steps_(decay_steps), staircase_(staircase) {
    detail::require_non_negative("InverseTimeDecay", "decay_rate", decay_rate);
    detail::require_positive("InverseTimeDecay", "decay_steps", decay_steps);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    double p = static_cast<double>(t) / decay_steps_;
    if (staircase_) p = std::floor(p);
    return base_lr / (1.0 + decay_rate_ * p);
  }

  double decay_rate() const { return decay_rate_; }
  double decay_steps() const { return decay_steps_; }
  bool staircase() const { return staircase_; }

 private:
  double decay_rate_;
  double decay_steps_;
  bool staircase_;
};

}  // namespace descent
