#pragma once
/// LossHistory: a callback recording the loss of every epoch (and, optionally, every step).

#include <cstddef>
#include <vector>

#include "descent/drivers/result.hpp"

namespace descent {

/// Records epoch losses (GD: the loss after each iteration) and, with `record_steps`, the loss
/// of every step (SGD: the batch loss). Space for the whole run is reserved in on_begin.
class LossHistory {
 public:
  explicit LossHistory(bool record_steps = false) : record_steps_(record_steps) {}

  void on_begin(const Progress& p) {
    epoch_losses_.clear();
    step_losses_.clear();
    epoch_losses_.reserve(std::size_t(p.epochs));
    if (record_steps_) step_losses_.reserve(std::size_t(p.total_steps()));
  }
  void on_step(const Progress& p) {
    if (record_steps_) step_losses_.push_back(p.loss);
  }
  void on_epoch_end(const Progress& p) { epoch_losses_.push_back(p.loss); }

  const std::vector<double>& epoch_losses() const { return epoch_losses_; }
  const std::vector<double>& step_losses() const { return step_losses_; }

 private:
  bool record_steps_;
  std::vector<double> epoch_losses_;
  std::vector<double> step_losses_;
};

}  // namespace descent
