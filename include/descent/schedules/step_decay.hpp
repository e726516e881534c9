#pragma once
/// StepDecay: multiply the rate by gamma every step_size steps (PyTorch StepLR).

#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// lr(t) = base * gamma^floor(t / step_size), as torch.optim.lr_scheduler.StepLR's closed form.
class StepDecay {
 public:
  /// `step_size` > 0 steps between decays; `gamma` > 0 (finite) the factor of each decay.
  StepDecay(std::int64_t step_size, double gamma) : step_size_(step_size), gamma_(gamma) {
    detail::require_positive_count("StepDecay", "step_size", step_size);
    detail::require_positive("StepDecay", "gamma", gamma);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    const std::int64_t decays = t / step_size_;  // whole periods completed: floor division
    return base_lr * std::pow(gamma_, static_cast<double>(decays));
  }

  std::int64_t step_size() const { return step_size_; }
  double gamma() const { return gamma_; }

 private:
  std::int64_t step_size_;
  double gamma_;
};

}  // namespace descent
