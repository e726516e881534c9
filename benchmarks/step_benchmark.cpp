// Optimizer step throughput for every rule, with and without composed policies, float and
// double, against the memory-traffic limit measured in the same binary.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
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

// The limit workloads of a step, one per mover (limit_kernel.hpp; the fastest counts), over the
// step's own arrays: its value, its gradient and the optimizer's state arrays of the block. With
// arrays of their own, the limit's 16 MB and the step's 16 MB at 1e6 Adam floats did not both
// fit in L3, and whichever workload followed one over the other arrays paid for it.
//
// The movers add the gradient to every written stream. The benchmark's gradients are positive,
// so the second moments stay positive and the step's arithmetic stays on finite numbers.
template <class S>
struct LimitStreams {
  std::vector<S*> written;  // the value, then the state arrays
  const S* gradient;
  std::size_t size;
  bool read_pass;

  template <class Optimizer, class Array>
  LimitStreams(const Optimizer& opt, Array& value, const Array& g, Traffic traffic)
      : written{value.data()},
        gradient(g.data()),
        size(std::size_t(g.size())),
        read_pass(traffic.read_pass) {
    using State = typename Optimizer::State;
    State::visit(opt.state(0), [&](const char*, const auto& array) {
      // The optimizer hands out its state read-only; the limit writes it as a step would.
      if (array.size() > 0) written.push_back(const_cast<S*>(array.data()));
    });
    if (int(written.size()) != traffic.written) {
      throw std::logic_error("step_benchmark: the traffic says " + std::to_string(traffic.written) +
                             " written streams, the step has " + std::to_string(written.size()));
    }
  }

  void move(descent_bench::Mover mover) const {
    S sink = 0;
    if (read_pass) sink = descent_bench::read_pass(gradient, size);
    const auto add = [&](auto... w) {
      S* const streams[] = {w...};
      descent_bench::limit_kernel(mover, streams, gradient, size);
    };
    switch (written.size()) {
      case 1:
        add(written[0]);
        break;
      case 2:
        add(written[0], written[1]);
        break;
      case 3:
        add(written[0], written[1], written[2]);
        break;
      default:
        add(written[0], written[1], written[2], written[3]);
    }
    benchmark::DoNotOptimize(sink);
    benchmark::ClobberMemory();
  }
};

// Times opt.step() over one block of n parameters, interleaved with the limit workloads
// (best_time.hpp): time and params/s are the step's best; of_limit = the fastest limit's time /
// the step's (1 means as fast as moving the bytes); step_s and limit_s the two times.
template <class Optimizer>
void run_steps(benchmark::State& state, Optimizer opt, Traffic traffic) {
  using S = typename Optimizer::scalar_type;
  using Array = Eigen::Array<S, Eigen::Dynamic, 1>;
  const std::int64_t n = state.range(0);
  Array p = Array::Random(n);
  Array g = (Array::Random(n).abs() + S(0.01)) * S(1e-3);
  opt.add("p", p, g);
  const LimitStreams<S> limit(opt, p, g, traffic);
  std::vector<descent_bench::Work> works{descent_bench::stepping("step", opt)};
  for (const descent_bench::Mover mover : descent_bench::movers()) {
    works.push_back({std::string("limit_") + descent_bench::to_string(mover),
                     [&limit, mover] { limit.move(mover); }});
  }
  const std::vector<double> best =
      descent_bench::run_comparison(state, n, traffic.bytes_per_parameter<S>(), works);
  const double limit_time = *std::min_element(best.begin() + 1, best.end());
  state.counters["limit_s"] = limit_time;
  state.counters["of_limit"] = limit_time / best.front();
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
