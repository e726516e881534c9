#pragma once
/// Chunked traversal of a block, so that every stream of a rule stays in L1 between statements;
/// optionally spread over OpenMP threads for large blocks.
///
/// Two chunk lengths: `chunk_elements` when statements follow the rule's pass on the same chunk
/// (a proximal step, an average), so that the chunk is still in L1 for them; `range_elements`
/// when the pass is all there is. Each chunk ends the pass's loop (a branch mispredicted at its
/// exit, which discards the loads in flight) and restarts it; with 4 KiB chunks a plain Adam
/// step reached 0.79-0.85 of its memory limit at 1e5 floats and 0.88 at 1e6, with ranges
/// 0.91-0.99 and 0.95 (docs/design.md "Chunks and ranges").

#include <algorithm>

#include <Eigen/Core>

namespace descent {

/// Elements per chunk: 4 KiB of each stream (1024 floats, 512 doubles). A rule with five
/// streams (AMSGrad) touches 20 KiB per chunk, within a 32 KiB L1 data cache.
template <class Scalar>
constexpr Eigen::Index chunk_elements = Eigen::Index(4096 / sizeof(Scalar));

/// Elements per range: 256 KiB of each stream (65,536 floats, 32,768 doubles), long enough that
/// restarting the pass costs nothing measurable, short enough to share a block of
/// parallel_min_elements among threads.
template <class Scalar>
constexpr Eigen::Index range_elements = Eigen::Index(262144 / sizeof(Scalar));

/// Blocks of at least this many elements are split across OpenMP threads when the library is
/// built with DESCENT_USE_OPENMP (below it, starting threads costs more than it saves).
constexpr Eigen::Index parallel_min_elements = Eigen::Index(1) << 17;

/// Calls `body(begin, length)` for consecutive chunks of `Chunk` elements (the last one shorter)
/// covering [0, n). With DESCENT_USE_OPENMP
/// defined (CMake target descent::openmp) and n >= parallel_min_elements, the chunks are shared
/// among the OpenMP threads in contiguous ranges (`body` must then be safe to call
/// concurrently on distinct chunks, which every rule's kernel is). DESCENT_USE_OPENMP must be
/// defined alike in every translation unit of a program.
template <class Scalar, Eigen::Index Chunk = chunk_elements<Scalar>, class Body>
void for_each_chunk(Eigen::Index n, Body&& body) {
  static_assert(Chunk % chunk_elements<Scalar> == 0, "descent: a chunk is whole 4 KiB pieces");
  constexpr Eigen::Index chunk = Chunk;
#if defined(DESCENT_USE_OPENMP)
  if (n >= parallel_min_elements) {
    const Eigen::Index chunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(static)
    for (Eigen::Index c = 0; c < chunks; ++c) {
      const Eigen::Index begin = c * chunk;
      body(begin, std::min(chunk, n - begin));
    }
    return;
  }
#endif
  for (Eigen::Index begin = 0; begin < n; begin += chunk) {
    body(begin, std::min(chunk, n - begin));
  }
}

}  // namespace descent
