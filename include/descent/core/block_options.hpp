#pragma once
/// Per-block settings given at registration: learning-rate multiplier and regularization.

#include <string>

#include "descent/detail/format.hpp"

namespace descent {

/// Settings of one registered block; chained setters, validated when the block is added.
class BlockOptions {
 public:
  /// Multiplier of the optimizer's current learning rate for this block (default 1).
  BlockOptions& lr_multiplier(double value) {
    lr_multiplier_ = value;
    return *this;
  }
  double lr_multiplier() const { return lr_multiplier_; }

  /// Whether the optimizer's regularizers apply to this block (default true; biases often opt out).
  BlockOptions& regularize(bool value) {
    regularize_ = value;
    return *this;
  }
  bool regularize() const { return regularize_; }

  /// Throws std::invalid_argument naming `owner` if a setting is out of range.
  void validate(const std::string& owner) const {
    detail::require_non_negative(owner, "lr_multiplier", lr_multiplier_);
  }

 private:
  double lr_multiplier_ = 1.0;
  bool regularize_ = true;
};

}  // namespace descent
