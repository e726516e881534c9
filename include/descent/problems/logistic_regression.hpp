#pragma once
/// LogisticRegression: L2-regularized binary logistic regression on seeded synthetic data, a
/// separable objective.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/drivers/objective.hpp"
#include "descent/random/rng.hpp"

namespace descent::problems {

/// Examples (a_i, y_i), i < n: a_i ~ N(0, I_d), y_i = 1 with probability sigma(a_i . w_true + 0.5)
/// (w_true ~ N(0, I_d)), else 0, all drawn by Rng(seed); the labels are noisy, so the data are not
/// separable. Parameters theta = (w, b), d + 1 values, the bias last. With z_i = a_i . w + b:
///   loss over a batch B = (1/|B|) sum_{i in B} [softplus(z_i) - y_i z_i] + l2/2 |theta|^2,
///   gradient = (1/|B|) sum (sigma(z_i) - y_i) (a_i, 1) + l2 theta,
/// so the full loss is strongly convex (l2 > 0) with a unique minimizer, found numerically (no
/// closed form). Computed in double, softplus(z) = max(z, 0) + log1p(exp(-|z|)) to avoid overflow;
/// gradients cast to the parameter's scalar. Holds a scratch vector: one instance must not be
/// evaluated from two threads at once.
class LogisticRegression {
 public:
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// n >= 1 examples of dimension d >= 1, l2 finite and >= 0 (std::invalid_argument otherwise).
  LogisticRegression(Eigen::Index n, Eigen::Index d, std::uint64_t seed = 1, double l2 = 1e-3)
      : features_(n, d), labels_(n), l2_(l2), scratch_(d + 1) {
    if (n < 1) detail::throw_setting("LogisticRegression", "n", ">= 1", double(n));
    if (d < 1) detail::throw_setting("LogisticRegression", "d", ">= 1", double(d));
    detail::require_non_negative("LogisticRegression", "l2", l2);
    Rng rng(seed);
    Eigen::VectorXd truth(d);
    for (Eigen::Index j = 0; j < d; ++j) truth[j] = rng.normal();
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < d; ++j) features_(i, j) = rng.normal();
      const double z = features_.row(i).dot(truth) + 0.5;
      labels_[i] = rng.uniform() < sigmoid(z) ? 1.0 : 0.0;
    }
  }

  Eigen::Index num_examples() const { return features_.rows(); }
  /// Parameters: d weights and the bias.
  Eigen::Index dimension() const { return features_.cols() + 1; }
  const RowMajor& features() const { return features_; }
  const Eigen::VectorXd& labels() const { return labels_; }

  /// Mean loss and gradient over the batch's examples.
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad, const Batch& batch) const {
    return evaluate(theta, grad, batch.size(), [&](Eigen::Index k) { return batch[k]; });
  }
  /// Mean loss and gradient over all examples (a differentiable objective for GD).
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) const {
    return evaluate(theta, grad, num_examples(), [](Eigen::Index k) { return k; });
  }

  /// Fraction of examples whose label is predicted correctly (z > 0 predicts 1).
  template <class Scalar>
  double accuracy(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta) const {
    Eigen::Index correct = 0;
    for (Eigen::Index i = 0; i < num_examples(); ++i) {
      correct += (logit(theta, i) > 0.0) == (labels_[i] > 0.5) ? 1 : 0;
    }
    return double(correct) / double(num_examples());
  }

  static double sigmoid(double z) {
    return z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
  }

 private:
  template <class Scalar>
  double logit(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta, Eigen::Index i) const {
    const Eigen::Index d = features_.cols();
    double z = double(theta[d]);
    for (Eigen::Index j = 0; j < d; ++j) z += features_(i, j) * double(theta[j]);
    return z;
  }

  template <class Scalar, class Index>
  double evaluate(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& theta,
                  Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad, Eigen::Index m,
                  Index index) const {
    grad.resize(theta.size());
    const Eigen::Index d = features_.cols();
    scratch_.setZero();
    double loss = 0.0;
    for (Eigen::Index k = 0; k < m; ++k) {
      const Eigen::Index i = index(k);
      const double z = logit(theta, i);
      loss += std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))) - labels_[i] * z;
      const double r = sigmoid(z) - labels_[i];
      scratch_.head(d) += r * features_.row(i).transpose();
      scratch_[d] += r;
    }
    double penalty = 0.0;
    for (Eigen::Index j = 0; j <= d; ++j) {
      const double t = double(theta[j]);
      penalty += t * t;
      grad[j] = Scalar(scratch_[j] / double(m) + l2_ * t);
    }
    return loss / double(m) + 0.5 * l2_ * penalty;
  }

  RowMajor features_;
  Eigen::VectorXd labels_;
  double l2_;
  mutable Eigen::VectorXd scratch_;
};

}  // namespace descent::problems
