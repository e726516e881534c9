#pragma once
// The memory-traffic limit of a configuration: the same streams as the rule, read and written
// in place, with trivial arithmetic. A rule at this speed is as fast as moving its bytes.
#include <cstddef>

namespace descent_bench {

/// Reads g and p, writes p (the streams of plain SGD).
template <class S>
void limit_kernel(S* __restrict p, const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) p[i] += g[i];
}
/// Reads g, p, a; writes p, a (momentum).
template <class S>
void limit_kernel(S* __restrict p, S* __restrict a, const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
  }
}
/// Reads g, p, a, b; writes p, a, b (Adam).
template <class S>
void limit_kernel(S* __restrict p, S* __restrict a, S* __restrict b, const S* __restrict g,
                  std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
    b[i] += g[i];
  }
}
/// Reads g, p, a, b, c; writes p, a, b, c (AMSGrad).
template <class S>
void limit_kernel(S* __restrict p, S* __restrict a, S* __restrict b, S* __restrict c,
                  const S* __restrict g, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    p[i] += g[i];
    a[i] += g[i];
    b[i] += g[i];
    c[i] += g[i];
  }
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
