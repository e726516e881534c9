// Why FlushDenormals exists: an Adam step (float, 1e5 parameters, in cache) whose gradients and
// moments are denormal, without and with the scope, against the same step on normal numbers.
#include <benchmark/benchmark.h>

#include <cstdint>

#include <descent/descent.hpp>

namespace {

void run(benchmark::State& state, float gradient, bool flush) {
  const std::int64_t n = 100000;
  Eigen::ArrayXf p = Eigen::ArrayXf::Random(n), g = Eigen::ArrayXf::Constant(n, gradient);
  descent::Adam<float> opt(descent::AdamOptions(1e-3));
  opt.add("p", p, g);
  for (int i = 0; i < 10; ++i) opt.step();  // moments reach the gradient's magnitude
  for (auto _ : state) {
    if (flush) {
      descent::FlushDenormals scope;
      opt.step();
    } else {
      opt.step();
    }
    benchmark::ClobberMemory();
  }
  state.counters["params/s"] =
      benchmark::Counter(double(n), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_AdamNormalGradients(benchmark::State& s) { run(s, 1e-3f, false); }
void BM_AdamDenormalGradients(benchmark::State& s) { run(s, 1e-39f, false); }
void BM_AdamDenormalGradientsFlushed(benchmark::State& s) { run(s, 1e-39f, true); }

BENCHMARK(BM_AdamNormalGradients)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AdamDenormalGradients)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_AdamDenormalGradientsFlushed)->Unit(benchmark::kMicrosecond);

}  // namespace
