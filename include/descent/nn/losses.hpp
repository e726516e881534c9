#pragma once
/// Losses on a minibatch: BCE on logits, BCE on probabilities, mean squared error.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "descent/detail/format.hpp"

namespace descent::nn {

// Each loss takes predictions and targets of one shape (outputs x batch; targets may be any
// expression, e.g. Matrix::Ones(1, n)), writes dLoss/dPredictions into `grad` (resized to that
// shape, so no allocation at a fixed batch size) and returns the loss. The reduction is the mean
// over all elements (PyTorch's reduction="mean"; for one output per sample, the batch mean).
// Sums are accumulated in double.

namespace detail_losses {
template <class P, class T>
void check_shapes(const char* loss, const P& predictions, const T& targets) {
  if (predictions.rows() != targets.rows() || predictions.cols() != targets.cols()) {
    throw std::invalid_argument(std::string(loss) + ": targets must have the predictions' shape " +
                                detail::format_shape(predictions.rows(), predictions.cols()) +
                                ", got " + detail::format_shape(targets.rows(), targets.cols()));
  }
  if (predictions.size() == 0) {
    throw std::invalid_argument(std::string(loss) + ": predictions must not be empty");
  }
}
}  // namespace detail_losses

/// Binary cross-entropy on logits x (torch.nn.BCEWithLogitsLoss), for targets y in [0, 1]:
///   l = max(x, 0) - x y + log(1 + exp(-|x|)),   dl/dx = sigmoid(x) - y,
/// which never overflows: exp only ever sees -|x|.
template <class X, class T, class G>
double bce_with_logits(const Eigen::MatrixBase<X>& logits, const Eigen::MatrixBase<T>& targets,
                       G& grad) {
  using S = typename X::Scalar;
  detail_losses::check_shapes("bce_with_logits", logits, targets);
  grad.resize(logits.rows(), logits.cols());
  const double n = double(logits.size());
  double sum = 0.0;
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
      const double x = double(logits(i, j)), y = double(targets(i, j));
      const double e = std::exp(-std::abs(x));
      sum += std::max(x, 0.0) - x * y + std::log1p(e);
      const double sigmoid = x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      grad(i, j) = S((sigmoid - y) / n);
    }
  }
  return sum / n;
}

/// Binary cross-entropy on probabilities p (torch.nn.BCELoss), for targets y in [0, 1]:
///   l = -(y log p + (1 - y) log(1 - p)),   dl/dp = (p - y) / (p (1 - p)).
/// As PyTorch does, each log is clamped at -100 (p = 0 or 1 gives a finite loss) and the
/// gradient's denominator at 1e-12.
template <class P, class T, class G>
double bce(const Eigen::MatrixBase<P>& probabilities, const Eigen::MatrixBase<T>& targets,
           G& grad) {
  using S = typename P::Scalar;
  detail_losses::check_shapes("bce", probabilities, targets);
  grad.resize(probabilities.rows(), probabilities.cols());
  const double n = double(probabilities.size());
  double sum = 0.0;
  for (Eigen::Index j = 0; j < probabilities.cols(); ++j) {
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
      const double p = double(probabilities(i, j)), y = double(targets(i, j));
      const double log_p = std::max(std::log(p), -100.0);
      const double log_q = std::max(std::log1p(-p), -100.0);
      sum -= y * log_p + (1.0 - y) * log_q;
      grad(i, j) = S((p - y) / std::max(p * (1.0 - p), 1e-12) / n);
    }
  }
  return sum / n;
}

/// Mean squared error (torch.nn.MSELoss): l = (x - y)^2, dl/dx = 2 (x - y).
template <class X, class T, class G>
double mse(const Eigen::MatrixBase<X>& predictions, const Eigen::MatrixBase<T>& targets, G& grad) {
  using S = typename X::Scalar;
  detail_losses::check_shapes("mse", predictions, targets);
  grad.resize(predictions.rows(), predictions.cols());
  const double n = double(predictions.size());
  double sum = 0.0;
  for (Eigen::Index j = 0; j < predictions.cols(); ++j) {
    for (Eigen::Index i = 0; i < predictions.rows(); ++i) {
      const double d = double(predictions(i, j)) - double(targets(i, j));
      sum += d * d;
      grad(i, j) = S(2.0 * d / n);
    }
  }
  return sum / n;
}

}  // namespace descent::nn
