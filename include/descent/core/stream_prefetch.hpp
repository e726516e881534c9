#pragma once
/// Software prefetch inside Adam's passes (rules/adam_avx512.hpp, rules/adam_avx.hpp, and the
/// compiled lanes pass through core/lanes.hpp's for_each_lane_prefetched): while a pass updates
/// element i, it asks for the cache line `DESCENT_PREFETCH_AHEAD_BYTES` further on in every
/// stream. The hardware prefetcher alone keeps too few lines in flight behind Adam's long
/// square-root and division chains: on the benchmark machine the AVX-512F pass over 1e7
/// parameters (from main memory) took 0.90-0.93x (float) and 0.89-0.92x (double) of its time
/// without prefetch with lines 2 KiB ahead (two builds, run alternately), while blocks in cache
/// (1e4-1e5) were unchanged (docs/design.md "Prefetch inside the pass").
///
/// The prefetch runs on past the end of the chunk and of the block: it is a hint that never
/// faults, and what follows a block is often the next block (Maps into one buffer, the state
/// arena's slots, arrays allocated one after another). Confined to each block, it left 1,000
/// blocks of 1,000 floats at 1.32-1.63x the time of one 1e6 block; running on, 1.03-1.11x (and
/// separate arrays 1.70-1.90x against 1.86-2.40x). The cost is at most
/// `DESCENT_PREFETCH_AHEAD_BYTES` of unused lines per stream and block.
///
/// Define `DESCENT_PREFETCH_AHEAD_BYTES` to 0 before including descent to turn it off, or to
/// another multiple of 64 to tune it for a machine.

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

/// prefetch_line of element `offset` of every stream.
template <class... Scalar>
inline void prefetch_lines(Eigen::Index offset, const Scalar*... streams) {
  (prefetch_line(streams + offset), ...);
}

}  // namespace descent::detail
