#pragma once
/// Dense: a fully connected layer y = dropout(f(W x + b)) on a whole minibatch at once.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "descent/core/block_options.hpp"
#include "descent/detail/format.hpp"
#include "descent/nn/activations.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/init.hpp"

namespace descent::nn {

/// What backward() computes: everything, only the parameters' gradients (a first layer), or
/// only the input's gradient (a frozen network that passes gradients through, as D for G).
enum class Need { all, parameters, input };

/// A fully connected layer on a minibatch stored as columns (X is in x batch, column-major):
///   Z = W X + b 1^T,  A = f(Z),  Y = A .* mask  (mask: DropoutPolicy, training mode only)
/// W is out x in and b is out x 1, plain Eigen matrices to register in any descent optimizer
/// (add_to does it). forward() keeps a copy of its input; backward(dY) writes (does not
/// accumulate) dW = dZ X^T, db = dZ 1, and dX = W^T dZ, with dZ = f'(Z) .* (dY .* mask).
/// Buffers are kept per batch size (up to four sizes; a fifth reuses the oldest set): once a
/// layer has seen its batch sizes, forward and backward allocate nothing. A GAN's discriminator
/// sees two sizes in turn (real + generated, then generated only), and alternating sizes would
/// otherwise reallocate every buffer on every call.
template <class Scalar, class ActivationT = Identity, class DropoutPolicy = NoDropout>
class Dense {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

  /// An in -> out layer with zero weights and bias (initialize them, e.g. with initialize()).
  Dense(Eigen::Index in, Eigen::Index out, ActivationT activation = ActivationT(),
        DropoutPolicy dropout = DropoutPolicy())
      : activation_(activation), dropout_(dropout) {
    if (in < 1) detail::throw_setting("Dense", "in", ">= 1", double(in));
    if (out < 1) detail::throw_setting("Dense", "out", ">= 1", double(out));
    weight_ = Matrix::Zero(out, in);
    weight_grad_ = Matrix::Zero(out, in);
    bias_ = Vector::Zero(out);
    bias_grad_ = Vector::Zero(out);
    workspaces_.reserve(kMaxWorkspaces);  // a new batch size does not move the other buffers
    workspaces_.emplace_back();
  }

  /// Fills the weights by `init` from `rng` and sets the bias to zero.
  void initialize(Init init, Rng& rng, double gain = 1.0) {
    nn::initialize(weight_, init, rng, gain);
    bias_.setZero();
  }

  Eigen::Index in() const { return weight_.cols(); }
  Eigen::Index out() const { return weight_.rows(); }
  Matrix& weight() { return weight_; }
  const Matrix& weight() const { return weight_; }
  Vector& bias() { return bias_; }
  const Vector& bias() const { return bias_; }
  Matrix& weight_grad() { return weight_grad_; }
  const Matrix& weight_grad() const { return weight_grad_; }
  Vector& bias_grad() { return bias_grad_; }
  const Vector& bias_grad() const { return bias_grad_; }
  const ActivationT& activation() const { return activation_; }
  DropoutPolicy& dropout() { return dropout_; }
  /// Training mode (the default) applies dropout; evaluation mode does not.
  void train(bool training = true) { training_ = training; }
  void eval() { training_ = false; }
  bool training() const { return training_; }

  /// Registers "<prefix>.weight" and "<prefix>.bias" in `opt`; the bias gets
  /// BlockOptions().regularize(false) (no L1/L2/decay on biases), the weight `weight_options`.
  template <class Optimizer>
  void add_to(Optimizer& opt, const std::string& prefix,
              const BlockOptions& weight_options = BlockOptions()) {
    opt.add(prefix + ".weight", weight_, weight_grad_, weight_options);
    opt.add(prefix + ".bias", bias_, bias_grad_, BlockOptions().regularize(false));
  }

