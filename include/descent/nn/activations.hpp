#pragma once
/// Activations: element-wise functions applied by a layer after its affine map, with derivatives.

#include <cmath>
#include <string>

#include <Eigen/Core>

#include "descent/detail/format.hpp"

namespace descent::detail {

// Branch-free, vectorized "where z > 0" functors. Eigen 3.4's select() has no packet path and
// branches on every element, which on activations of mixed sign mispredicts about half the
// time (it cost a GAN iteration a fifth of its time); these compile to a compare and a blend.

/// f(z, x) = x where z > 0, else slope * x (the LeakyReLU forward with x = z, and its backward).
template <class S>
struct WherePositive {
  S slope;
  S operator()(const S& z, const S& x) const { return z > S(0) ? x : slope * x; }
  template <class Packet>
  Packet packetOp(const Packet& z, const Packet& x) const {
    namespace internal = Eigen::internal;
    return internal::pselect(internal::pcmp_lt(internal::pzero(z), z), x,
                             internal::pmul(internal::pset1<Packet>(slope), x));
  }
};

/// f(z, x) = x where z > 0, else exactly 0 (even for x = inf or NaN): the ReLU backward.
template <class S>
struct MaskPositive {
  S operator()(const S& z, const S& x) const { return z > S(0) ? x : S(0); }
  template <class Packet>
  Packet packetOp(const Packet& z, const Packet& x) const {
    namespace internal = Eigen::internal;
    return internal::pand(internal::pcmp_lt(internal::pzero(z), z), x);
  }
};

}  // namespace descent::detail

namespace descent::nn {

// Every activation has forward(z, a): a = f(z), and backward(z, a, grad_a, grad_z):
// grad_z = grad_a * f'(z), where a = f(z) is passed too because some derivatives are cheaper
// from it (tanh' = 1 - a^2, sigmoid' = a (1 - a)). Arguments are Eigen arrays of equal shape.

/// f(z) = z.
struct Identity {
  static constexpr const char* name = "identity";
  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    a = z;
  }
  template <class Z, class A, class G, class D>
  void backward(const Z&, const A&, const G& grad_a, D&& grad_z) const {
    grad_z = grad_a;
  }
};

/// f(z) = max(z, 0); f'(0) = 0, as in PyTorch.
struct Relu {
  static constexpr const char* name = "relu";
  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    using S = typename Z::Scalar;
    a = z.max(S(0));
  }
  template <class Z, class A, class G, class D>
  void backward(const Z& z, const A&, const G& grad_a, D&& grad_z) const {
    using S = typename Z::Scalar;
    grad_z = z.binaryExpr(grad_a, detail::MaskPositive<S>{});
  }
};

/// f(z) = z for z > 0, slope * z otherwise (slope >= 0, default 0.01 as torch.nn.LeakyReLU).
class LeakyRelu {
 public:
  static constexpr const char* name = "leaky_relu";
  /// Throws std::invalid_argument unless `slope` is finite and >= 0.
  explicit LeakyRelu(double slope = 0.01) : slope_(slope) {
    detail::require_non_negative("LeakyRelu", "slope", slope);
  }
  double slope() const { return slope_; }
  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    using S = typename Z::Scalar;
    a = z.binaryExpr(z, detail::WherePositive<S>{S(slope_)});
  }
  template <class Z, class A, class G, class D>
  void backward(const Z& z, const A&, const G& grad_a, D&& grad_z) const {
    using S = typename Z::Scalar;
    grad_z = z.binaryExpr(grad_a, detail::WherePositive<S>{S(slope_)});
  }

 private:
  double slope_;
};

/// f(z) = tanh(z); f' = 1 - f^2.
struct Tanh {
  static constexpr const char* name = "tanh";
  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    a = z.tanh();
  }
  template <class Z, class A, class G, class D>
  void backward(const Z&, const A& a, const G& grad_a, D&& grad_z) const {
    using S = typename Z::Scalar;
    grad_z = grad_a * (S(1) - a.square());
  }
};

/// f(z) = 1 / (1 + exp(-z)), computed without overflow for large |z|; f' = f (1 - f).
struct Sigmoid {
  static constexpr const char* name = "sigmoid";
  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    using S = typename Z::Scalar;
    // e = exp(-|z|) never overflows: 1 / (1 + e) for z >= 0, e / (1 + e) for z < 0.
    a = (-z.abs()).exp();
    a = (z >= S(0)).select(S(1) / (S(1) + a), a / (S(1) + a));
  }
  template <class Z, class A, class G, class D>
  void backward(const Z&, const A& a, const G& grad_a, D&& grad_z) const {
    using S = typename Z::Scalar;
    grad_z = grad_a * a * (S(1) - a);
  }
};

/// The activation kinds a runtime-built network (Mlp) can use.
enum class ActivationKind { identity, relu, leaky_relu, tanh, sigmoid };

/// The name of an activation kind ("leaky_relu").
inline const char* to_string(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::identity:
      return Identity::name;
    case ActivationKind::relu:
      return Relu::name;
    case ActivationKind::leaky_relu:
      return LeakyRelu::name;
    case ActivationKind::tanh:
      return Tanh::name;
    case ActivationKind::sigmoid:
      return Sigmoid::name;
  }
  return "unknown";
}

/// An activation chosen at run time: one switch per call (per batch), never per element.
class Activation {
 public:
  static constexpr const char* name = "activation";
  /// `slope` is used by leaky_relu only (validated as LeakyRelu's).
  Activation(ActivationKind kind = ActivationKind::identity, double slope = 0.01)  // NOLINT
      : kind_(kind), leaky_(slope) {}
  ActivationKind kind() const { return kind_; }
  double slope() const { return leaky_.slope(); }

  template <class Z, class A>
  void forward(const Z& z, A&& a) const {
    switch (kind_) {
      case ActivationKind::identity:
      default:  // every path writes `a` (GCC's maybe-uninitialized cannot see the enum is closed)
        return Identity().forward(z, a);
      case ActivationKind::relu:
        return Relu().forward(z, a);
      case ActivationKind::leaky_relu:
        return leaky_.forward(z, a);
      case ActivationKind::tanh:
        return Tanh().forward(z, a);
      case ActivationKind::sigmoid:
        return Sigmoid().forward(z, a);
    }
  }
  template <class Z, class A, class G, class D>
  void backward(const Z& z, const A& a, const G& grad_a, D&& grad_z) const {
    switch (kind_) {
      case ActivationKind::identity:
      default:
        return Identity().backward(z, a, grad_a, grad_z);
      case ActivationKind::relu:
        return Relu().backward(z, a, grad_a, grad_z);
      case ActivationKind::leaky_relu:
        return leaky_.backward(z, a, grad_a, grad_z);
      case ActivationKind::tanh:
        return Tanh().backward(z, a, grad_a, grad_z);
      case ActivationKind::sigmoid:
        return Sigmoid().backward(z, a, grad_a, grad_z);
    }
  }

 private:
  ActivationKind kind_;
  LeakyRelu leaky_;
};

}  // namespace descent::nn

namespace Eigen::internal {
template <class S>
struct functor_traits<descent::detail::WherePositive<S>> {
  enum { Cost = 3 * NumTraits<S>::AddCost, PacketAccess = packet_traits<S>::HasCmp };
};
template <class S>
struct functor_traits<descent::detail::MaskPositive<S>> {
  enum { Cost = 2 * NumTraits<S>::AddCost, PacketAccess = packet_traits<S>::HasCmp };
};
}  // namespace Eigen::internal
