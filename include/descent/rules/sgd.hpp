#pragma once
/// The plain gradient step, used by full-batch gradient descent and minibatch SGD alike.

#include <cstdint>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/detail/format.hpp"
#include "descent/detail/scalar_cast.hpp"

namespace descent {

/// Settings of the plain gradient step.
class SgdOptions {
 public:
  /// `lr`: learning rate (default 1e-3, as torch.optim.SGD).
  explicit SgdOptions(double lr = 1e-3) : lr_(lr) {}
  SgdOptions& lr(double value) {
    lr_ = value;
    return *this;
  }
  double lr() const { return lr_; }

 private:
  double lr_;
};

namespace rules {

/// Plain gradient step:  p <- p - lr * g.
/// GD and SGD differ only in where g comes from (the whole objective or a minibatch).
class Sgd {
 public:
  using Options = SgdOptions;
  static constexpr const char* name = "Sgd";
  /// Settings that decide which state arrays exist; fixed once blocks are registered.
  static constexpr const char* structural_settings = "";

  /// No per-element state; `steps` counts the updates applied to the block.
  template <class Scalar>
  struct State {
    std::int64_t steps = 0;
    template <class Self, class F>
    static void visit(Self& /*self*/, F&& /*f*/) {}
  };

  /// One step over a chunk; `keep` is the decoupled-decay factor folded into the same pass.
  template <class Scalar>
  struct Kernel {
    Scalar lr;
    Scalar keep;
    template <class P, class G>
    void operator()(P& p, const G& g, Eigen::Index /*begin*/) const {
      p = p * keep - lr * g;
    }
  };

  explicit Sgd(const Options& options) : options_(options) {
    detail::require_non_negative(name, "lr", options.lr());
  }
  const Options& options() const { return options_; }
  /// Whether state built under these options can be kept under `other`.
  bool same_structure(const Options& /*other*/) const { return true; }

  /// Gives each state array of a block of `size` its zeroed storage: `place(array, n)`.
  template <class Scalar, class Place>
  void init(State<Scalar>& /*state*/, Eigen::Index /*size*/, Place&& /*place*/) const {}
  template <class Scalar>
  Kernel<Scalar> kernel(State<Scalar>& /*state*/, double lr, double keep) const {
    return {detail::saturate<Scalar>(lr), detail::saturate<Scalar>(keep)};
  }

 private:
  Options options_;
};

}  // namespace rules
}  // namespace descent
