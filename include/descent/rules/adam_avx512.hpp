#pragma once
/// Adam's pass in AVX-512F, picked at run time (see core/isa.hpp) when the gradient is a plain
/// array and the build targets less than AVX-512F. The formula of `Adam::Kernel::pass`,
/// operation for operation, sixteen floats or eight doubles at a time; the last partial vector
/// runs under a lane mask instead of a scalar loop. Results are bit-identical to the compiled
/// pass.
///
/// No fused multiply-add: AVX-512F includes FMA, and GCC contracts `a*b + c` written with the
/// plain intrinsics (they are vector operators to it) into one rounding. The arithmetic therefore
/// uses the `_round` intrinsics with the current rounding mode, which compile to the same
/// instructions but are opaque builtins that are never contracted. Their zero-masking forms with
/// every lane selected (`every_lane`) are used because the unmasked ones start from
/// `_mm512_undefined_ps()`, which GCC 12 reports as maybe-uninitialized (GCC bug 105593).

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>

#include "descent/core/isa.hpp"
#include "descent/core/stream_prefetch.hpp"

#if DESCENT_RUNTIME_AVX512
#include <immintrin.h>

namespace descent::detail::avx512 {

template <class Scalar>
struct Lanes;

// `max(a, b)` is Eigen's pmax, std::max's (a < b ? b : a): the instruction returns its second
// operand when either is NaN, so the operands are swapped.

template <>
struct Lanes<float> {
  using V = __m512;
  using Mask = __mmask16;
  static constexpr Eigen::Index width = 16;
  static constexpr Mask every_lane = Mask(0xFFFF);
  static constexpr int cur = _MM_FROUND_CUR_DIRECTION;
  DESCENT_TARGET_AVX512 static V all(float s) { return _mm512_set1_ps(s); }
  DESCENT_TARGET_AVX512 static V load(const float* p, Mask k) {
    return _mm512_maskz_loadu_ps(k, p);
  }
  DESCENT_TARGET_AVX512 static void store(float* p, V v, Mask k) { _mm512_mask_storeu_ps(p, k, v); }
  DESCENT_TARGET_AVX512 static V add(V a, V b) {
    return _mm512_maskz_add_round_ps(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V sub(V a, V b) {
    return _mm512_maskz_sub_round_ps(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V mul(V a, V b) {
    return _mm512_maskz_mul_round_ps(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V div(V a, V b) {
    return _mm512_maskz_div_round_ps(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V sqrt(V a) {
    return _mm512_maskz_sqrt_round_ps(every_lane, a, cur);
  }
  DESCENT_TARGET_AVX512 static V max(V a, V b) { return _mm512_maskz_max_ps(every_lane, b, a); }
};

template <>
struct Lanes<double> {
  using V = __m512d;
  using Mask = __mmask8;
  static constexpr Eigen::Index width = 8;
  static constexpr Mask every_lane = Mask(0xFF);
  static constexpr int cur = _MM_FROUND_CUR_DIRECTION;
  DESCENT_TARGET_AVX512 static V all(double s) { return _mm512_set1_pd(s); }
  DESCENT_TARGET_AVX512 static V load(const double* p, Mask k) {
    return _mm512_maskz_loadu_pd(k, p);
  }
  DESCENT_TARGET_AVX512 static void store(double* p, V v, Mask k) {
    _mm512_mask_storeu_pd(p, k, v);
  }
  DESCENT_TARGET_AVX512 static V add(V a, V b) {
    return _mm512_maskz_add_round_pd(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V sub(V a, V b) {
    return _mm512_maskz_sub_round_pd(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V mul(V a, V b) {
    return _mm512_maskz_mul_round_pd(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V div(V a, V b) {
    return _mm512_maskz_div_round_pd(every_lane, a, b, cur);
  }
  DESCENT_TARGET_AVX512 static V sqrt(V a) {
    return _mm512_maskz_sqrt_round_pd(every_lane, a, cur);
  }
  DESCENT_TARGET_AVX512 static V max(V a, V b) { return _mm512_maskz_max_pd(every_lane, b, a); }
};

/// Adam's constants broadcast once per pass.
template <class Scalar>
struct AdamConstants {
  using L = Lanes<Scalar>;
  typename L::V b1, c1, b2, c2, step, bc2, eps, keep;
};

/// Updates the lanes of `mask` at element i (all lanes in the loop, the first n % width in the
/// tail; masked-off lanes are neither read nor written).
template <bool AmsGrad, class Scalar>
DESCENT_TARGET_AVX512 inline void adam_lanes(const AdamConstants<Scalar>& c, Scalar* value,
                                             const Scalar* grad, Scalar* m, Scalar* v,
                                             Scalar* v_max, typename Lanes<Scalar>::Mask mask) {
  using L = Lanes<Scalar>;
  const auto gi = L::load(grad, mask);
  const auto mi = L::add(L::mul(c.b1, L::load(m, mask)), L::mul(c.c1, gi));
  auto vi = L::add(L::mul(c.b2, L::load(v, mask)), L::mul(c.c2, L::mul(gi, gi)));
  L::store(m, mi, mask);
  L::store(v, vi, mask);
  if constexpr (AmsGrad) {
    vi = L::max(L::load(v_max, mask), vi);
    L::store(v_max, vi, mask);
  }
  const auto denom = L::add(L::mul(L::sqrt(vi), c.bc2), c.eps);
  const auto update = L::div(L::mul(c.step, mi), denom);
  L::store(value, L::sub(L::mul(L::load(value, mask), c.keep), update), mask);
}

/// One Adam pass over n elements. `k` is the rule's kernel (its constants are read once);
/// `m`, `v`, `v_max` (AMSGrad only) are the state streams at the chunk's start.
template <bool AmsGrad, class Scalar, class Kernel>
DESCENT_TARGET_AVX512 void adam_pass(const Kernel& k, Scalar* value, const Scalar* grad, Scalar* m,
                                     Scalar* v, Scalar* v_max, Eigen::Index n) {
  using L = Lanes<Scalar>;
  using Mask = typename L::Mask;
  const AdamConstants<Scalar> c{L::all(k.beta1),     L::all(k.one_minus_beta1),
                                L::all(k.beta2),     L::all(k.one_minus_beta2),
                                L::all(k.step_size), L::all(k.inv_bias_correction2_sqrt),
                                L::all(k.eps),       L::all(k.keep)};
  // A masked head up to the next 64-byte boundary of `value`: Eigen aligns a build's arrays to
  // 16 bytes only (without AVX in its flags), and a 64-byte access at 16 mod 64 spans two cache
  // lines: at 1e7 floats (from main memory) unaligned full-width stores made this pass 1.4x
  // slower than the SSE2 one. Arrays from one allocator usually share their offset mod 64, so
  // aligning the parameter stream aligns the state streams too.
  const auto misaligned =
      Eigen::Index((reinterpret_cast<std::uintptr_t>(value) % 64) / sizeof(Scalar));
  Eigen::Index i = std::min(n, (L::width - misaligned) % L::width);
  if (i > 0) {
    adam_lanes<AmsGrad>(c, value, grad, m, v, v_max, Mask((1u << unsigned(i)) - 1u));
  }
  // Full vectors, one cache line each, with a prefetch of every stream prefetch_ahead elements
  // on (core/stream_prefetch.hpp).
  constexpr Eigen::Index ahead = prefetch_ahead<Scalar>;
  for (; i + L::width <= n; i += L::width) {
    if constexpr (ahead > 0) {
      prefetch_lines(i + ahead, value, grad, m, v);
      if constexpr (AmsGrad) prefetch_line(v_max + i + ahead);
    }
    adam_lanes<AmsGrad>(c, value + i, grad + i, m + i, v + i, AmsGrad ? v_max + i : nullptr,
                        L::every_lane);
  }
  if (i < n) {
    const Mask tail = Mask((1u << unsigned(n - i)) - 1u);
    adam_lanes<AmsGrad>(c, value + i, grad + i, m + i, v + i, AmsGrad ? v_max + i : nullptr, tail);
  }
}

}  // namespace descent::detail::avx512
#endif
