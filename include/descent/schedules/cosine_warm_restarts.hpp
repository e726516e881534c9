#pragma once
/// CosineWarmRestarts: cosine annealing restarted every period, the period growing by t_mult
/// (SGDR; PyTorch CosineAnnealingWarmRestarts).

#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// SGDR (Loshchilov & Hutter, 2017), as CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)
/// stepped once per step:
///   lr(t) = min_lr + (base - min_lr) * (1 + cos(pi * t_cur / T_i)) / 2
/// where the periods are T_0 = t0, T_{i+1} = T_i * t_mult, and t_cur = t minus the lengths of
/// the periods completed before t (so t_cur = 0 and lr = base at each restart). t_cur and T_i
/// are computed in integers, exactly. There is no end: restarts continue forever.
class CosineWarmRestarts {
 public:
  /// `t0` > 0: the first period; `t_mult` >= 1: the period's growth factor at each restart;
  /// `min_lr` >= 0 (finite, absolute: set_lr does not rescale it).
  explicit CosineWarmRestarts(std::int64_t t0, std::int64_t t_mult = 1, double min_lr = 0.0)
      : t0_(t0), t_mult_(t_mult), min_lr_(min_lr) {
    detail::require_positive_count("CosineWarmRestarts", "t0", t0);
    if (t_mult < 1) {
      detail::throw_setting("CosineWarmRestarts", "t_mult", ">= 1", static_cast<double>(t_mult));
    }
    detail::require_non_negative("CosineWarmRestarts", "min_lr", min_lr);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    std::int64_t t_cur = t;
    std::int64_t period = t0_;
    double period_value = static_cast<double>(period);
    if (t_mult_ == 1) {
      t_cur = t % t0_;
    } else {
      while (t_cur >= period) {
        t_cur -= period;
        // A next period beyond int64 is longer than any remaining t_cur: this one is the last.
        if (period > std::numeric_limits<std::int64_t>::max() / t_mult_) {
          period_value = static_cast<double>(period) * static_cast<double>(t_mult_);
          break;
        }
        period *= t_mult_;
        period_value = static_cast<double>(period);
      }
    }
    const double angle = pi_ * static_cast<double>(t_cur) / period_value;
    return min_lr_ + (base_lr - min_lr_) * (1.0 + std::cos(angle)) / 2.0;
  }

  std::int64_t t0() const { return t0_; }
  std::int64_t t_mult() const { return t_mult_; }
  double min_lr() const { return min_lr_; }

 private:
  static constexpr double pi_ = 3.141592653589793;
  std::int64_t t0_;
  std::int64_t t_mult_;
  double min_lr_;
};

}  // namespace descent
