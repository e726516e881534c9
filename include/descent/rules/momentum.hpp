#pragma once
/// Heavy-ball momentum with dampening, and Nesterov momentum, as torch.optim.SGD computes them.

#include <cstdint>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/lanes.hpp"
#include "descent/detail/format.hpp"
#include "descent/detail/scalar_cast.hpp"

namespace descent {

/// Settings of the momentum rules (heavy-ball and Nesterov).
class MomentumOptions {
 public:
  /// `lr`: learning rate (default 1e-3); momentum defaults to 0.9, dampening to 0.
  explicit MomentumOptions(double lr = 1e-3) : lr_(lr) {}
  MomentumOptions& lr(double value) {
    lr_ = value;
    return *this;
  }
  double lr() const { return lr_; }
  MomentumOptions& momentum(double value) {
    momentum_ = value;
    return *this;
  }
  double momentum() const { return momentum_; }
  MomentumOptions& dampening(double value) {
    dampening_ = value;
    return *this;
  }
  double dampening() const { return dampening_; }

 private:
  double lr_;
  double momentum_ = 0.9;
  double dampening_ = 0.0;
};

namespace rules {

/// Momentum, exactly as torch.optim.SGD (Sutskever et al., 2013, in PyTorch's formulation):
///   first update of a block:  b <- g
///   later updates:            b <- mu * b + (1 - dampening) * g
///   heavy-ball:  p <- p - lr * b          Nesterov:  p <- p - lr * (g + mu * b)
/// With mu = 0 the buffer is unused and the step is p <- p - lr * g, as in PyTorch.
/// Nesterov requires mu > 0 and dampening = 0.
template <bool IsNesterov>
class MomentumRule {
 public:
  using Options = MomentumOptions;
  static constexpr const char* name = IsNesterov ? "Nesterov" : "Momentum";
  /// Settings that decide which state arrays exist; fixed once blocks are registered.
  static constexpr const char* structural_settings = "";

  template <class Scalar>
  struct State {
    FlatView<Scalar> momentum_buffer{nullptr, 0};
    std::int64_t steps = 0;
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
      f("momentum_buffer", self.momentum_buffer);
    }
  };

  template <class Scalar>
  struct Kernel {
    FlatView<Scalar>& buffer;
    Scalar lr;
    Scalar keep;
    Scalar mu;
    Scalar one_minus_dampening;
    bool first;

    template <class P, class G>
    void operator()(P& p, const G& g, Eigen::Index begin) const {
      if (mu == Scalar(0)) {
        p = p * keep - lr * g;
      } else if (first) {
        pass<true>(p.data(), detail::LaneReader<G>(g), begin, p.size());
      } else {
        pass<false>(p.data(), detail::LaneReader<G>(g), begin, p.size());
      }
    }

    // One pass: the buffer takes the raw gradient on the first step (as PyTorch), then
    // b <- mu * b + (1 - dampening) * g; p <- p * keep - lr * (Nesterov ? g + mu * b : b).
    template <bool First, class Grad>
    void pass(Scalar* value, const Grad& grad, Eigen::Index begin, Eigen::Index n) const {
      Scalar* buf = buffer.data() + begin;
      // Local copies, so stores through the stream pointers cannot force reloads.
      const Scalar m = mu, d = one_minus_dampening, rate = lr, k = keep;
      detail::for_each_lane<Scalar, Grad::vectorizable>(n, [&](Eigen::Index i, auto ops) {
        const auto gi = grad(ops, i);
        const auto bi = First ? gi : ops.all(m) * ops.load(buf + i) + ops.all(d) * gi;
        ops.store(buf + i, bi);
        const auto pi = ops.load(value + i) * ops.all(k);
        if constexpr (IsNesterov) {
          ops.store(value + i, pi - ops.all(rate) * (gi + ops.all(m) * bi));
        } else {
          ops.store(value + i, pi - ops.all(rate) * bi);
        }
      });
    }
  };

  explicit MomentumRule(const Options& options) : options_(options) {
    detail::require_non_negative(name, "lr", options.lr());
    detail::require_non_negative(name, "momentum", options.momentum());
    if (!(options.dampening() >= 0.0 && options.dampening() <= 1.0)) {
      detail::throw_setting(name, "dampening", "in [0, 1]", options.dampening());
    }
    if (IsNesterov && options.momentum() == 0.0) {
      detail::throw_setting(name, "momentum", "> 0 for Nesterov momentum", options.momentum());
    }
    if (IsNesterov && options.dampening() != 0.0) {
      detail::throw_setting(name, "dampening", "0 for Nesterov momentum", options.dampening());
    }
  }
  const Options& options() const { return options_; }
  bool same_structure(const Options& /*other*/) const { return true; }

  /// Gives each state array of a block of `size` its zeroed storage: `place(array, n)`.
  template <class Scalar, class Place>
  void init(State<Scalar>& state, Eigen::Index size, Place&& place) const {
    place(state.momentum_buffer, size);
  }
  template <class Scalar>
  Kernel<Scalar> kernel(State<Scalar>& state, double lr, double keep) const {
    return {state.momentum_buffer,
            detail::saturate<Scalar>(lr),
            detail::saturate<Scalar>(keep),
            Scalar(options_.momentum()),
            Scalar(1.0 - options_.dampening()),
            state.steps == 1};
  }

 private:
  Options options_;
};

/// Heavy-ball momentum with dampening.
using Momentum = MomentumRule<false>;
/// Nesterov momentum.
using Nesterov = MomentumRule<true>;

}  // namespace rules
}  // namespace descent
