// Adam's step on one large block split across OpenMP threads (descent::openmp), 1 and 2 threads
// interleaved in one benchmark (best_time.hpp: wall-clock time, best of alternating batches;
// counters one_thread_s, the time, and two_threads_s). Eigen's own threading is switched off
// (Eigen::setNbThreads(1)) so that only descent's chunking is measured; an optimizer step has no
// matrix product anyway.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdint>

#include <descent/descent.hpp>

#include "best_time.hpp"

namespace {

template <class S>
void BM_AdamThreads(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Eigen::setNbThreads(1);
  Eigen::Array<S, Eigen::Dynamic, 1> p = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n);
  Eigen::Array<S, Eigen::Dynamic, 1> g = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n) * S(1e-3);
  descent::Adam<S> opt(descent::AdamOptions(1e-3));
  opt.add("p", p, g);
  const auto on = [&opt](int threads) {
    return [&opt, threads] {
      omp_set_num_threads(threads);
      opt.step();
      benchmark::ClobberMemory();
    };
  };
  descent_bench::run_comparison(state, n, 7.0 * sizeof(S),
                                {{"one_thread", on(1)}, {"two_threads", on(2)}});
}

void shapes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {1000000, 10000000}) b->Arg(n);
  b->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);
}

BENCHMARK_TEMPLATE(BM_AdamThreads, float)->Apply(shapes);
BENCHMARK_TEMPLATE(BM_AdamThreads, double)->Apply(shapes);

}  // namespace

BENCHMARK_MAIN();
