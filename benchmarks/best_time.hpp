#pragma once
// Best-of timing, interleaved: the figures the performance targets are stated in.
//
// This VM's memory bandwidth and CPU share vary by tens of percent between runs and within one,
// so a target that compares two timings taken minutes apart (Google Benchmark's mean of each)
// mostly measures that drift. Here every workload of a comparison is timed in alternating
// batches within the same second, and each keeps its best batch: the ratio of two bests compares
// them under the same conditions. Before each timed batch two untimed calls bring the workload's
// arrays back into the caches the previous workload evicted them from, so that an in-cache size
// is measured in cache. One is not enough for a block that fills much of L3 (1e6 floats of Adam
// are 16 MB): after another workload's 16 MB, a single pass left part of the arrays outside L3
// on the benchmark machine, and whichever workload followed one over other arrays ran 1.3-1.4x
// slower than the same kernel following one over its own arrays (/tmp experiment, session 11).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace descent_bench {

using Clock = std::chrono::steady_clock;

/// Untimed calls of a workload before each of its timed batches (see the top of this file).
inline constexpr int kWarmCalls = 2;

/// One workload of a comparison: its counter name (its best seconds per call are reported as
/// `<name>_s`) and one call of it.
struct Work {
  std::string name;
  std::function<void()> call;
};

/// The workload `name` that calls `x.step()` (an optimizer, or any object with a step()).
template <class T>
Work stepping(std::string name, T& x) {
  return {std::move(name), [&x] {
            x.step();
            benchmark::ClobberMemory();
          }};
}

/// Best seconds per call of each workload over alternating timed batches: each batch covers at
/// least 1e6 parameters (`n` per call; so the clock's own cost is negligible for small blocks),
/// at least 5 rounds and about 0.15 s of timed batches per workload in all.
inline std::vector<double> best_seconds_interleaved(std::int64_t n,
                                                    const std::vector<Work>& works) {
  const std::int64_t calls = std::max<std::int64_t>(1, 1000000 / n);
  std::vector<double> best(works.size(), 1e30);
  double timed = 0.0;
  for (int round = 0; round < 100000; ++round) {
    for (std::size_t w = 0; w < works.size(); ++w) {
      for (int warm = 0; warm < kWarmCalls; ++warm) works[w].call();  // untimed: into the caches
      const auto t0 = Clock::now();
      for (std::int64_t c = 0; c < calls; ++c) works[w].call();
      const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      best[w] = std::min(best[w], seconds / double(calls));
      timed += seconds;
    }
    if (round >= 4 && timed > 0.15 * double(works.size())) break;
  }
  return best;
}

/// Runs the comparison as a benchmark of one iteration whose manual time is the first
/// workload's best seconds per call (register it with ->UseManualTime()->Iterations(1)), with
/// counters `<name>_s` for every workload, and params/s and bytes/s of the first
/// (`bytes_per_parameter` of its traffic; 0: no such counters). Returns the bests.
inline std::vector<double> run_comparison(benchmark::State& state, std::int64_t n,
                                          double bytes_per_parameter,
                                          const std::vector<Work>& works) {
  std::vector<double> best;
  for (auto _ : state) {
    best = best_seconds_interleaved(n, works);
    state.SetIterationTime(best.front());
  }
  for (std::size_t w = 0; w < works.size(); ++w) state.counters[works[w].name + "_s"] = best[w];
  if (bytes_per_parameter > 0.0) {
    state.counters["params/s"] = double(n) / best.front();
    state.counters["bytes/s"] =
        benchmark::Counter(double(n) * bytes_per_parameter / best.front(),
                           benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
  }
  return best;
}

}  // namespace descent_bench
