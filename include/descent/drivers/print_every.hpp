#pragma once
/// PrintEvery: a callback printing the loss every N steps.

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <ostream>

#include "descent/drivers/objective.hpp"
#include "descent/drivers/result.hpp"

namespace descent {

/// Prints `step 100 epoch 2 loss 0.123457 grad_norm 0.0123` every `every` steps (to std::cout
/// unless another stream is given).
class PrintEvery {
 public:
  /// every >= 1 (std::invalid_argument otherwise).
  explicit PrintEvery(std::int64_t every, std::ostream& out = std::cout)
      : every_(every), out_(&out) {
    detail::require_at_least("PrintEvery", "every", every, 1);
  }

  void on_step(const Progress& p) {
    if (p.step % every_ != 0) return;
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "step %lld epoch %lld loss %.6g grad_norm %.6g\n",
                  static_cast<long long>(p.step), static_cast<long long>(p.epoch) + 1, p.loss,
                  p.gradient_norm);
    *out_ << buffer;
  }

 private:
  std::int64_t every_;
  std::ostream* out_;
};

}  // namespace descent
