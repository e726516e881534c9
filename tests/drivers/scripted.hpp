#pragma once
// Objectives with hand-chosen losses, for tests of the drivers' bookkeeping.

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <Eigen/Core>

namespace drivers_test {

/// f(x) for x in R^1: the i-th call returns losses[i] (the last one thereafter) and gradient
/// `slope`; with Sgd(lr = 1) x moves by -slope per step, so x after k steps is x0 - k * slope.
template <class Scalar>
struct Scripted {
  std::vector<double> losses;
  double slope = 1.0;
  std::size_t calls = 0;

  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>&,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) {
    grad.setConstant(Scalar(slope));
    const double loss = losses[std::min(calls, losses.size() - 1)];
    ++calls;
    return loss;
  }
};

inline const double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace drivers_test
