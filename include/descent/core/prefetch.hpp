#pragma once
/// Software prefetch of the start of a block's streams, issued while the previous block is
/// updated: with many small blocks, every block otherwise starts its streams on cold cache
/// misses before the hardware prefetcher has seen enough of them to follow.

#include <cstddef>

namespace descent::detail {

/// Bytes fetched ahead from the start of each stream (eight 64-byte lines).
constexpr std::size_t prefetch_bytes = 512;

/// Asks the CPU to load the first `prefetch_bytes` (at most `bytes`) of `data` into the cache
/// for writing. A hint only: no effect on results, and a no-op where the compiler has no
/// prefetch builtin.
inline void prefetch_stream(const void* data, std::size_t bytes) {
#if defined(__GNUC__) || defined(__clang__)
  const char* p = static_cast<const char*>(data);
  const std::size_t n = bytes < prefetch_bytes ? bytes : prefetch_bytes;
  for (std::size_t offset = 0; offset < n; offset += 64) __builtin_prefetch(p + offset, 1, 3);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace descent::detail
