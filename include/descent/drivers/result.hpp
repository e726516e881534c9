#pragma once
/// What a driver run reports: the stop reason, the result, and the progress seen by callbacks.

#include <cstdint>
#include <limits>
#include <vector>

namespace descent {

/// Why a driver run stopped.
enum class StopReason {
  max_iterations,      ///< GD ran its max_iterations steps
  max_epochs,          ///< SGD ran its epochs
  gradient_tolerance,  ///< gradient norm <= gradient_tolerance (converged)
  loss_tolerance,      ///< relative loss change <= loss_tolerance (converged)
  non_finite,          ///< the loss or gradient became NaN or Inf; last finite parameters restored
  callback,            ///< a callback returned Continue::stop (or false)
  early_stopping,      ///< a callback returned Continue::early_stop (converged)
};

/// A sentence describing a stop reason.
inline const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::max_iterations:
      return "reached the maximum number of iterations";
    case StopReason::max_epochs:
      return "reached the maximum number of epochs";
    case StopReason::gradient_tolerance:
      return "gradient norm below gradient_tolerance";
    case StopReason::loss_tolerance:
      return "relative loss change below loss_tolerance";
    case StopReason::non_finite:
      return "loss or gradient became NaN or Inf; restored the last finite parameters";
    case StopReason::callback:
      return "stopped by a callback";
    case StopReason::early_stopping:
      return "early stopping: the loss stopped improving";
  }
  return "unknown";
}

/// Whether a stop reason counts as convergence.
inline bool is_converged(StopReason reason) {
  return reason == StopReason::gradient_tolerance || reason == StopReason::loss_tolerance ||
         reason == StopReason::early_stopping;
}

/// What a callback hook returns to the driver (a hook may also return void or bool: true goes on).
enum class Continue {
  yes,         ///< go on
  stop,        ///< stop now (StopReason::callback, not converged)
  early_stop,  ///< stop now as converged (StopReason::early_stopping)
};

/// The outcome of a driver run.
struct Result {
  double loss = std::numeric_limits<double>::quiet_NaN();  ///< final loss (see docs/drivers.md)
  double gradient_norm = std::numeric_limits<double>::quiet_NaN();  ///< its gradient's L2 norm
  std::int64_t iterations = 0;                                      ///< optimizer steps taken
  std::int64_t epochs = 0;       ///< completed epochs (GD: equals iterations)
  std::int64_t evaluations = 0;  ///< objective calls
  /// Evaluations whose loss or gradient was NaN/Inf and that were dropped without a step (only
  /// with an optimizer holding CheckFinite(NonFinite::skip); see docs/drivers.md).
  std::int64_t skipped_steps = 0;
  StopReason reason = StopReason::max_iterations;
  bool converged = false;            ///< is_converged(reason)
  std::vector<double> epoch_losses;  ///< SGD: mean loss of each completed epoch; GD: empty
  /// to_string(reason).
  const char* message() const { return to_string(reason); }
};

/// Where a run is, as callbacks see it.
struct Progress {
  std::int64_t epoch = 0;            ///< current epoch, 0-based (GD: one iteration = one epoch)
  std::int64_t epochs = 0;           ///< planned epochs (GD: max_iterations)
  std::int64_t step = 0;             ///< optimizer steps taken so far in this run
  std::int64_t step_in_epoch = 0;    ///< steps taken so far in this epoch
  std::int64_t steps_per_epoch = 0;  ///< batches per epoch (GD: 1)
  double loss =
      std::numeric_limits<double>::quiet_NaN();  ///< latest loss (epoch loss at epoch end)
  double gradient_norm = std::numeric_limits<double>::quiet_NaN();  ///< latest gradient norm
  /// Planned total steps.
  std::int64_t total_steps() const { return epochs * steps_per_epoch; }
};

}  // namespace descent