  /// Y for the batch `x` (in x batch); the reference stays valid until the next forward.
  template <class X>
  const Matrix& forward(const Eigen::MatrixBase<X>& x) {
    if (x.rows() != in()) {
      throw std::invalid_argument("Dense: input must have " + std::to_string(in()) +
                                  " rows (features), got " +
                                  detail::format_shape(x.rows(), x.cols()));
    }
    Workspace& w = workspace_for(x.cols());
    w.input = x;  // no allocation: this workspace already has x's shape
    w.z.resize(out(), x.cols());
    w.output.resize(out(), x.cols());
    w.z.noalias() = weight_ * w.input;
    w.z.colwise() += bias_;
    if constexpr (DropoutPolicy::active) {
      w.activated.resize(out(), x.cols());
      activation_.forward(w.z.array(), w.activated.array());
      w.output = w.activated;
      dropout_.forward(w.output, w.mask, training_);
    } else {
      activation_.forward(w.z.array(), w.output.array());
    }
    return w.output;
  }

  /// Gradients for dL/dY = `grad_output` (out x batch) of the last forward; returns dL/dX
  /// (empty unless `need` includes the input).
  template <class G>
  const Matrix& backward(const Eigen::MatrixBase<G>& grad_output, Need need = Need::all) {
    Workspace& w = workspaces_[current_];
    if (grad_output.rows() != w.output.rows() || grad_output.cols() != w.output.cols()) {
      throw std::invalid_argument("Dense: backward expects a gradient of shape " +
                                  detail::format_shape(w.output.rows(), w.output.cols()) +
                                  " (the last forward's output), got " +
                                  detail::format_shape(grad_output.rows(), grad_output.cols()));
    }
    w.grad_z.resize(out(), w.output.cols());
    w.grad_z = grad_output;
    dropout_.backward(w.grad_z, w.mask);
    const Matrix& activated = DropoutPolicy::active ? w.activated : w.output;
    activation_.backward(w.z.array(), activated.array(), w.grad_z.array(), w.grad_z.array());
    if (need != Need::input) {
      weight_grad_.noalias() = w.grad_z * w.input.transpose();
      bias_grad_.noalias() = w.grad_z.rowwise().sum();
    }
    if (need != Need::parameters) {
      w.grad_input.resize(in(), w.output.cols());
      w.grad_input.noalias() = weight_.transpose() * w.grad_z;
    }
    return w.grad_input;
  }

  /// The last forward's output Y.
  const Matrix& output() const { return workspaces_[current_].output; }
  /// The last backward's dL/dX.
  const Matrix& grad_input() const { return workspaces_[current_].grad_input; }

 private:
  Matrix weight_, weight_grad_;
  Vector bias_, bias_grad_;
  ActivationT activation_;
  DropoutPolicy dropout_;
  bool training_ = true;
  // The buffers of one batch size. `activated` (f(Z) before dropout) and `mask` stay empty
  // without dropout.
  struct Workspace {
    Matrix input, z, activated, output, mask, grad_z, grad_input;
  };
  static constexpr std::size_t kMaxWorkspaces = 4;

  // The workspace of batch size `batch`, made current: an existing one, a new one while fewer
  // than kMaxWorkspaces exist, else the next one in turn (whose buffers then reallocate).
  Workspace& workspace_for(Eigen::Index batch) {
    for (std::size_t k = 0; k < workspaces_.size(); ++k) {
      if (workspaces_[k].input.cols() == batch && workspaces_[k].input.rows() == in()) {
        current_ = k;
        return workspaces_[k];
      }
    }
    if (workspaces_.front().input.size() == 0) {
      current_ = 0;  // the first forward fills the initial workspace
    } else if (workspaces_.size() < kMaxWorkspaces) {
      workspaces_.emplace_back();
      current_ = workspaces_.size() - 1;
    } else {
      current_ = (current_ + 1) % kMaxWorkspaces;
    }
    return workspaces_[current_];
  }

  std::vector<Workspace> workspaces_;
  std::size_t current_ = 0;
};

}  // namespace descent::nn
