#pragma once
/// EarlyStopping: a callback that stops the run when the epoch loss stops improving.

#include <cstdint>
#include <limits>

#include "descent/detail/format.hpp"
#include "descent/drivers/objective.hpp"
#include "descent/drivers/result.hpp"

namespace descent {

/// Stops (Continue::early_stop, StopReason::early_stopping) after `patience` consecutive epochs
/// whose loss is not below best - min_delta (Keras' EarlyStopping with mode "min"). A NaN loss
/// never improves.
class EarlyStopping {
 public:
  /// patience >= 1, min_delta finite and >= 0 (std::invalid_argument otherwise).
  explicit EarlyStopping(std::int64_t patience, double min_delta = 0.0)
      : patience_(patience), min_delta_(min_delta) {
    detail::require_at_least("EarlyStopping", "patience", patience, 1);
    detail::require_non_negative("EarlyStopping", "min_delta", min_delta);
  }

  void on_begin(const Progress&) {
    best_ = std::numeric_limits<double>::infinity();
    wait_ = 0;
  }
  Continue on_epoch_end(const Progress& p) {
    if (p.loss < best_ - min_delta_) {
      best_ = p.loss;
      wait_ = 0;
      return Continue::yes;
    }
    return ++wait_ >= patience_ ? Continue::early_stop : Continue::yes;
  }

  /// Best epoch loss so far.
  double best() const { return best_; }
  /// Epochs since the last improvement.
  std::int64_t wait() const { return wait_; }

 private:
  std::int64_t patience_;
  double min_delta_;
  double best_ = std::numeric_limits<double>::infinity();
  std::int64_t wait_ = 0;
};

}  // namespace descent
