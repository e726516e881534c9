#pragma once
/// Exponential: multiply the rate by gamma every step (PyTorch ExponentialLR).

#include <cassert>
#include <cmath>
#include <cstdint>

#include "descent/detail/format.hpp"

namespace descent {

/// lr(t) = base * gamma^t, as ExponentialLR's closed form.
class Exponential {
 public:
  /// `gamma` > 0 (finite): the factor applied after every step.
  explicit Exponential(double gamma) : gamma_(gamma) {
    detail::require_positive("Exponential", "gamma", gamma);
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    return base_lr * std::pow(gamma_, static_cast<double>(t));
  }

  double gamma() const { return gamma_; }

 private:
  double gamma_;
};

}  // namespace descent
