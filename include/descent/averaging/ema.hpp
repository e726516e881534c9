#pragma once
/// Exponential moving average of the parameters, kept per block and updated in the step's pass.

#include <cstdint>
#include <string>

#include "descent/core/policy_kind.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// EMA of the values after each step (torch.optim.swa_utils.get_ema_multi_avg_fn):
///   first averaged step:  a <- p;   later:  a <- decay * a + (1 - decay) * p
/// Averaging begins after `start` completed steps. Before it begins the average holds the values
/// at registration. `Optimizer::swap_averages()` exchanges averages and values for evaluation.
class Ema {
 public:
  static constexpr PolicyKind kind = PolicyKind::average;

  explicit Ema(double decay = 0.999, std::int64_t start = 0) : decay_(decay), start_(start) {
    detail::require_unit_interval("Ema", "decay", decay);
    if (start < 0) detail::throw_setting("Ema", "start", ">= 0", double(start));
  }
  double decay() const { return decay_; }
  std::int64_t start() const { return start_; }

  template <class A, class P>
  void update(A& average, const P& value, std::int64_t count) const {
    using Scalar = typename P::Scalar;
    if (count == 0) {
      average = value;
    } else {
      average = Scalar(decay_) * average + Scalar(1.0 - decay_) * value;
    }
  }

 private:
  double decay_;
  std::int64_t start_;
};

}  // namespace descent
