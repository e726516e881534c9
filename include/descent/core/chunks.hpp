#pragma once
/// Chunked traversal of a block, so that every stream of a rule stays in L1 between statements.

#include <algorithm>

#include <Eigen/Core>

namespace descent {

/// Elements per chunk: 4 KiB of each stream (1024 floats, 512 doubles). A rule with five
/// streams (AMSGrad) touches 20 KiB per chunk, within a 32 KiB L1 data cache.
template <class Scalar>
constexpr Eigen::Index chunk_elements = Eigen::Index(4096 / sizeof(Scalar));

/// Calls `body(begin, length)` for consecutive chunks covering [0, n).
template <class Scalar, class Body>
void for_each_chunk(Eigen::Index n, Body&& body) {
  for (Eigen::Index begin = 0; begin < n; begin += chunk_elements<Scalar>) {
    body(begin, std::min(chunk_elements<Scalar>, n - begin));
  }
}

}  // namespace descent
