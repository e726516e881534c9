#pragma once
/// Dense: a fully connected layer y = dropout(f(W x + b)) on a whole minibatch at once.

#include <stdexcept>
#include <string>

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
/// Buffers are resized only when the batch size changes: at a fixed batch size, forward and
/// backward allocate nothing after the first call.
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
    input_ = x;  // no allocation when the batch size is unchanged
    z_.resize(out(), x.cols());
    output_.resize(out(), x.cols());
    z_.noalias() = weight_ * input_;
    z_.colwise() += bias_;
    if constexpr (DropoutPolicy::active) {
      activated_.resize(out(), x.cols());
      activation_.forward(z_.array(), activated_.array());
      output_ = activated_;
      dropout_.forward(output_, mask_, training_);
    } else {
      activation_.forward(z_.array(), output_.array());
    }
    return output_;
  }

  /// Gradients for dL/dY = `grad_output` (out x batch) of the last forward; returns dL/dX
  /// (empty unless `need` includes the input).
  template <class G>
  const Matrix& backward(const Eigen::MatrixBase<G>& grad_output, Need need = Need::all) {
    if (grad_output.rows() != output_.rows() || grad_output.cols() != output_.cols()) {
      throw std::invalid_argument("Dense: backward expects a gradient of shape " +
                                  detail::format_shape(output_.rows(), output_.cols()) +
                                  " (the last forward's output), got " +
                                  detail::format_shape(grad_output.rows(), grad_output.cols()));
    }
    grad_z_.resize(out(), output_.cols());
    grad_z_ = grad_output;
    dropout_.backward(grad_z_, mask_);
    const Matrix& activated = DropoutPolicy::active ? activated_ : output_;
    activation_.backward(z_.array(), activated.array(), grad_z_.array(), grad_z_.array());
    if (need != Need::input) {
      weight_grad_.noalias() = grad_z_ * input_.transpose();
      bias_grad_.noalias() = grad_z_.rowwise().sum();
    }
    if (need != Need::parameters) {
      grad_input_.resize(in(), output_.cols());
      grad_input_.noalias() = weight_.transpose() * grad_z_;
    }
    return grad_input_;
  }

  /// The last forward's output Y.
  const Matrix& output() const { return output_; }
  /// The last backward's dL/dX.
  const Matrix& grad_input() const { return grad_input_; }

 private:
  Matrix weight_, weight_grad_;
  Vector bias_, bias_grad_;
  ActivationT activation_;
  DropoutPolicy dropout_;
  bool training_ = true;
  // activated_ (f(Z) before dropout) and mask_ stay empty without dropout.
  Matrix input_, z_, activated_, output_, mask_, grad_z_, grad_input_;
};

}  // namespace descent::nn
