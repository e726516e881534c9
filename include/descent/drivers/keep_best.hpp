#pragma once
/// KeepBest: a callback that restores, at the end of the run, the parameters of the best epoch.

#include <cstdint>
#include <limits>
#include <type_traits>

#include "descent/drivers/objective.hpp"
#include "descent/drivers/result.hpp"

namespace descent {

/// Copies the parameters after each epoch whose loss is the lowest so far, and restores that
/// copy in on_end, setting the result's loss to that epoch loss (and its gradient norm to NaN:
/// it was not measured there). Under GD the epoch loss is the loss at those parameters; under
/// SGD it is the epoch's mean batch loss, measured while the parameters moved. The copy is
/// allocated once, in on_begin.
class KeepBest {
 public:
  template <class Opt>
  void on_begin(const Progress&, Opt& opt) {
    best_ = std::numeric_limits<double>::infinity();
    best_epoch_ = -1;
    copy<typename Opt::scalar_type>().allocate(opt);
  }
  template <class Opt>
  void on_epoch_end(const Progress& p, Opt& opt) {
    if (p.loss < best_) {
      best_ = p.loss;
      best_epoch_ = p.epoch;
      copy<typename Opt::scalar_type>().save(opt);
    }
  }
  template <class Opt>
  void on_end(Result& result, Opt& opt) {
    if (best_epoch_ < 0) return;
    copy<typename Opt::scalar_type>().restore(opt);
    result.loss = best_;
    result.gradient_norm = std::numeric_limits<double>::quiet_NaN();
  }

  /// The lowest epoch loss seen.
  double best() const { return best_; }
  /// Its epoch (0-based), -1 before any.
  std::int64_t best_epoch() const { return best_epoch_; }

 private:
  template <class Scalar>
  detail::ParameterCopy<Scalar>& copy() {
    if constexpr (std::is_same<Scalar, float>::value) {
      return float_copy_;
    } else {
      return double_copy_;
    }
  }

  double best_ = std::numeric_limits<double>::infinity();
  std::int64_t best_epoch_ = -1;
  detail::ParameterCopy<float> float_copy_;
  detail::ParameterCopy<double> double_copy_;
};

}  // namespace descent
