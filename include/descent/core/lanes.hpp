#pragma once
/// One pass over a chunk in SIMD lanes: the rules' kernels read every stream once, compute the
/// whole update in registers and write every stream once, instead of one Eigen statement (and
/// one trip through the cache) per state array.
///
/// A kernel body is written once, for a lane type L, with the `Lane` arithmetic below; it runs
/// with L = Eigen's packet type over the full packets and with L = Scalar over the tail. The
/// arithmetic goes through Eigen's packet primitives (`Eigen::internal::padd`, `pdiv`, ...),
/// whose scalar overloads are the plain operators, so both paths compute the same formula. The
/// square root is the SIMD instruction itself (`exact_sqrt` below): the pass vectorizes under a
/// user's ordinary flags, where a hand-written loop calling std::sqrt does not (GCC keeps errno
/// semantics unless -fno-math-errno).

#include <Eigen/Core>

#include "descent/core/stream_prefetch.hpp"

// GCC warns that a packet type's vector attributes are dropped when it is a template argument
// (as Eigen does internally, which silences it in its own headers); they are not needed here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace descent::detail {

/// A value of lane type L (an Eigen packet, or the scalar itself for the tail).
template <class L>
struct Lane {
  L x;
};

template <class L>
Lane<L> operator+(Lane<L> a, Lane<L> b) {
  return {Eigen::internal::padd(a.x, b.x)};
}
template <class L>
Lane<L> operator-(Lane<L> a, Lane<L> b) {
  return {Eigen::internal::psub(a.x, b.x)};
}
template <class L>
Lane<L> operator*(Lane<L> a, Lane<L> b) {
  return {Eigen::internal::pmul(a.x, b.x)};
}
template <class L>
Lane<L> operator/(Lane<L> a, Lane<L> b) {
  return {Eigen::internal::pdiv(a.x, b.x)};
}
/// Correctly rounded square root of each lane. Eigen 3.4's psqrt for float packets (with its
/// default EIGEN_FAST_MATH) is a reciprocal-square-root estimate refined by a Newton step:
/// about ten instructions and not always the rounded result. The SIMD square-root instruction
/// is both faster and exact, so it is used where Eigen's packet type is known.
template <class L>
L exact_sqrt(const L& a) {
  return Eigen::internal::psqrt(a);
}
#if defined(EIGEN_VECTORIZE_SSE2)
inline Eigen::internal::Packet4f exact_sqrt(const Eigen::internal::Packet4f& a) {
  return _mm_sqrt_ps(a);
}
inline Eigen::internal::Packet2d exact_sqrt(const Eigen::internal::Packet2d& a) {
  return _mm_sqrt_pd(a);
}
#endif
#if defined(EIGEN_VECTORIZE_AVX)
inline Eigen::internal::Packet8f exact_sqrt(const Eigen::internal::Packet8f& a) {
  return _mm256_sqrt_ps(a);
}
inline Eigen::internal::Packet4d exact_sqrt(const Eigen::internal::Packet4d& a) {
  return _mm256_sqrt_pd(a);
}
#endif
#if defined(EIGEN_VECTORIZE_AVX512)
inline Eigen::internal::Packet16f exact_sqrt(const Eigen::internal::Packet16f& a) {
  return _mm512_sqrt_ps(a);
}
inline Eigen::internal::Packet8d exact_sqrt(const Eigen::internal::Packet8d& a) {
  return _mm512_sqrt_pd(a);
}
#endif

template <class L>
Lane<L> sqrt(Lane<L> a) {
  return {exact_sqrt(a.x)};
}
template <class L>
Lane<L> max(Lane<L> a, Lane<L> b) {
  return {Eigen::internal::pmax(a.x, b.x)};
}

/// Lane-wise access to the streams of one chunk: `load`/`store` on raw pointers (unaligned),
/// `read` of an Eigen expression (the gradient with its fused policy terms) through its
/// evaluator, and `all` to broadcast a scalar.
template <class L>
struct LaneOps {
  using Scalar = typename Eigen::internal::unpacket_traits<L>::type;
  using Value = Lane<L>;
  static constexpr bool is_packet = Eigen::internal::unpacket_traits<L>::size > 1;

  static Value all(Scalar s) { return {Eigen::internal::pset1<L>(s)}; }
  static Value load(const Scalar* p) { return {Eigen::internal::ploadu<L>(p)}; }
  static void store(Scalar* p, Value v) { Eigen::internal::pstoreu(p, v.x); }
  template <class Evaluator>
  static Value read(const Evaluator& e, Eigen::Index i) {
    if constexpr (is_packet) {
      return {e.template packet<Eigen::Unaligned, L>(i)};
    } else {
      return {e.coeff(i)};
    }
  }
};

/// True when the expression `E` can be read a packet at a time by linear index.
template <class E>
constexpr bool packet_readable = (Eigen::internal::evaluator<E>::Flags & Eigen::PacketAccessBit) !=
                                     0 &&
                                 (Eigen::internal::evaluator<E>::Flags & Eigen::LinearAccessBit) !=
                                     0;

/// Calls `body(i, LaneOps<Packet>{})` for each full packet of [0, n) when `Vectorize` holds,
/// then `body(i, LaneOps<Scalar>{})` for each remaining element.
template <class Scalar, bool Vectorize, class Body>
EIGEN_STRONG_INLINE void for_each_lane(Eigen::Index n, Body&& body) {
  using Packet = typename Eigen::internal::packet_traits<Scalar>::type;
  constexpr Eigen::Index width = Eigen::internal::unpacket_traits<Packet>::size;
  Eigen::Index i = 0;
  if constexpr (Vectorize && width > 1) {
    for (; i + width <= n; i += width) body(i, LaneOps<Packet>{});
  }
  for (; i < n; ++i) body(i, LaneOps<Scalar>{});
}

/// for_each_lane with software prefetch (core/stream_prefetch.hpp): over full cache lines of
/// elements, calls `prefetch(i + prefetch_ahead<Scalar>)` once per line before the line's
/// packets; the rest as for_each_lane. The body sees the same calls in the same order.
template <class Scalar, bool Vectorize, class Prefetch, class Body>
EIGEN_STRONG_INLINE void for_each_lane_prefetched(Eigen::Index n, Prefetch&& prefetch,
                                                  Body&& body) {
  using Packet = typename Eigen::internal::packet_traits<Scalar>::type;
  constexpr Eigen::Index width = Eigen::internal::unpacket_traits<Packet>::size;
  constexpr Eigen::Index line = Eigen::Index(64 / sizeof(Scalar));
  constexpr Eigen::Index ahead = prefetch_ahead<Scalar>;
  Eigen::Index i = 0;
  if constexpr (Vectorize && width > 1 && ahead > 0 && line % width == 0) {
    for (; i + line <= n; i += line) {
      prefetch(i + ahead);
      for (Eigen::Index j = 0; j < line; j += width) body(i + j, LaneOps<Packet>{});
    }
  }
  for_each_lane<Scalar, Vectorize>(n - i, [&](Eigen::Index j, auto ops) { body(i + j, ops); });
}

/// The gradient expression of one chunk, read lane by lane.
template <class G>
class LaneReader {
 public:
  static constexpr bool vectorizable = packet_readable<G>;
  explicit LaneReader(const G& g) : evaluator_(g) {}
  template <class Ops>
  typename Ops::Value operator()(Ops, Eigen::Index i) const {
    return Ops::read(evaluator_, i);
  }

 private:
  Eigen::internal::evaluator<G> evaluator_;
};

}  // namespace descent::detail

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
