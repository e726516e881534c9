#pragma once
/// Adam with bias correction of both moments, and its AMSGrad variant.

#include <cmath>
#include <cstdint>
#include <type_traits>

#include <Eigen/Core>

#include "descent/core/block.hpp"
#include "descent/core/isa.hpp"
#include "descent/core/lanes.hpp"
#include "descent/detail/format.hpp"
#include "descent/detail/scalar_cast.hpp"
#include "descent/rules/adam_runtime_pass.hpp"

namespace descent {

/// Settings of Adam; defaults as torch.optim.Adam.
class AdamOptions {
 public:
  /// `lr`: learning rate (default 1e-3).
  explicit AdamOptions(double lr = 1e-3) : lr_(lr) {}
  AdamOptions& lr(double value) {
    lr_ = value;
    return *this;
  }
  double lr() const { return lr_; }
  /// Decay rates of the first and second moment estimates (default 0.9, 0.999).
  AdamOptions& betas(double beta1, double beta2) {
    beta1_ = beta1;
    beta2_ = beta2;
    return *this;
  }
  double beta1() const { return beta1_; }
  double beta2() const { return beta2_; }
  /// Added to the bias-corrected sqrt(v) (default 1e-8); the step uses at least the smallest
  /// normal number of the scalar type (FLT_MIN, DBL_MIN), so eps = 0 with v = 0 gives no update.
  AdamOptions& eps(double value) {
    eps_ = value;
    return *this;
  }
  double eps() const { return eps_; }
  /// Use the running maximum of v (Reddi et al., 2018) (default false).
  AdamOptions& amsgrad(bool value) {
    amsgrad_ = value;
    return *this;
  }
  bool amsgrad() const { return amsgrad_; }

 private:
  double lr_;
  double beta1_ = 0.9;
  double beta2_ = 0.999;
  double eps_ = 1e-8;
  bool amsgrad_ = false;
};

namespace rules {

/// Adam (Kingma & Ba, 2015), in torch.optim.Adam's form; t is the block's update count:
///   m <- b1 * m + (1 - b1) * g
///   v <- b2 * v + (1 - b2) * g^2
///   AMSGrad (Reddi et al., 2018):  v_max <- max(v_max, v), used in place of v below
///   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
/// The pass multiplies by 1 / sqrt(1 - b2^t) (computed once per step in double) instead of
/// dividing, so each element costs one division; results match PyTorch's to rounding.
class Adam {
 public:
  using Options = AdamOptions;
  static constexpr const char* name = "Adam";
  /// Settings that decide which state arrays exist; fixed once blocks are registered.
  static constexpr const char* structural_settings = "amsgrad";

  template <class Scalar>
  struct State {
    FlatView<Scalar> exp_avg{nullptr, 0};
    FlatView<Scalar> exp_avg_sq{nullptr, 0};
    FlatView<Scalar> max_exp_avg_sq{nullptr, 0};  ///< empty unless AMSGrad
    std::int64_t steps = 0;
    template <class Self, class F>
    static void visit(Self& self, F&& f) {
      f("exp_avg", self.exp_avg);
      f("exp_avg_sq", self.exp_avg_sq);
      f("max_exp_avg_sq", self.max_exp_avg_sq);
    }
  };

  template <class Scalar>
  struct Kernel {
    State<Scalar>& state;
    Scalar beta1, one_minus_beta1, beta2, one_minus_beta2;
    Scalar step_size;                  ///< lr / (1 - b1^t)
    Scalar inv_bias_correction2_sqrt;  ///< 1 / sqrt(1 - b2^t), so the pass divides once
    Scalar eps;
    Scalar keep;
    bool amsgrad;

    template <class P, class G>
    void operator()(P& p, const G& g, Eigen::Index begin) const {
#if DESCENT_RUNTIME_AVX || DESCENT_RUNTIME_AVX512
      // A plain gradient array (nothing fused into it): the widest runtime pass the CPU has.
      if constexpr (std::is_same_v<G, Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>> &&
                    (std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>)) {
        Scalar* m = state.exp_avg.data() + begin;
        Scalar* v = state.exp_avg_sq.data() + begin;
        const Isa isa = active_isa();
        const bool done = amsgrad ? detail::adam_runtime_pass<true, Scalar>(
                                        isa, *this, p.data(), g.data(), m, v,
                                        state.max_exp_avg_sq.data() + begin, p.size())
                                  : detail::adam_runtime_pass<false, Scalar>(
                                        isa, *this, p.data(), g.data(), m, v, nullptr, p.size());
        if (done) return;
      }
#endif
      // The gradient's own memory is prefetched when it is a plain array (an expression may
      // read several arrays, or none).
      const Scalar* grad_data = nullptr;
      if constexpr (std::is_same_v<G, FlatView<Scalar>>) grad_data = g.data();
      if (amsgrad) {
        pass<true>(p.data(), detail::LaneReader<G>(g), grad_data, begin, p.size());
      } else {
        pass<false>(p.data(), detail::LaneReader<G>(g), grad_data, begin, p.size());
      }
    }

