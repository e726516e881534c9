#pragma once
// The memory-traffic limit of a configuration: the same streams as the rule, read and written
// in place, with trivial arithmetic (each written stream += g). A rule at this speed is as fast
// as moving its bytes.
//
// The fastest way to move the bytes depends on the vector width: the loop compiled with the
// build's flags (SSE2 on a default x86-64 build) is instruction-bound in cache, and the library's
// runtime AVX / AVX-512F passes would beat it. So the limit is measured with every mover the CPU
// runs (the compiled loop, and AVX and AVX-512F loops aligned like the library's passes, each
// also with the software prefetch the library's passes issue, core/stream_prefetch.hpp: from
// main memory that prefetch makes a pass faster than any mover without it) and the fastest one
// counts.
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <descent/core/stream_prefetch.hpp>

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define DESCENT_BENCH_X86 1
#include <immintrin.h>
#else
#define DESCENT_BENCH_X86 0
#endif

namespace descent_bench {

enum class Mover { compiled, avx, avx512, avx_prefetch, avx512_prefetch };

inline const char* to_string(Mover m) {
  switch (m) {
    case Mover::avx:
      return "avx";
    case Mover::avx512:
      return "avx512";
    case Mover::avx_prefetch:
      return "avx_prefetch";
    case Mover::avx512_prefetch:
      return "avx512_prefetch";
    default:
      return "compiled";
  }
}

/// The movers this CPU runs.
inline std::vector<Mover> movers() {
  std::vector<Mover> all{Mover::compiled};
#if DESCENT_BENCH_X86
  __builtin_cpu_init();
  const bool prefetch = descent::detail::prefetch_ahead<float> > 0;
  if (__builtin_cpu_supports("avx")) {
    all.push_back(Mover::avx);
    if (prefetch) all.push_back(Mover::avx_prefetch);
  }
  if (__builtin_cpu_supports("avx512f")) {
    all.push_back(Mover::avx512);
    if (prefetch) all.push_back(Mover::avx512_prefetch);
  }
#endif
  return all;
}

namespace detail {

// The compiled loops, one per stream count (__restrict parameters, so that they vectorize).
template <class S>
void add_g(S* __restrict p, const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) p[i] += g[i];
}
template <class S>
void add_g(S* __restrict p, S* __restrict a, const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
  }
}
template <class S>
void add_g(S* __restrict p, S* __restrict a, S* __restrict b, const S* __restrict g,
           std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
    b[i] += g[i];
  }
}
template <class S>
void add_g(S* __restrict p, S* __restrict a, S* __restrict b, S* __restrict c,
           const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
    b[i] += g[i];
    c[i] += g[i];
  }
}

// w[j][i] += g[i] for the K written streams, element by element: the vector loops' unaligned
// head and tail.
template <int K, class S>
inline void add_g(S* const (&w)[K], const S* __restrict g, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    const S gi = g[i];
    for (int j = 0; j < K; ++j) w[j][i] += gi;
  }
}

// The first index at or after 0 where w[0] + i is `bytes`-aligned (at most n).
template <class S>
std::size_t aligned_start(const S* w0, std::size_t n, std::size_t bytes) {
  const auto offset = std::size_t(reinterpret_cast<std::uintptr_t>(w0) % bytes) / sizeof(S);
  const std::size_t lanes = bytes / sizeof(S);
  const std::size_t head = (lanes - offset) % lanes;
  return head < n ? head : n;
}

#if DESCENT_BENCH_X86
// One 32-byte vector of each stream at i: w[j] += g.
template <int K, class S>
__attribute__((target("avx"))) inline void add_g_avx_at(S* const (&w)[K], const S* g,
                                                        std::size_t i) {
  if constexpr (std::is_same_v<S, float>) {
    const __m256 gv = _mm256_loadu_ps(g + i);
    for (int j = 0; j < K; ++j)
      _mm256_storeu_ps(w[j] + i, _mm256_add_ps(_mm256_loadu_ps(w[j] + i), gv));
  } else {
    const __m256d gv = _mm256_loadu_pd(g + i);
    for (int j = 0; j < K; ++j)
      _mm256_storeu_pd(w[j] + i, _mm256_add_pd(_mm256_loadu_pd(w[j] + i), gv));
  }
}

