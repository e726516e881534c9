#pragma once
/// RMSprop, with optional momentum and the centered variant, as torch.optim.RMSprop.

#include <cstdint>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/lanes.hpp"
#include "descent/detail/format.hpp"
#include "descent/detail/scalar_cast.hpp"

namespace descent {

/// Settings of RMSprop; defaults as torch.optim.RMSprop.
class RMSpropOptions {
 public:
  /// `lr`: learning rate (default 1e-2).
  explicit RMSpropOptions(double lr = 1e-2) : lr_(lr) {}
  RMSpropOptions& lr(double value) {
    lr_ = value;
    return *this;
  }
  double lr() const { return lr_; }
  /// Smoothing constant of the squared-gradient average (default 0.99).
  RMSpropOptions& alpha(double value) {
    alpha_ = value;
    return *this;
  }
  double alpha() const { return alpha_; }
  /// Added to the root of the average (default 1e-8); the step uses at least the smallest
  /// normal number of the scalar type (FLT_MIN, DBL_MIN), so eps = 0 with a zero average gives
  /// no update.
  RMSpropOptions& eps(double value) {
    eps_ = value;
    return *this;
  }
  double eps() const { return eps_; }
  /// Momentum of the step buffer (default 0: no buffer).
  RMSpropOptions& momentum(double value) {
    momentum_ = value;
    return *this;
  }
  double momentum() const { return momentum_; }
  /// Normalize by the estimated variance instead of the raw second moment (default false).
  RMSpropOptions& centered(bool value) {
    centered_ = value;
    return *this;
  }
  bool centered() const { return centered_; }

 private:
  double lr_;
  double alpha_ = 0.99;
  double eps_ = 1e-8;
  double momentum_ = 0.0;
  bool centered_ = false;
};

namespace rules {

/// RMSprop (Hinton, Lecture 6e; centered form from Graves, 2013), as torch.optim.RMSprop:
///   s <- alpha * s + (1 - alpha) * g^2
///   centered:  a <- alpha * a + (1 - alpha) * g,  d = sqrt(s - a^2) + eps;  else d = sqrt(s) + eps
///   momentum > 0:  b <- mu * b + g / d,  p <- p - lr * b;  else p <- p - lr * g / d
/// One deliberate difference: s - a^2 is clamped at 0, so rounding cannot produce sqrt(<0) = NaN.
class RMSprop {
 public:
  using Options = RMSpropOptions;
  static constexpr const char* name = "RMSprop";
  /// Settings that decide which state arrays exist; fixed once blocks are registered.
  static constexpr const char* structural_settings = "centered, momentum on or off";

  template <class Scalar>
  struct State {
    FlatView<Scalar> square_avg{nullptr, 0};
    FlatView<Scalar> grad_avg{nullptr, 0};         ///< empty unless centered
    FlatView<Scalar> momentum_buffer{nullptr, 0};  ///< empty unless momentum > 0
    std::int64_t steps = 0;
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
      f("square_avg", self.square_avg);
      f("grad_avg", self.grad_avg);
      f("momentum_buffer", self.momentum_buffer);
    }
  };

  template <class Scalar>
  struct Kernel {
    State<Scalar>& state;
    Scalar lr, keep, alpha, one_minus_alpha, eps, mu;
    bool centered;

    template <class P, class G>
    void operator()(P& p, const G& g, Eigen::Index begin) const {
      const detail::LaneReader<G> grad(g);
      const bool momentum = mu > Scalar(0);
      if (centered) {
        momentum ? pass<true, true>(p.data(), grad, begin, p.size())
                 : pass<true, false>(p.data(), grad, begin, p.size());
      } else {
        momentum ? pass<false, true>(p.data(), grad, begin, p.size())
                 : pass<false, false>(p.data(), grad, begin, p.size());
      }
    }

    template <bool Centered, bool WithMomentum, class Grad>
    void pass(Scalar* value, const Grad& grad, Eigen::Index begin, Eigen::Index n) const {
      Scalar* sq = state.square_avg.data() + begin;
      Scalar* avg = Centered ? state.grad_avg.data() + begin : nullptr;
      Scalar* buf = WithMomentum ? state.momentum_buffer.data() + begin : nullptr;
      // Local copies, so stores through the stream pointers cannot force reloads.
      const Scalar a = alpha, c = one_minus_alpha, e = eps, m = mu, rate = lr, k = keep;
      detail::for_each_lane<Scalar, Grad::vectorizable>(n, [&](Eigen::Index i, auto ops) {
        const auto gi = grad(ops, i);
        const auto si = ops.all(a) * ops.load(sq + i) + ops.all(c) * (gi * gi);
        ops.store(sq + i, si);
        auto variance = si;
        if constexpr (Centered) {
          const auto ai = ops.all(a) * ops.load(avg + i) + ops.all(c) * gi;
          ops.store(avg + i, ai);
          variance = max(si - ai * ai, ops.all(Scalar(0)));
        }
        const auto denom = sqrt(variance) + ops.all(e);
        const auto pi = ops.load(value + i) * ops.all(k);
        if constexpr (WithMomentum) {
          const auto bi = ops.all(m) * ops.load(buf + i) + gi / denom;
          ops.store(buf + i, bi);
          ops.store(value + i, pi - ops.all(rate) * bi);
        } else {
          ops.store(value + i, pi - ops.all(rate) * gi / denom);
        }
      });
    }
  };

  explicit RMSprop(const Options& options) : options_(options) {
    detail::require_non_negative(name, "lr", options.lr());
    detail::require_unit_interval(name, "alpha", options.alpha());
    detail::require_non_negative(name, "eps", options.eps());
    detail::require_non_negative(name, "momentum", options.momentum());
  }
  const Options& options() const { return options_; }
  /// Centering and a momentum buffer add state arrays: they cannot be switched on or off once
  /// blocks are registered (changing a non-zero momentum's value is fine).
  bool same_structure(const Options& other) const {
    return other.centered() == options_.centered() &&
           (other.momentum() > 0.0) == (options_.momentum() > 0.0);
  }

  /// Gives each state array of a block of `size` its zeroed storage: `place(array, n)`.
  template <class Scalar, class Place>
  void init(State<Scalar>& state, Eigen::Index size, Place&& place) const {
    place(state.square_avg, size);
    place(state.grad_avg, options_.centered() ? size : 0);
    place(state.momentum_buffer, options_.momentum() > 0.0 ? size : 0);
  }
  template <class Scalar>
  Kernel<Scalar> kernel(State<Scalar>& state, double lr, double keep) const {
    return {state,
            detail::saturate<Scalar>(lr),
            detail::saturate<Scalar>(keep),
            Scalar(options_.alpha()),
            Scalar(1.0 - options_.alpha()),
            detail::eps_floor<Scalar>(options_.eps()),
            Scalar(options_.momentum()),
            options_.centered()};
  }

 private:
  Options options_;
};

}  // namespace rules
}  // namespace descent
