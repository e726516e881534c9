// Optimizer step throughput for every rule, with and without composed policies, float and
// double, against the memory-traffic limit measured in the same binary.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include <descent/descent.hpp>

#include "best_time.hpp"
#include "limit_kernel.hpp"

namespace {

// The traffic of a configuration: arrays written in place (value + state), and whether a
// read pass over the gradients precedes the update.
struct Traffic {
  int written;
  bool read_pass;
  template <class S>
  double bytes_per_parameter() const {
    return double(sizeof(S)) * (2.0 * written + 1.0 + (read_pass ? 1.0 : 0.0));
  }
};

// Best seconds per call of the limit kernel for this traffic and size (cached per size).
template <class S>
double limit_seconds(Traffic traffic, std::int64_t n) {
  static std::map<std::tuple<int, bool, std::int64_t>, double> cache;
  const auto key = std::make_tuple(traffic.written, traffic.read_pass, n);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  const auto size = std::size_t(n);
  // Eigen arrays, aligned as the parameters and state of the benchmarked steps are (malloc's
  // 16 bytes would split every AVX-512 access across two cache lines and understate the limit).
  using Array = Eigen::Array<S, Eigen::Dynamic, 1>;
  Array g = Array::Constant(n, S(1e-7)), p = Array::Ones(n), a = Array::Zero(n), b = Array::Zero(n),
        c = Array::Zero(n);
  const double best = descent_bench::best_seconds_per_call(n, [&] {
    S sink = 0;
    if (traffic.read_pass) sink = descent_bench::read_pass(g.data(), size);
    switch (traffic.written) {
      case 1:
        descent_bench::limit_kernel(p.data(), g.data(), size);
        break;
      case 2:
        descent_bench::limit_kernel(p.data(), a.data(), g.data(), size);
        break;
      case 3:
        descent_bench::limit_kernel(p.data(), a.data(), b.data(), g.data(), size);
        break;
      default:
        descent_bench::limit_kernel(p.data(), a.data(), b.data(), c.data(), g.data(), size);
    }
    benchmark::DoNotOptimize(sink);
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  });
  cache[key] = best;
  return best;
}

// Times opt.step() over one block of n parameters and reports parameters/s and bytes/s (from
// Google Benchmark's mean time) and the fraction of the limit: best limit time / best step time,
// both from best_seconds_per_call (1 means as fast as moving the bytes).
template <class Optimizer>
void run_steps(benchmark::State& state, Optimizer opt, Traffic traffic) {
  using S = typename Optimizer::scalar_type;
  const std::int64_t n = state.range(0);
  Eigen::Array<S, Eigen::Dynamic, 1> p = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n);
  Eigen::Array<S, Eigen::Dynamic, 1> g = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n) * S(1e-3);
  opt.add("p", p, g);
  opt.step();
  const double limit = limit_seconds<S>(traffic, n);
  for (auto _ : state) {
    opt.step();
    benchmark::ClobberMemory();
  }
  const double seconds = descent_bench::best_seconds_per_call(n, [&] {
    opt.step();
    benchmark::ClobberMemory();
  });
  const double per_step = double(n);
  state.counters["params/s"] =
      benchmark::Counter(per_step, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes/s"] = benchmark::Counter(per_step * traffic.bytes_per_parameter<S>(),
                                                 benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1024);
  state.counters["of_limit"] = limit / seconds;
  state.counters["best_s"] = seconds;
  state.counters["limit_s"] = limit;
}

using Schedule = descent::Warmup<descent::Cosine>;
Schedule schedule() { return Schedule(100, descent::Cosine(100000)); }

// One benchmark per rule x policy variant x scalar.
template <class S, class Rule>
void BM_Plain(benchmark::State& state, typename Rule::Options o, Traffic t) {
  run_steps(state, descent::Optimizer<S, Rule>(o), t);
}
template <class S, class Rule>
void BM_L2L1(benchmark::State& state, typename Rule::Options o, Traffic t) {
  run_steps(state,
            descent::Optimizer<S, Rule, descent::Constant, descent::L2, descent::L1>(
                o, descent::Constant(), descent::L2(1e-4), descent::L1(1e-5)),
            t);
}
template <class S, class Rule>
void BM_GlobalClip(benchmark::State& state, typename Rule::Options o, Traffic t) {
  t.read_pass = true;
  run_steps(state,
            descent::Optimizer<S, Rule, descent::Constant, descent::ClipGlobalNorm>(
                o, descent::Constant(), descent::ClipGlobalNorm(1.0)),
            t);
}
template <class S, class Rule>
void BM_WarmupCosine(benchmark::State& state, typename Rule::Options o, Traffic t) {
  run_steps(state, descent::Optimizer<S, Rule, Schedule>(o, schedule()), t);
}
template <class S>
void BM_AdamW(benchmark::State& state, descent::AdamOptions o, Traffic t) {
  run_steps(state, descent::AdamW<S>(o, descent::Constant(), descent::WeightDecay(1e-2)), t);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n = 1000; n <= 10000000; n *= 10) b->Arg(n);
  b->Unit(benchmark::kMicrosecond);
}

template <class S>
void register_rule_benchmarks(const char* scalar) {
  const std::string suffix = std::string("/") + scalar;
  const auto add_variants = [&](const std::string& name, auto rule_tag, auto o, Traffic t) {
    using Rule = decltype(rule_tag);
    benchmark::RegisterBenchmark((name + suffix).c_str(), BM_Plain<S, Rule>, o, t)->Apply(sizes);
    benchmark::RegisterBenchmark((name + "+L2+L1" + suffix).c_str(), BM_L2L1<S, Rule>, o, t)
        ->Apply(sizes);
    benchmark::RegisterBenchmark((name + "+global_clip" + suffix).c_str(), BM_GlobalClip<S, Rule>,
                                 o, t)
        ->Apply(sizes);
    benchmark::RegisterBenchmark((name + "+warmup_cosine" + suffix).c_str(),
                                 BM_WarmupCosine<S, Rule>, o, t)
        ->Apply(sizes);
  };
  add_variants("Sgd", descent::rules::Sgd(descent::SgdOptions()), descent::SgdOptions(1e-3),
               Traffic{1, false});
  add_variants("Momentum", descent::rules::Momentum(descent::MomentumOptions()),
               descent::MomentumOptions(1e-3).momentum(0.9), Traffic{2, false});
  add_variants("Nesterov", descent::rules::Nesterov(descent::MomentumOptions()),
               descent::MomentumOptions(1e-3).momentum(0.9), Traffic{2, false});
  add_variants("Adam", descent::rules::Adam(descent::AdamOptions()), descent::AdamOptions(1e-3),
               Traffic{3, false});
  add_variants("AMSGrad", descent::rules::Adam(descent::AdamOptions()),
               descent::AdamOptions(1e-3).amsgrad(true), Traffic{4, false});
  benchmark::RegisterBenchmark(("AdamW" + suffix).c_str(), BM_AdamW<S>, descent::AdamOptions(1e-3),
                               Traffic{3, false})
      ->Apply(sizes);
}

const bool registered = [] {
  // The runtime pass this CPU gets (core/isa.hpp), in the JSON's context for report.py.
  benchmark::AddCustomContext("descent_isa", descent::to_string(descent::active_isa()));
  register_rule_benchmarks<float>("float");
  register_rule_benchmarks<double>("double");
  return true;
}();

}  // namespace
