#pragma once
/// The constant learning-rate schedule; it also documents the schedule concept.

#include <cstdint>

namespace descent {

/// A schedule is a small copyable value type with
///   double lr(double base_lr, std::int64_t t) const;
/// returning the absolute learning rate of the step that follows `t` completed steps
/// (t = 0 for the first step, PyTorch's convention). `base_lr` is the optimizer's
/// configured learning rate, so a run-time `set_lr` rescales every schedule.
/// Constructors validate their settings (std::invalid_argument naming setting and value).
/// t is never negative (schedules assert it in debug builds); lr() is const, allocates nothing
/// and makes no virtual call. Rates a schedule takes as settings (min_lr, end_lr) are absolute
/// and not rescaled by set_lr. Every schedule: "descent/schedules/schedules.hpp"; formulas and
/// differences from PyTorch: docs/schedules.md.
///
/// Constant: the base rate at every step.
struct Constant {
  double lr(double base_lr, std::int64_t /*t*/) const { return base_lr; }
};

}  // namespace descent
