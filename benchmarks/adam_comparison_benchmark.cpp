// The fused Adam step against the usual way (three whole-array Eigen statements), a hand-written
// single loop compiled to vectorize, the same step restricted to narrower instruction sets, and
// the memory limit, all interleaved in one benchmark per size (best_time.hpp); and many small
// blocks against one block of the same total size.
#include <benchmark/benchmark.h>

#include <algorithm>
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

template <class S>
constexpr double kAdamBytes = 7.0 * sizeof(S);  // read value, gradient, m, v; write value, m, v

// A parameter block with its gradient.
template <class S>
struct Block {
  Array<S> p, g;
  explicit Block(std::int64_t n) : p(Array<S>::Random(n)), g(Array<S>::Random(n) * S(1e-3)) {}
};

// The fused step with the runtime instruction-set choice capped at `cap` (core/isa.hpp).
template <class S>
struct Fused {
  Block<S> block;
  descent::Adam<S> opt{descent::AdamOptions(kLr).betas(kBeta1, kBeta2).eps(kEps)};
  descent::Isa cap;
  Fused(std::int64_t n, descent::Isa isa) : block(n), cap(isa) { opt.add("p", block.p, block.g); }
  void step() {
    const descent::Isa previous = descent::limit_isa(cap);
    opt.step();
    descent::limit_isa(previous);
  }
};

// How most libraries write it: whole-array statements, each a full pass over memory.
template <class S>
struct ThreeStatements {
  Block<S> block;
  Array<S> m, v;
  explicit ThreeStatements(std::int64_t n) : block(n), m(Array<S>::Zero(n)), v(Array<S>::Zero(n)) {}
  void step() {
    const S b1 = S(kBeta1), b2 = S(kBeta2), lr_t = S(kLr), eps = S(kEps);
    m = b1 * m + (S(1) - b1) * block.g;
    v = b2 * v + (S(1) - b2) * block.g.square();
    block.p -= lr_t * m / (v.sqrt() + eps);
  }
};

// The hand-written single loop (reference_adam.cpp, compiled with -fno-math-errno).
template <class S>
struct ReferenceLoop {
  Block<S> block;
  Array<S> m, v;
  explicit ReferenceLoop(std::int64_t n) : block(n), m(Array<S>::Zero(n)), v(Array<S>::Zero(n)) {}
  void step() {
    descent_bench::reference_adam(block.p.data(), block.g.data(), m.data(), v.data(),
                                  std::size_t(m.size()), S(kBeta1), S(kBeta2), S(kLr), S(1),
                                  S(kEps));
  }
};

// Adam's streams moved with trivial arithmetic, by every mover (limit_kernel.hpp).
template <class S>
struct Limit {
  Array<S> p, g, m, v;
  explicit Limit(std::int64_t n)
      : p(Array<S>::Zero(n)),
        g(Array<S>::Constant(n, S(1e-7))),
        m(Array<S>::Zero(n)),
        v(Array<S>::Zero(n)) {}
  void move(descent_bench::Mover mover) {
    S* const written[] = {p.data(), m.data(), v.data()};
    descent_bench::limit_kernel(mover, written, g.data(), std::size_t(p.size()));
  }
};

// Counters: fused_s (also the time), compiled_isa_s, avx_isa_s, three_statements_s,
// reference_loop_s, limit_<mover>_s and limit_s (the fastest mover).
template <class S>
void BM_AdamComparison(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  Fused<S> fused(n, descent::Isa::avx512), compiled(n, descent::Isa::compiled),
      avx(n, descent::Isa::avx);
  ThreeStatements<S> three(n);
  ReferenceLoop<S> reference(n);
  Limit<S> limit(n);
  using descent_bench::stepping;
  std::vector<descent_bench::Work> works{
      stepping("fused", fused), stepping("compiled_isa", compiled), stepping("avx_isa", avx),
      stepping("three_statements", three), stepping("reference_loop", reference)};
  const std::size_t first_limit = works.size();
  for (const descent_bench::Mover mover : descent_bench::movers()) {
    works.push_back({std::string("limit_") + descent_bench::to_string(mover), [&limit, mover] {
                       limit.move(mover);
                       benchmark::ClobberMemory();
                     }});
  }
  const std::vector<double> best = descent_bench::run_comparison(state, n, kAdamBytes<S>, works);
  state.counters["limit_s"] =
      *std::min_element(best.begin() + std::ptrdiff_t(first_limit), best.end());
}

// 1,000 blocks of 1,000 parameters in one optimizer against one block of 1e6. Counters:
// many_contiguous_s (the time): the blocks are Maps into the single block's value and gradient
//   buffers, so both step the same bytes (and share them in the caches: with buffers of their
//   own, three workloads of 16 MB each did not fit in L3 together) and the difference is the
//   optimizer's per-block cost;
// many_s: every block's value and gradient are separate Eigen arrays (a model of separate
//   tensors), so the user's heap layout adds its own cost (see BM_AdamPassLayout);
// one_s: the single block.
template <class S>
void BM_AdamManySmallBlocks(benchmark::State& state) {
  const std::int64_t blocks = state.range(0), size = state.range(1);
  Block<S> large(blocks * size);
  descent::Adam<S> one{descent::AdamOptions(kLr)};
  one.add("p", large.p, large.g);
  descent::Adam<S> many_contiguous{descent::AdamOptions(kLr)};
  for (std::int64_t b = 0; b < blocks; ++b) {
    many_contiguous.add("block" + std::to_string(b),
                        Eigen::Map<Array<S>>(large.p.data() + b * size, size),
                        Eigen::Map<Array<S>>(large.g.data() + b * size, size));
  }
  std::vector<Block<S>> small;
  small.reserve(std::size_t(blocks));
  descent::Adam<S> many{descent::AdamOptions(kLr)};
  for (std::int64_t b = 0; b < blocks; ++b) {
    small.emplace_back(size);
    many.add("block" + std::to_string(b), small.back().p, small.back().g);
  }
  using descent_bench::stepping;
  descent_bench::run_comparison(
      state, blocks * size, kAdamBytes<S>,
      {stepping("many_contiguous", many_contiguous), stepping("many", many), stepping("one", one)});
}

