#pragma once
/// Mlp: a stack of Dense layers built in one call from widths and activations.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "descent/core/block_options.hpp"
#include "descent/nn/activations.hpp"
#include "descent/nn/dense.hpp"
#include "descent/nn/dropout.hpp"
#include "descent/nn/init.hpp"
#include "descent/random/rng.hpp"

namespace descent::nn {

/// A multilayer perceptron: widths {in, h_1, ..., out} give widths.size() - 1 Dense layers,
/// layer k with activations[k] (chosen at run time, see Activation). Batches are columns, as
/// in Dense. The dropout policy acts on the hidden layers' outputs, never on the network's
/// output; each hidden layer's mask generator is seeded from `rng` after the weights are drawn.
/// Weights are drawn by `init` from `rng`, layer by layer; biases start at zero.
template <class Scalar, class DropoutPolicy = NoDropout>
class Mlp {
 public:
  using Layer = Dense<Scalar, Activation, DropoutPolicy>;
  using Matrix = typename Layer::Matrix;

  /// Throws std::invalid_argument when there are fewer than two widths, a width < 1, or not
  /// exactly one activation per layer.
  Mlp(const std::vector<Eigen::Index>& widths, const std::vector<Activation>& activations, Rng& rng,
      Init init = Init::xavier_uniform, DropoutPolicy dropout = DropoutPolicy()) {
    if (widths.size() < 2) {
      throw std::invalid_argument("Mlp: widths must hold at least 2 values (in, out), got " +
                                  std::to_string(widths.size()));
    }
    if (activations.size() != widths.size() - 1) {
      throw std::invalid_argument("Mlp: expected one activation per layer (" +
                                  std::to_string(widths.size() - 1) + "), got " +
                                  std::to_string(activations.size()));
    }
    layers_.reserve(widths.size() - 1);
    for (std::size_t k = 0; k + 1 < widths.size(); ++k) {
      layers_.emplace_back(widths[k], widths[k + 1], activations[k], dropout);
      layers_.back().initialize(init, rng);
    }
    if constexpr (DropoutPolicy::active) {
      for (Layer& layer : layers_) layer.dropout().rng() = Rng(rng.next());
    }
    train(true);
  }

  std::size_t size() const { return layers_.size(); }
  Layer& layer(std::size_t k) { return layers_.at(k); }
  const Layer& layer(std::size_t k) const { return layers_.at(k); }
  Eigen::Index in() const { return layers_.front().in(); }
  Eigen::Index out() const { return layers_.back().out(); }
  /// Number of weights and biases.
  Eigen::Index parameter_count() const {
    Eigen::Index n = 0;
    for (const Layer& layer : layers_) n += layer.weight().size() + layer.bias().size();
    return n;
  }

  /// Training mode (dropout on the hidden layers) or evaluation mode (no dropout).
  void train(bool training = true) {
    training_ = training;
    for (std::size_t k = 0; k < layers_.size(); ++k) {
      layers_[k].train(training && k + 1 < layers_.size());
    }
  }
  void eval() { train(false); }
  bool training() const { return training_; }

  /// Registers every layer's blocks as "<prefix>.<k>.weight" and "<prefix>.<k>.bias" (see
  /// Dense::add_to: biases are not regularized).
  template <class Optimizer>
  void add_to(Optimizer& opt, const std::string& prefix,
              const BlockOptions& weight_options = BlockOptions()) {
    for (std::size_t k = 0; k < layers_.size(); ++k) {
      layers_[k].add_to(opt, prefix + "." + std::to_string(k), weight_options);
    }
  }

  /// The network's output for the batch `x` (in x batch).
  template <class X>
  const Matrix& forward(const Eigen::MatrixBase<X>& x) {
    layers_.front().forward(x);
    for (std::size_t k = 1; k < layers_.size(); ++k) layers_[k].forward(layers_[k - 1].output());
    return layers_.back().output();
  }

  /// Backpropagates dL/dOutput through every layer. Need::all and Need::parameters write
  /// every layer's parameter gradients; Need::all and Need::input return dL/dX (with
  /// Need::parameters it is empty); Need::input leaves parameter gradients untouched.
  template <class G>
  const Matrix& backward(const Eigen::MatrixBase<G>& grad_output, Need need = Need::all) {
    const std::size_t last = layers_.size() - 1;
    const Need hidden = need == Need::input ? Need::input : Need::all;
    if (last == 0) return layers_[0].backward(grad_output, need);
    layers_[last].backward(grad_output, hidden);
    for (std::size_t k = last - 1; k > 0; --k) {
      layers_[k].backward(layers_[k + 1].grad_input(), hidden);
    }
    return layers_[0].backward(layers_[1].grad_input(), need);
  }

  /// The last backward's dL/dX.
  const Matrix& grad_input() const { return layers_.front().grad_input(); }
  /// The last forward's output.
  const Matrix& output() const { return layers_.back().output(); }

 private:
  std::vector<Layer> layers_;
  bool training_ = true;
};

}  // namespace descent::nn
