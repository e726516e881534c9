// Optimizer step throughput for every rule, with and without composed policies, float and
// double, against the memory-traffic limit measured in the same binary.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
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

// The limit workloads of a traffic, one per mover (limit_kernel.hpp; the fastest counts), on
// arrays of n elements. Eigen arrays, aligned as the parameters and state of the benchmarked
// steps are.
template <class S>
struct LimitArrays {
  using Array = Eigen::Array<S, Eigen::Dynamic, 1>;
  Array g, p, a, b, c;
  explicit LimitArrays(std::int64_t n)
      : g(Array::Constant(n, S(1e-7))),
        p(Array::Ones(n)),
        a(Array::Zero(n)),
        b(Array::Zero(n)),
        c(Array::Zero(n)) {}

  void move(descent_bench::Mover mover, Traffic traffic) {
    const auto size = std::size_t(g.size());
    S sink = 0;
    if (traffic.read_pass) sink = descent_bench::read_pass(g.data(), size);
    const auto add = [&](auto&... written) {
      S* const w[] = {written.data()...};
      descent_bench::limit_kernel(mover, w, g.data(), size);
    };
    switch (traffic.written) {
      case 1:
        add(p);
        break;
      case 2:
        add(p, a);
        break;
      case 3:
        add(p, a, b);
        break;
      default:
        add(p, a, b, c);
    }
    benchmark::DoNotOptimize(sink);
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  }
};

// Times opt.step() over one block of n parameters, interleaved with the limit workloads
// (best_time.hpp): time and params/s are the step's best; of_limit = the fastest limit's time /
// the step's (1 means as fast as moving the bytes); step_s and limit_s the two times.
template <class Optimizer>
void run_steps(benchmark::State& state, Optimizer opt, Traffic traffic) {
  using S = typename Optimizer::scalar_type;
  const std::int64_t n = state.range(0);
  Eigen::Array<S, Eigen::Dynamic, 1> p = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n);
  Eigen::Array<S, Eigen::Dynamic, 1> g = Eigen::Array<S, Eigen::Dynamic, 1>::Random(n) * S(1e-3);
  opt.add("p", p, g);
  LimitArrays<S> limit_arrays(n);
  std::vector<descent_bench::Work> works{descent_bench::stepping("step", opt)};
  for (const descent_bench::Mover mover : descent_bench::movers()) {
    works.push_back({std::string("limit_") + descent_bench::to_string(mover),
                     [&limit_arrays, mover, traffic] { limit_arrays.move(mover, traffic); }});
  }
  const std::vector<double> best =
      descent_bench::run_comparison(state, n, traffic.bytes_per_parameter<S>(), works);
  const double limit = *std::min_element(best.begin() + 1, best.end());
  state.counters["limit_s"] = limit;
  state.counters["of_limit"] = limit / best.front();
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
  b->Unit(benchmark::kMicrosecond)->UseManualTime()->Iterations(1);
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
