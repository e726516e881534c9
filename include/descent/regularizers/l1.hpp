#pragma once
/// L1 (lasso) regularization as a coupled subgradient term.

#include <Eigen/Core>

#include "descent/detail/format.hpp"
#include "descent/regularizers/kind.hpp"

namespace descent {
namespace detail {

/// lambda * sign(p) with sign(0) = 0 (and 0 for NaN), element-wise. Unlike Eigen 3.4's sign(),
/// which has no packet path and would turn the whole fused update scalar, it vectorizes.
template <class Scalar>
struct ScaledSign {
  Scalar lambda;
  Scalar operator()(const Scalar& p) const {
    return p > Scalar(0) ? lambda : (p < Scalar(0) ? -lambda : Scalar(0));
  }
  template <class Packet>
  Packet packetOp(const Packet& p) const {
    namespace internal = Eigen::internal;
    const Packet zero = internal::pzero(p);
    const Packet scale = internal::pset1<Packet>(lambda);
    return internal::psub(internal::pand(internal::pcmp_lt(zero, p), scale),
                          internal::pand(internal::pcmp_lt(p, zero), scale));
  }
};

}  // namespace detail

/// L1, coupled: adds the subgradient lambda * sign(p) to the gradient (sign(0) = 0), so the
/// rule sees g + lambda * sign(p); penalty lambda * sum |p|.
/// Subgradient steps only shrink weights toward zero; ProximalL1 makes them exactly zero.
class L1 {
 public:
  static constexpr RegularizerKind kind = RegularizerKind::coupled;

  /// Throws std::invalid_argument unless `lambda` is finite and >= 0.
  explicit L1(double lambda) : lambda_(lambda) {
    detail::require_non_negative("L1", "lambda", lambda);
  }
  double lambda() const { return lambda_; }

  /// lambda * sign(p), an expression evaluated inside the rule's pass.
  template <class P>
  auto gradient_term(const Eigen::ArrayBase<P>& value) const {
    using Scalar = typename P::Scalar;
    return value.unaryExpr(detail::ScaledSign<Scalar>{Scalar(lambda_)});
  }
  /// lambda * sum |p|, accumulated in double.
  template <class P>
  double penalty(const Eigen::ArrayBase<P>& value) const {
    return lambda_ * value.template cast<double>().abs().sum();
  }

 private:
  double lambda_;
};

}  // namespace descent

namespace Eigen::internal {
template <class Scalar>
struct functor_traits<descent::detail::ScaledSign<Scalar>> {
  enum { Cost = 3 * NumTraits<Scalar>::AddCost, PacketAccess = packet_traits<Scalar>::HasCmp };
};
}  // namespace Eigen::internal
