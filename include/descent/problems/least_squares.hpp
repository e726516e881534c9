#pragma once
/// LeastSquares: linear least squares on seeded synthetic data, a separable objective with a
/// closed-form optimum.

#include <cstdint>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/drivers/objective.hpp"
#include "descent/random/rng.hpp"

namespace descent::problems {

/// Examples (a_i, y_i), i < n, with a_i ~ N(0, I_d), y_i = a_i . w_true + noise * N(0, 1), all
/// drawn by Rng(seed). Loss over a batch B: (1/|B|) sum_{i in B} 1/2 (a_i . w - y_i)^2, gradient
/// (1/|B|) sum (a_i . w - y_i) a_i. The optimum is w* = (A^T A)^{-1} A^T y (normal equations).
/// Computed in double; gradients cast to the parameter's scalar. Holds a scratch vector, so one
/// instance must not be evaluated from two threads at once.
class LeastSquares {
 public:
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  /// n >= 1 examples of dimension d >= 1 (std::invalid_argument otherwise).
  LeastSquares(Eigen::Index n, Eigen::Index d, std::uint64_t seed = 1, double noise = 0.1)
      : features_(n, d), targets_(n), truth_(d), scratch_(d) {
    if (n < 1) detail::throw_setting("LeastSquares", "n", ">= 1", double(n));
    if (d < 1) detail::throw_setting("LeastSquares", "d", ">= 1", double(d));
    detail::require_non_negative("LeastSquares", "noise", noise);
    Rng rng(seed);
    for (Eigen::Index j = 0; j < d; ++j) truth_[j] = rng.normal();
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < d; ++j) features_(i, j) = rng.normal();
      targets_[i] = features_.row(i).dot(truth_) + noise * rng.normal();
    }
  }

  Eigen::Index num_examples() const { return features_.rows(); }
  Eigen::Index dimension() const { return features_.cols(); }
  const RowMajor& features() const { return features_; }
  const Eigen::VectorXd& targets() const { return targets_; }

  /// Mean loss and gradient over the batch's examples.
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& w,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad, const Batch& batch) const {
    return evaluate(w, grad, batch.size(), [&](Eigen::Index k) { return batch[k]; });
  }
  /// Mean loss and gradient over all examples (a differentiable objective for GD).
  template <class Scalar>
  double operator()(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& w,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad) const {
    return evaluate(w, grad, num_examples(), [](Eigen::Index k) { return k; });
  }

  /// The least-squares solution, from the normal equations (Cholesky, LDL^T).
  Eigen::VectorXd minimizer() const {
    const Eigen::MatrixXd gram = features_.transpose() * features_;
    return gram.ldlt().solve(features_.transpose() * targets_);
  }
  /// The mean loss at minimizer().
  double minimum() const {
    const Eigen::VectorXd residual = features_ * minimizer() - targets_;
    return 0.5 * residual.squaredNorm() / double(num_examples());
  }

 private:
  template <class Scalar, class Index>
  double evaluate(const Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& w,
                  Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& grad, Eigen::Index m,
                  Index index) const {
    grad.resize(w.size());
    scratch_.setZero();
    double loss = 0.0;
    for (Eigen::Index k = 0; k < m; ++k) {
      const Eigen::Index i = index(k);
      double r = -targets_[i];
      for (Eigen::Index j = 0; j < w.size(); ++j) r += features_(i, j) * double(w[j]);
      loss += 0.5 * r * r;
      scratch_ += r * features_.row(i).transpose();
    }
    grad = (scratch_ / double(m)).template cast<Scalar>();
    return loss / double(m);
  }

  RowMajor features_;
  Eigen::VectorXd targets_;
  Eigen::VectorXd truth_;
  mutable Eigen::VectorXd scratch_;
};

}  // namespace descent::problems
