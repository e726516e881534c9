#pragma once
/// Software prefetch inside a runtime pass (rules/adam_avx512.hpp, rules/adam_avx.hpp): while
/// the pass updates element i of a large block, it asks for the cache lines
/// `DESCENT_PREFETCH_AHEAD_BYTES` further on in every stream it reads. The hardware prefetcher
/// alone keeps too few lines in flight behind Adam's long square-root and division chains:
/// measured on the benchmark machine, an AVX-512F pass over 1e7 parameters (from main memory)
/// took 0.90-0.93x (float) and 0.89-0.92x (double) of its time without prefetch with lines
/// 2 KB ahead, while blocks in cache (1e4-1e5) were unchanged (docs/design.md "Prefetch inside
/// the pass").
///
/// The pass prefetches only lines inside the block (the last `DESCENT_PREFETCH_AHEAD_BYTES` of
/// it are updated without), so a block smaller than that is updated without prefetch and
/// memory past a block is never requested. Define `DESCENT_PREFETCH_AHEAD_BYTES` to 0 before
/// including descent to turn it off, or to another multiple of 64 to tune it for a machine.

#include <Eigen/Core>

#ifndef DESCENT_PREFETCH_AHEAD_BYTES
#define DESCENT_PREFETCH_AHEAD_BYTES 2048
#endif

static_assert(DESCENT_PREFETCH_AHEAD_BYTES >= 0 && DESCENT_PREFETCH_AHEAD_BYTES % 64 == 0,
              "DESCENT_PREFETCH_AHEAD_BYTES must be 0 or a positive multiple of 64 (a cache line)");

namespace descent::detail {

/// Elements of `Scalar` between the element updated and the one prefetched (0: no prefetch).
template <class Scalar>
inline constexpr Eigen::Index prefetch_ahead =
    Eigen::Index(DESCENT_PREFETCH_AHEAD_BYTES) / Eigen::Index(sizeof(Scalar));

/// Asks for the cache line holding `p`, into every cache level. A hint: it never faults and
/// changes no result; a no-op where the compiler has no prefetch builtin.
inline void prefetch_line(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p, 0, 3);
#else
  (void)p;
#endif
}

}  // namespace descent::detail