// Prefetches every stream prefetch_ahead elements on from i, as the library's passes do (on
// past the end of the arrays too).
template <int K, class S>
inline void prefetch_streams(S* const (&w)[K], const S* g, std::size_t i) {
  const auto ahead = Eigen::Index(i) + descent::detail::prefetch_ahead<S>;
  descent::detail::prefetch_line(g + ahead);
  for (int j = 0; j < K; ++j) descent::detail::prefetch_line(w[j] + ahead);
}

template <bool Prefetch, int K, class S>
__attribute__((target("avx"))) void add_g_avx(S* const (&w)[K], const S* g, std::size_t n) {
  constexpr std::size_t lanes = 32 / sizeof(S);
  std::size_t i = aligned_start(w[0], n, 32);
  add_g(w, g, 0, i);
  if constexpr (Prefetch) {
    // Two vectors (one line) per round, as in the library's AVX pass.
    for (; i + 2 * lanes <= n; i += 2 * lanes) {
      prefetch_streams(w, g, i);
      add_g_avx_at(w, g, i);
      add_g_avx_at(w, g, i + lanes);
    }
  }
  for (; i + lanes <= n; i += lanes) add_g_avx_at(w, g, i);
  add_g(w, g, i, n);
}

// One 64-byte vector of each stream at i: w[j] += g.
template <int K, class S>
__attribute__((target("avx512f"))) inline void add_g_avx512_at(S* const (&w)[K], const S* g,
                                                               std::size_t i) {
  if constexpr (std::is_same_v<S, float>) {
    const __m512 gv = _mm512_loadu_ps(g + i);
    for (int j = 0; j < K; ++j)
      _mm512_storeu_ps(w[j] + i, _mm512_add_ps(_mm512_loadu_ps(w[j] + i), gv));
  } else {
    const __m512d gv = _mm512_loadu_pd(g + i);
    for (int j = 0; j < K; ++j)
      _mm512_storeu_pd(w[j] + i, _mm512_add_pd(_mm512_loadu_pd(w[j] + i), gv));
  }
}

template <bool Prefetch, int K, class S>
__attribute__((target("avx512f"))) void add_g_avx512(S* const (&w)[K], const S* g, std::size_t n) {
  constexpr std::size_t lanes = 64 / sizeof(S);
  std::size_t i = aligned_start(w[0], n, 64);
  add_g(w, g, 0, i);
  for (; i + lanes <= n; i += lanes) {
    if constexpr (Prefetch) prefetch_streams(w, g, i);
    add_g_avx512_at(w, g, i);
  }
  add_g(w, g, i, n);
}
#endif

}  // namespace detail

/// Reads g and the K written streams, writes the K streams (SGD: K = 1, value; momentum: 2;
/// Adam: 3, value, m, v; AMSGrad: 4), with the given mover (one of movers()).
template <int K, class S>
void limit_kernel(Mover mover, S* const (&w)[K], const S* g, std::size_t n) {
#if DESCENT_BENCH_X86
  switch (mover) {
    case Mover::avx:
      return detail::add_g_avx<false>(w, g, n);
    case Mover::avx_prefetch:
      return detail::add_g_avx<true>(w, g, n);
    case Mover::avx512:
      return detail::add_g_avx512<false>(w, g, n);
    case Mover::avx512_prefetch:
      return detail::add_g_avx512<true>(w, g, n);
    default:
      break;
  }
#endif
  (void)mover;
  if constexpr (K == 1) detail::add_g(w[0], g, n);
  if constexpr (K == 2) detail::add_g(w[0], w[1], g, n);
  if constexpr (K == 3) detail::add_g(w[0], w[1], w[2], g, n);
  if constexpr (K == 4) detail::add_g(w[0], w[1], w[2], w[3], g, n);
}

/// A read-only pass over g (what global-norm clipping or a finite check adds), with eight
/// independent sums so that it runs at memory speed without reassociation flags.
template <class S>
S read_pass(const S* __restrict g, std::size_t n) {
  S sums[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t k = 0; k < 8; ++k) sums[k] += g[i + k] * g[i + k];
  }
  for (; i < n; ++i) sums[0] += g[i] * g[i];
  S total = 0;
  for (S s : sums) total += s;
  return total;
}

}  // namespace descent_bench
