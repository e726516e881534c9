#pragma once
// The GAN demo's learning-rate schedule, chosen on the command line among library schedules.

#include <cstdint>
#include <stdexcept>
#include <string>

#include <descent/schedules/cosine.hpp>
#include <descent/schedules/polynomial.hpp>

namespace gan {

/// A run-time choice of schedule (the optimizer's Schedule slot is a type, so the demo holds
/// each candidate and switches): constant; or constant until `decay_start` steps, then a linear
/// (Polynomial, power 1) or cosine decay to zero at `total` steps.
class Schedule {
 public:
  enum class Kind { constant, linear, cosine };

  Schedule() : Schedule(Kind::constant, 1, 2) {}
  /// `decay_start` in [0, total), `total` > 0.
  Schedule(Kind kind, std::int64_t decay_start, std::int64_t total)
      : kind_(kind),
        decay_start_(decay_start),
        linear_(descent::Polynomial(total - decay_start, 1.0, 0.0)),
        cosine_(descent::Cosine(total - decay_start, 0.0)) {}

  double lr(double base_lr, std::int64_t t) const {
    if (kind_ == Kind::constant || t < decay_start_) return base_lr;
    const std::int64_t s = t - decay_start_;
    return kind_ == Kind::linear ? linear_.lr(base_lr, s) : cosine_.lr(base_lr, s);
  }

  /// "constant", "linear" or "cosine"; anything else throws std::invalid_argument.
  static Kind kind_by_name(const std::string& name) {
    if (name == "constant") return Kind::constant;
    if (name == "linear") return Kind::linear;
    if (name == "cosine") return Kind::cosine;
    throw std::invalid_argument("gan: --schedule must be constant, linear or cosine, got \"" +
                                name + "\"");
  }

 private:
  Kind kind_;
  std::int64_t decay_start_;
  descent::Polynomial linear_;
  descent::Cosine cosine_;
};

}  // namespace gan
