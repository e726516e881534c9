// The fused Adam step against the usual way (three whole-array Eigen statements), a hand-written
// single loop compiled to vectorize, the memory limit, and many small blocks against one.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <descent/descent.hpp>

#include "best_time.hpp"
#include "limit_kernel.hpp"
#include "reference_adam.hpp"

namespace {

template <class S>
using Array = Eigen::Array<S, Eigen::Dynamic, 1>;

constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kLr = 1e-3, kEps = 1e-8;

// Times work() (one Adam step over n parameters of type S in all): parameters/s and bytes/s
// from Google Benchmark's mean, and best_s, the best seconds per call (best_time.hpp), which
// report.py's ratios use.
template <class S, class Work>
void run(benchmark::State& state, std::int64_t n, Work work) {
  work();  // untimed: the first pass takes the page faults of freshly allocated arrays
  for (auto _ : state) {
    work();
    benchmark::ClobberMemory();
  }
  state.counters["params/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes/s"] = benchmark::Counter(double(n) * 7.0 * double(sizeof(S)),
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1024);
  state.counters["best_s"] = descent_bench::best_seconds_per_call(n, [&] {
    work();
    benchmark::ClobberMemory();
  });
}

template <class S>
void BM_AdamFused(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Array<S> p = Array<S>::Random(n), g = Array<S>::Random(n) * S(1e-3);
  descent::Adam<S> opt(descent::AdamOptions(kLr).betas(kBeta1, kBeta2).eps(kEps));
  opt.add("p", p, g);
  const auto work = [&] { opt.step(); };
  run<S>(state, n, work);
}

// The same step restricted to the pass compiled with the build's flags (SSE2 on a default x86-64
// build), and to the runtime AVX pass: what the runtime passes (core/isa.hpp) gain. On a CPU
// without AVX-512F the AVX variant is the default step.
template <class S>
void BM_AdamFusedCompiledIsa(benchmark::State& state) {
  const descent::Isa previous = descent::limit_isa(descent::Isa::compiled);
  BM_AdamFused<S>(state);
  descent::limit_isa(previous);
}
template <class S>
void BM_AdamFusedAvxIsa(benchmark::State& state) {
  const descent::Isa previous = descent::limit_isa(descent::Isa::avx);
  BM_AdamFused<S>(state);
  descent::limit_isa(previous);
}

// How most libraries write it: whole-array statements, each a full pass over memory.
template <class S>
void BM_AdamThreeStatements(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Array<S> p = Array<S>::Random(n), g = Array<S>::Random(n) * S(1e-3);
  Array<S> m = Array<S>::Zero(n), v = Array<S>::Zero(n);
  const S b1 = S(kBeta1), b2 = S(kBeta2), lr_t = S(kLr), eps = S(kEps);
  const auto work = [&] {
    m = b1 * m + (S(1) - b1) * g;
    v = b2 * v + (S(1) - b2) * g.square();
    p -= lr_t * m / (v.sqrt() + eps);
  };
  run<S>(state, n, work);
}

template <class S>
void BM_AdamReferenceLoop(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Array<S> p = Array<S>::Random(n), g = Array<S>::Random(n) * S(1e-3);
  Array<S> m = Array<S>::Zero(n), v = Array<S>::Zero(n);
  const auto work = [&] {
    descent_bench::reference_adam(p.data(), g.data(), m.data(), v.data(), std::size_t(n), S(kBeta1),
                                  S(kBeta2), S(kLr), S(1), S(kEps));
  };
  run<S>(state, n, work);
}

template <class S>
void BM_AdamLimit(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Array<S> p = Array<S>::Zero(n), g = Array<S>::Constant(n, S(1e-7));
  Array<S> m = Array<S>::Zero(n), v = Array<S>::Zero(n);
  const auto work = [&] {
    descent_bench::limit_kernel(p.data(), m.data(), v.data(), g.data(), std::size_t(n));
  };
  run<S>(state, n, work);
}

// 1,000 blocks of 1,000 parameters in one optimizer, against one block of 1e6 (BM_AdamFused).
template <class S>
void BM_AdamManySmallBlocks(benchmark::State& state) {
  const std::int64_t blocks = state.range(0), size = state.range(1);
  std::vector<Array<S>> p(static_cast<std::size_t>(blocks)), g(static_cast<std::size_t>(blocks));
  descent::Adam<S> opt{descent::AdamOptions(kLr)};
  for (std::int64_t b = 0; b < blocks; ++b) {
    p[std::size_t(b)] = Array<S>::Random(size);
    g[std::size_t(b)] = Array<S>::Random(size) * S(1e-3);
    opt.add("block" + std::to_string(b), p[std::size_t(b)], g[std::size_t(b)]);
  }
  const auto work = [&] { opt.step(); };
  run<S>(state, blocks * size, work);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n = 1000; n <= 10000000; n *= 10) b->Arg(n);
  b->Unit(benchmark::kMicrosecond);
}

BENCHMARK_TEMPLATE(BM_AdamFused, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamFusedCompiledIsa, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamFusedAvxIsa, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamThreeStatements, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamReferenceLoop, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamLimit, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamFused, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamFusedCompiledIsa, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamFusedAvxIsa, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamThreeStatements, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamReferenceLoop, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamLimit, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, float)
    ->Args({1000, 1000})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, float)
    ->Args({1, 1000000})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, double)
    ->Args({1000, 1000})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, double)
    ->Args({1, 1000000})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
