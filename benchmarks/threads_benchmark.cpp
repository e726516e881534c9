// Adam's step on one large block split across OpenMP threads (descent::openmp), 1 and 2 threads,
// timed in real (wall-clock) time; best_s is the best wall-clock seconds per step (best_time.hpp).
// Eigen's own threading is switched off (Eigen::setNbThreads(1)) so that only descent's chunking is
// measured; an optimizer step has no matrix product anyway.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>

#include <descent/descent.hpp>

#include "best_time.hpp"

namespace {

template <class S>
void BM_AdamThreads(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const int threads = int(state.range(1));
  Eigen::setNbThreads(1);
  omp_set_num_threads(threads);
  Eigen::Array<S, Eigen::Dynamic, 1> p = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n);
  Eigen::Array<S, Eigen::Dynamic, 1> g = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n) * S(1e-3);
  descent::Adam<S> opt(descent::AdamOptions(1e-3));
  opt.add("p", p, g);
  opt.step();  // first touch of the state arrays outside the timing
  for (auto _ : state) {
    opt.step();
    benchmark::ClobberMemory();
  }
  state.counters["params/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = double(threads);
  state.counters["best_s"] = descent_bench::best_seconds_per_call(n, [&] {
    opt.step();
    benchmark::ClobberMemory();
  });
}

void shapes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {1000000, 10000000}) {
    for (int t : {1, 2}) b->Args({n, t});
  }
  b->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK_TEMPLATE(BM_AdamThreads, float)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_AdamThreads, double)->Apply(shapes);

}  // namespace

BENCHMARK_MAIN();
