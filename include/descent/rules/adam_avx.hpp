#pragma once
/// Adam's pass in AVX, picked at run time (see core/isa.hpp) when the gradient is a plain array
/// (no gradient-transforming or coupled policy fused into it) and the build targets less than
/// AVX. It is the formula of `Adam::Kernel::pass` operation for operation, eight floats or four
/// doubles at a time, so its results are bit-identical to the compiled pass.

#include <cmath>

#include <Eigen/Core>

#include "descent/core/isa.hpp"
#include "descent/core/stream_prefetch.hpp"

#if DESCENT_RUNTIME_AVX
#include <immintrin.h>

namespace descent::detail::avx {

template <class Scalar>
struct Lanes;

// `max(a, b)` is Eigen's pmax, std::max's (a < b ? b : a): the instruction returns its second
// operand when either is NaN, so the operands are swapped.

template <>
struct Lanes<float> {
  using V = __m256;
  static constexpr Eigen::Index width = 8;
  DESCENT_TARGET_AVX static V all(float s) { return _mm256_set1_ps(s); }
  DESCENT_TARGET_AVX static V load(const float* p) { return _mm256_loadu_ps(p); }
  DESCENT_TARGET_AVX static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  DESCENT_TARGET_AVX static V add(V a, V b) { return _mm256_add_ps(a, b); }
  DESCENT_TARGET_AVX static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  DESCENT_TARGET_AVX static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  DESCENT_TARGET_AVX static V div(V a, V b) { return _mm256_div_ps(a, b); }
  DESCENT_TARGET_AVX static V sqrt(V a) { return _mm256_sqrt_ps(a); }
  DESCENT_TARGET_AVX static V max(V a, V b) { return _mm256_max_ps(b, a); }
};

template <>
struct Lanes<double> {
  using V = __m256d;
  static constexpr Eigen::Index width = 4;
  DESCENT_TARGET_AVX static V all(double s) { return _mm256_set1_pd(s); }
  DESCENT_TARGET_AVX static V load(const double* p) { return _mm256_loadu_pd(p); }
  DESCENT_TARGET_AVX static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  DESCENT_TARGET_AVX static V add(V a, V b) { return _mm256_add_pd(a, b); }
  DESCENT_TARGET_AVX static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  DESCENT_TARGET_AVX static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  DESCENT_TARGET_AVX static V div(V a, V b) { return _mm256_div_pd(a, b); }
  DESCENT_TARGET_AVX static V sqrt(V a) { return _mm256_sqrt_pd(a); }
  DESCENT_TARGET_AVX static V max(V a, V b) { return _mm256_max_pd(b, a); }
};

/// One Adam pass over n elements. `k` is the rule's kernel (its constants are read once);
/// `m`, `v`, `v_max` (AMSGrad only) are the state streams at the chunk's start.
template <bool AmsGrad, class Scalar, class Kernel>
DESCENT_TARGET_AVX void adam_pass(const Kernel& k, Scalar* value, const Scalar* grad, Scalar* m,
                                  Scalar* v, Scalar* v_max, Eigen::Index n) {
  using L = Lanes<Scalar>;
  const Scalar b1 = k.beta1, c1 = k.one_minus_beta1, b2 = k.beta2, c2 = k.one_minus_beta2;
  const Scalar step = k.step_size, bc2 = k.inv_bias_correction2_sqrt, e = k.eps, keep = k.keep;
  const auto vb1 = L::all(b1), vc1 = L::all(c1), vb2 = L::all(b2), vc2 = L::all(c2);
  const auto vstep = L::all(step), vbc2 = L::all(bc2), ve = L::all(e), vkeep = L::all(keep);
  const auto vector_at = [&](Eigen::Index i) DESCENT_TARGET_AVX {
    const auto gi = L::load(grad + i);
    const auto mi = L::add(L::mul(vb1, L::load(m + i)), L::mul(vc1, gi));
    auto vi = L::add(L::mul(vb2, L::load(v + i)), L::mul(vc2, L::mul(gi, gi)));
    L::store(m + i, mi);
    L::store(v + i, vi);
    if constexpr (AmsGrad) {
      vi = L::max(L::load(v_max + i), vi);
      L::store(v_max + i, vi);
    }
    const auto denom = L::add(L::mul(L::sqrt(vi), vbc2), ve);
    const auto update = L::div(L::mul(vstep, mi), denom);
    L::store(value + i, L::sub(L::mul(L::load(value + i), vkeep), update));
  };
  Eigen::Index i = 0;
  // Two vectors (64 bytes) per round with a prefetch of every stream prefetch_ahead elements on
  // (core/stream_prefetch.hpp); then the last vector.
  constexpr Eigen::Index ahead = prefetch_ahead<Scalar>;
  if constexpr (ahead > 0) {
    for (; i + 2 * L::width <= n; i += 2 * L::width) {
      prefetch_lines(i + ahead, value, grad, m, v);
      if constexpr (AmsGrad) prefetch_line(v_max + i + ahead);
      vector_at(i);
      vector_at(i + L::width);
    }
  }
  for (; i + L::width <= n; i += L::width) vector_at(i);
  for (; i < n; ++i) {
    const Scalar gi = grad[i];
    const Scalar mi = b1 * m[i] + c1 * gi;
    Scalar vi = b2 * v[i] + c2 * (gi * gi);
    m[i] = mi;
    v[i] = vi;
    if constexpr (AmsGrad) {
      // Eigen's pmax on scalars: the second argument when the comparison is false (NaN).
      vi = v_max[i] < vi ? vi : v_max[i];
      v_max[i] = vi;
    }
    const Scalar denom = std::sqrt(vi) * bc2 + e;
    // Separate statements: Clang contracts `a * b - c` within one expression into a multiply-add
    // of -c (its default -ffp-contract=on), which, lowered without FMA, flips the sign of a NaN
    // in c; the other passes subtract, so the NaN would differ from theirs (seen at -O0 with the
    // sanitizers).
    const Scalar update = step * mi / denom;
    const Scalar kept = value[i] * keep;
    value[i] = kept - update;
  }
}

}  // namespace descent::detail::avx
#endif