// Why the memory layout decides the cost of many small blocks: the library's runtime Adam pass
// (detail::adam_runtime_pass) over 1,000 blocks of 1,000 floats laid out in different ways,
// against one block of 1e6. Counters: one_s (the time); malloc_per_array_s, every array its own
// heap allocation (the optimizer's state before the state arena); separate_arrays_s, the user's
// values and gradients separate arrays and the state in per-stream runs (what the state arena
// gives a model of separate arrays); per_block_chunk_s, one allocation per block holding
// p | g | m | v; per_stream_buffer_s, every stream one run across blocks (what the arena gives a
// model whose values and gradients are packed). What is fast is each stream running on from one
// block into the next.
struct PassConstants {  // what the pass reads of Adam's kernel
  float beta1 = 0.9f, one_minus_beta1 = 0.1f, beta2 = 0.999f, one_minus_beta2 = 0.001f;
  float step_size = 1e-3f, inv_bias_correction2_sqrt = 1.0f, eps = 1e-8f, keep = 1.0f;
};

struct Streams {
  std::vector<float*> p, g, m, v;
  std::int64_t size = 0;
};

void BM_AdamPassLayout(benchmark::State& state) {
  constexpr std::int64_t blocks = 1000, size = 1000;
  const descent::Isa isa = descent::active_isa();
  if (isa == descent::Isa::compiled) {
    state.SkipWithError("no runtime pass on this build and CPU");
    return;
  }
  std::vector<Array<float>> owned;  // every allocation, in allocation order
  owned.reserve(5 * blocks + 8);
  const auto allocate = [&](std::int64_t n) {
    return owned.emplace_back(Array<float>::Zero(n)).data();
  };
  Streams one;
  one.size = blocks * size;
  for (auto* s : {&one.p, &one.g, &one.m, &one.v}) s->push_back(allocate(blocks * size));
  Streams malloced, separate, chunked, buffered;
  malloced.size = separate.size = chunked.size = buffered.size = size;
  for (std::int64_t b = 0; b < blocks; ++b) {  // as a model's arrays and the optimizer's state
    malloced.p.push_back(allocate(size));
    malloced.g.push_back(allocate(size));
  }
  for (std::int64_t b = 0; b < blocks; ++b) {
    malloced.m.push_back(allocate(size));
    malloced.v.push_back(allocate(size));
  }
  for (std::int64_t b = 0; b < blocks; ++b) {  // one allocation per block: p | g | m | v
    float* c = allocate(4 * size);
    chunked.p.push_back(c);
    chunked.g.push_back(c + size);
    chunked.m.push_back(c + 2 * size);
    chunked.v.push_back(c + 3 * size);
  }
  float* buffers[4];  // one allocation per stream, blocks one after the other
  for (float*& buffer : buffers) buffer = allocate(blocks * size);
  separate.p = malloced.p;
  separate.g = malloced.g;
  float* state_runs[2];  // as the state arena: slots rounded up to 64 bytes, one after another
  const std::int64_t slot = (size + 15) / 16 * 16;
  for (float*& run : state_runs) run = allocate(blocks * slot + 16);
  for (std::int64_t b = 0; b < blocks; ++b) {
    separate.m.push_back(state_runs[0] + b * slot);
    separate.v.push_back(state_runs[1] + b * slot);
  }
  for (std::int64_t b = 0; b < blocks; ++b) {
    buffered.p.push_back(buffers[0] + b * size);
    buffered.g.push_back(buffers[1] + b * size);
    buffered.m.push_back(buffers[2] + b * size);
    buffered.v.push_back(buffers[3] + b * size);
  }
  const PassConstants constants;
  const auto pass = [&](Streams& s) {
    return [&s, &constants, isa] {
      for (std::size_t b = 0; b < s.p.size(); ++b) {
        descent::detail::adam_runtime_pass<false, float>(isa, constants, s.p[b], s.g[b], s.m[b],
                                                         s.v[b], nullptr, s.size);
      }
      benchmark::ClobberMemory();
    };
  };
  descent_bench::run_comparison(state, blocks * size, kAdamBytes<float>,
                                {{"one", pass(one)},
                                 {"malloc_per_array", pass(malloced)},
                                 {"separate_arrays", pass(separate)},
                                 {"per_block_chunk", pass(chunked)},
                                 {"per_stream_buffer", pass(buffered)}});
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n = 1000; n <= 10000000; n *= 10) b->Arg(n);
  b->Unit(benchmark::kMicrosecond)->UseManualTime()->Iterations(1);
}

BENCHMARK_TEMPLATE(BM_AdamComparison, float)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamComparison, double)->Apply(sizes);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, float)
    ->Args({1000, 1000})
    ->Unit(benchmark::kMicrosecond)
    ->UseManualTime()
    ->Iterations(1);
BENCHMARK(BM_AdamPassLayout)->Unit(benchmark::kMicrosecond)->UseManualTime()->Iterations(1);
BENCHMARK_TEMPLATE(BM_AdamManySmallBlocks, double)
    ->Args({1000, 1000})
    ->Unit(benchmark::kMicrosecond)
    ->UseManualTime()
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
