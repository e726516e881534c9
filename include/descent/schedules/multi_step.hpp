#pragma once
/// MultiStep: multiply the rate by gamma at each milestone (PyTorch MultiStepLR).

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "descent/detail/format.hpp"
#include "descent/schedules/checks.hpp"

namespace descent {

/// lr(t) = base * gamma^(number of milestones <= t), as MultiStepLR's closed form.
/// Milestones must be non-empty, positive and strictly increasing (PyTorch also accepts
/// repeated milestones, each decaying once more; write the product into gamma instead).
class MultiStep {
 public:
  /// `milestones`: steps at which the decay applies; `gamma` > 0 (finite).
  MultiStep(std::vector<std::int64_t> milestones, double gamma)
      : milestones_(std::move(milestones)), gamma_(gamma) {
    if (milestones_.empty()) {
      throw std::invalid_argument("MultiStep: milestones must not be empty");
    }
    detail::require_milestones("MultiStep", milestones_.data(), milestones_.size());
    detail::require_positive("MultiStep", "gamma", gamma);
  }

  /// Allocates nothing: a binary search over the milestones.
  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    const auto passed =
        std::upper_bound(milestones_.begin(), milestones_.end(), t) - milestones_.begin();
    return base_lr * std::pow(gamma_, static_cast<double>(passed));
  }

  const std::vector<std::int64_t>& milestones() const { return milestones_; }
  double gamma() const { return gamma_; }

 private:
  std::vector<std::int64_t> milestones_;
  double gamma_;
};

}  // namespace descent
