#pragma once
/// Polyak-Ruppert averaging: the running mean of the parameters since averaging began.

#include <cstdint>

#include "descent/core/policy_kind.hpp"
#include "descent/detail/format.hpp"

namespace descent {

/// Running mean of the values after each step (Polyak & Juditsky, 1992; SWA's default,
/// torch.optim.swa_utils.AveragedModel):  a <- a + (p - a) / (count + 1), a = p on the first.
/// Averaging begins after `start` completed steps (SWA starts late in training).
class Polyak {
 public:
  static constexpr PolicyKind kind = PolicyKind::average;

  explicit Polyak(std::int64_t start = 0) : start_(start) {
    if (start < 0) detail::throw_setting("Polyak", "start", ">= 0", double(start));
  }
  std::int64_t start() const { return start_; }

  template <class A, class P>
  void update(A& average, const P& value, std::int64_t count) const {
    using Scalar = typename P::Scalar;
    if (count == 0) {
      average = value;
    } else {
      average = average + (value - average) / Scalar(count + 1);
    }
  }

 private:
  std::int64_t start_;
};

}  // namespace descent
