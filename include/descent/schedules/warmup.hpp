#pragma once
/// Warmup<Inner>: a linear warm-up in front of any schedule (PyTorch LinearLR followed by the
/// inner scheduler in SequentialLR).

#include <cassert>
#include <cstdint>
#include <utility>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// With W = warmup_steps, s = start_factor and r0 = inner.lr(base, 0):
///   lr(t) = r0 * (s + (1 - s) * t / W)     for t < W   (s * r0 at t = 0, rising linearly)
///   lr(t) = inner.lr(base, t - W)           for t >= W  (r0 at t = W: the inner clock starts)
/// For s > 0 and an inner schedule with r0 = base (every schedule here except OneCycle and a
/// nested Warmup) this is SequentialLR([LinearLR(s, 1.0, W), inner], milestones=[W]).
/// PyTorch's LinearLR requires s > 0; here s = 0 is allowed and is the default, so the first
/// step has rate 0 (the convention of linear warm-up in Hugging Face transformers): the step
/// still counts, e.g. Adam's moments and bias correction advance. W = 0 means no warm-up.
template <class Inner>
class Warmup {
 public:
  /// `warmup_steps` >= 0; `start_factor` in [0, 1]: the fraction of r0 used at t = 0.
  Warmup(std::int64_t warmup_steps, Inner inner, double start_factor = 0.0)
      : warmup_steps_(warmup_steps), start_factor_(start_factor), inner_(std::move(inner)) {
    detail::require_non_negative_count("Warmup", "warmup_steps", warmup_steps);
    if (!(start_factor >= 0.0 && start_factor <= 1.0)) {
      detail::throw_setting("Warmup", "start_factor", "in [0, 1]", start_factor);
    }
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    if (t >= warmup_steps_) return inner_.lr(base_lr, t - warmup_steps_);
    const double factor = start_factor_ + (1.0 - start_factor_) * static_cast<double>(t) /
                                              static_cast<double>(warmup_steps_);
    return inner_.lr(base_lr, 0) * factor;
  }

  std::int64_t warmup_steps() const { return warmup_steps_; }
  double start_factor() const { return start_factor_; }
  /// The schedule after warm-up (e.g. to report a metric to a ReduceOnPlateau).
  Inner& inner() { return inner_; }
  const Inner& inner() const { return inner_; }

 private:
  std::int64_t warmup_steps_;
  double start_factor_;
  Inner inner_;
};

}  // namespace descent
