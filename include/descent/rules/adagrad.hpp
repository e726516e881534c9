#pragma once
/// Adagrad, as torch.optim.Adagrad.

#include <cmath>
#include <cstdint>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/lanes.hpp"
#include "descent/detail/format.hpp"
#include "descent/detail/scalar_cast.hpp"

namespace descent {

/// Settings of Adagrad; defaults as torch.optim.Adagrad.
class AdagradOptions {
 public:
  /// `lr`: learning rate (default 1e-2).
  explicit AdagradOptions(double lr = 1e-2) : lr_(lr) {}
  AdagradOptions& lr(double value) {
    lr_ = value;
    return *this;
  }
  double lr() const { return lr_; }
  /// Decay of the rate with the update count: lr / (1 + (t - 1) * lr_decay) (default 0).
  AdagradOptions& lr_decay(double value) {
    lr_decay_ = value;
    return *this;
  }
  double lr_decay() const { return lr_decay_; }
  /// Starting value of the squared-gradient sum (default 0).
  AdagradOptions& initial_accumulator_value(double value) {
    initial_accumulator_value_ = value;
    return *this;
  }
  double initial_accumulator_value() const { return initial_accumulator_value_; }
  /// Added to the root of the sum (default 1e-10); the step uses at least the smallest normal
  /// number of the scalar type (FLT_MIN, DBL_MIN), so eps = 0 with a zero sum gives no update.
  AdagradOptions& eps(double value) {
    eps_ = value;
    return *this;
  }
  double eps() const { return eps_; }

 private:
  double lr_;
  double lr_decay_ = 0.0;
  double initial_accumulator_value_ = 0.0;
  double eps_ = 1e-10;
};

namespace rules {

/// Adagrad (Duchi, Hazan & Singer, 2011), as torch.optim.Adagrad; t is the block's update count:
///   s <- s + g^2
///   p <- p - (lr / (1 + (t - 1) * lr_decay)) * g / (sqrt(s) + eps)
class Adagrad {
 public:
  using Options = AdagradOptions;
  static constexpr const char* name = "Adagrad";
  /// Settings that decide which state arrays exist; fixed once blocks are registered.
  static constexpr const char* structural_settings = "";

  template <class Scalar>
  struct State {
    FlatView<Scalar> sum{nullptr, 0};
    std::int64_t steps = 0;
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
      f("sum", self.sum);
    }
  };

  template <class Scalar>
  struct Kernel {
    FlatView<Scalar>& sum;
    Scalar clr, keep, eps;

    template <class P, class G>
    void operator()(P& p, const G& g, Eigen::Index begin) const {
      const detail::LaneReader<G> grad(g);
      Scalar* value = p.data();
      Scalar* s = sum.data() + begin;
      // Local copies, so stores through the stream pointers cannot force reloads.
      const Scalar rate = clr, k = keep, e = eps;
      detail::for_each_lane<Scalar, detail::LaneReader<G>::vectorizable>(
          p.size(), [&](Eigen::Index i, auto ops) {
            const auto gi = grad(ops, i);
            const auto si = ops.load(s + i) + gi * gi;
            ops.store(s + i, si);
            ops.store(value + i, ops.load(value + i) * ops.all(k) -
                                     ops.all(rate) * gi / (sqrt(si) + ops.all(e)));
          });
    }
  };

  explicit Adagrad(const Options& options) : options_(options) {
    detail::require_non_negative(name, "lr", options.lr());
    detail::require_non_negative(name, "lr_decay", options.lr_decay());
    detail::require_non_negative(name, "initial_accumulator_value",
                                 options.initial_accumulator_value());
    detail::require_non_negative(name, "eps", options.eps());
  }
  const Options& options() const { return options_; }
  bool same_structure(const Options& /*other*/) const { return true; }

  /// Gives each state array of a block of `size` its zeroed storage: `place(array, n)`.
  template <class Scalar, class Place>
  void init(State<Scalar>& state, Eigen::Index size, Place&& place) const {
    place(state.sum, size);
    state.sum.setConstant(Scalar(options_.initial_accumulator_value()));
  }
  template <class Scalar>
  Kernel<Scalar> kernel(State<Scalar>& state, double lr, double keep) const {
    const double clr = lr / (1.0 + double(state.steps - 1) * options_.lr_decay());
    return {state.sum, detail::saturate<Scalar>(clr), detail::saturate<Scalar>(keep),
            detail::eps_floor<Scalar>(options_.eps())};
  }

 private:
  Options options_;
};

}  // namespace rules
}  // namespace descent
