#pragma once
// Best-of timing for the ratios the performance targets are stated in.
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace descent_bench {

using Clock = std::chrono::steady_clock;

// Best seconds per call of work() over timed batches of calls: each batch covers at least 1e6
// parameters (so the clock's own cost is negligible for small blocks); at least 5 batches and
// about 0.15 s in all. Best-of timing on both sides of a ratio cancels most of a shared machine's
// noise, which a mean does not.
template <class Work>
double best_seconds_per_call(std::int64_t n, Work&& work) {
  const std::int64_t calls = std::max<std::int64_t>(1, 1000000 / n);
  double best = 1e30;
  const auto start = Clock::now();
  for (int batch = 0; batch < 1000000; ++batch) {
    const auto t0 = Clock::now();
    for (std::int64_t c = 0; c < calls; ++c) work();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count() / double(calls));
    if (batch >= 4 && Clock::now() - start > std::chrono::milliseconds(150)) break;
  }
  return best;
}

}  // namespace descent_bench