    template <bool AmsGrad, class Grad>
    void pass(Scalar* value, const Grad& grad, const Scalar* grad_data, Eigen::Index begin,
              Eigen::Index n) const {
      Scalar* m = state.exp_avg.data() + begin;
      Scalar* v = state.exp_avg_sq.data() + begin;
      Scalar* v_max = AmsGrad ? state.max_exp_avg_sq.data() + begin : nullptr;
      // Local copies: the stores through the stream pointers could alias the members, which
      // would make the compiler reload every constant in every iteration.
      const Scalar b1 = beta1, c1 = one_minus_beta1, b2 = beta2, c2 = one_minus_beta2;
      const Scalar step = step_size, bc2 = inv_bias_correction2_sqrt, e = eps, k = keep;
      const auto prefetch = [&](Eigen::Index i) {
        detail::prefetch_lines(i, value, m, v);
        if constexpr (AmsGrad) detail::prefetch_line(v_max + i);
        if (grad_data != nullptr) detail::prefetch_line(grad_data + i);
      };
      detail::for_each_lane_prefetched<Scalar, Grad::vectorizable>(
          n, prefetch, [&](Eigen::Index i, auto ops) {
            const auto gi = grad(ops, i);
            const auto mi = ops.all(b1) * ops.load(m + i) + ops.all(c1) * gi;
            auto vi = ops.all(b2) * ops.load(v + i) + ops.all(c2) * (gi * gi);
            ops.store(m + i, mi);
            ops.store(v + i, vi);
            if constexpr (AmsGrad) {
              vi = max(ops.load(v_max + i), vi);
              ops.store(v_max + i, vi);
            }
            const auto denom = sqrt(vi) * ops.all(bc2) + ops.all(e);
            ops.store(value + i, ops.load(value + i) * ops.all(k) - ops.all(step) * mi / denom);
          });
    }
  };

  explicit Adam(const Options& options) : options_(options) {
    detail::require_non_negative(name, "lr", options.lr());
    detail::require_unit_interval(name, "beta1", options.beta1());
    detail::require_unit_interval(name, "beta2", options.beta2());
    detail::require_non_negative(name, "eps", options.eps());
  }
  const Options& options() const { return options_; }
  /// AMSGrad adds a state array, so it cannot be switched once blocks are registered.
  bool same_structure(const Options& other) const { return other.amsgrad() == options_.amsgrad(); }

  /// Gives each state array of a block of `size` its zeroed storage: `place(array, n)`.
  template <class Scalar, class Place>
  void init(State<Scalar>& state, Eigen::Index size, Place&& place) const {
    place(state.exp_avg, size);
    place(state.exp_avg_sq, size);
    place(state.max_exp_avg_sq, options_.amsgrad() ? size : 0);
  }
  template <class Scalar>
  Kernel<Scalar> kernel(State<Scalar>& state, double lr, double keep) const {
    // Both powers cost more than a small block's whole update; blocks stepped together share t,
    // so the last result is kept per thread (the values are the same: only the work is saved).
    struct BiasCorrections {
      double beta1 = -1.0, beta2 = -1.0;
      std::int64_t steps = -1;
      double first = 0.0, second = 0.0;
    };
    thread_local BiasCorrections last;
    const double beta1 = options_.beta1(), beta2 = options_.beta2();
    if (last.steps != state.steps || last.beta1 != beta1 || last.beta2 != beta2) {
      // Once 1 - beta^t has rounded to exactly 1 (beta^t <= 2^-54) it stays 1 at every later t,
      // since beta^t only shrinks: pow is skipped then, with the same result. It matters because
      // past beta^t ~ 1e-308 (t ~ 6,700 at beta 0.9, ~1,000 at 0.5) glibc's pow takes its slow
      // underflow path, which cost more than a 1e3-parameter update.
      const bool later = last.beta1 == beta1 && last.beta2 == beta2 && state.steps > last.steps;
      const double t = double(state.steps);
      const double first = later && last.first == 1.0 ? 1.0 : 1.0 - std::pow(beta1, t);
      const double second = later && last.second == 1.0 ? 1.0 : 1.0 - std::pow(beta2, t);
      last = {beta1, beta2, state.steps, first, second};
    }
    const double bias_correction1 = last.first;
    const double bias_correction2 = last.second;
    return {state,
            Scalar(options_.beta1()),
            Scalar(1.0 - options_.beta1()),
            Scalar(options_.beta2()),
            Scalar(1.0 - options_.beta2()),
            detail::saturate<Scalar>(lr / bias_correction1),
            detail::saturate<Scalar>(1.0 / std::sqrt(bias_correction2)),
            detail::eps_floor<Scalar>(options_.eps()),
            detail::saturate<Scalar>(keep),
            options_.amsgrad()};
  }

 private:
  Options options_;
};

}  // namespace rules
}  // namespace descent
