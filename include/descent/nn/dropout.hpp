#pragma once
/// Dropout policies of a layer: NoDropout, and inverted Dropout with a seeded generator.

#include <cstdint>

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/random/rng.hpp"

namespace descent::nn {

// A dropout policy is the regularizer that acts on activations, so it is composed into a layer
// (Dense<Scalar, Activation, Dropout>) while L1/L2/decay are composed into optimizers. It has
//   static constexpr bool active;
//   void forward(A& a, M& mask, bool training);  // a <- a * mask, drawing a new mask
//   void backward(G& grad, const M& mask) const; // grad <- grad * mask (the same mask)
// where A, M, G are Eigen matrices of one shape owned by the layer.

/// No dropout: the layer skips the mask entirely (no buffer, no work).
struct NoDropout {
  static constexpr bool active = false;
  template <class A, class M>
  void forward(A&, M&, bool) {}
  template <class G, class M>
  void backward(G&, const M&) const {}
};

/// Inverted dropout (Srivastava et al., 2014, as torch.nn.Dropout): in training mode each
/// activation is kept with probability 1 - p and scaled by 1 / (1 - p), so the expected
/// activation is unchanged; in evaluation mode it is the identity. The mask holds 0 or
/// 1 / (1 - p) and is drawn from a seeded descent::Rng (one uniform() per element, in the
/// matrix's storage order), so a run is reproducible; backward multiplies by the same mask.
class Dropout {
 public:
  static constexpr bool active = true;

  /// `p` is the probability of dropping an activation, in [0, 1); `seed` seeds the mask stream.
  explicit Dropout(double p = 0.5, std::uint64_t seed = 5489) : p_(p), rng_(seed) {
    detail::require_unit_interval("Dropout", "p", p);
  }
  double p() const { return p_; }
  /// The generator of the masks (its state can be saved and restored).
  Rng& rng() { return rng_; }

  template <class A, class M>
  void forward(A& a, M& mask, bool training) {
    using S = typename M::Scalar;
    mask.resize(a.rows(), a.cols());
    if (!training || p_ == 0.0) {
      mask.setOnes();
      return;
    }
    const S scale = S(1.0 / (1.0 - p_));
    S* m = mask.data();
    for (Eigen::Index i = 0, n = mask.size(); i < n; ++i) {
      m[i] = rng_.uniform() < p_ ? S(0) : scale;
    }
    a.array() *= mask.array();
  }
  template <class G, class M>
  void backward(G& grad, const M& mask) const {
    grad.array() *= mask.array();
  }

 private:
  double p_;
  Rng rng_;
};

}  // namespace descent::nn
