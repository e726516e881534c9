// Adam's AVX and AVX-512F passes, chosen at run time (core/isa.hpp), compute exactly what the
// compiled pass computes: same values and state arrays, bit for bit, for every length (full
// vectors and tails), with AMSGrad, decoupled weight decay, and special values (NaN, infinities,
// denormals, zeros).

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

/// Restores the cap a test changed, whatever happens.
class IsaCap {
 public:
  explicit IsaCap(descent::Isa cap) : previous_(descent::limit_isa(cap)) {}
  ~IsaCap() { descent::limit_isa(previous_); }
  IsaCap(const IsaCap&) = delete;
  IsaCap& operator=(const IsaCap&) = delete;

 private:
  descent::Isa previous_;
};

template <class S>
bool same_bits(const Eigen::Array<S, Eigen::Dynamic, 1>& a,
               const Eigen::Array<S, Eigen::Dynamic, 1>& b) {
  // An empty array's data() is null, and memcmp's pointers must not be null even for 0 bytes.
  return a.size() == b.size() &&
         (a.size() == 0 ||
          std::memcmp(a.data(), b.data(), sizeof(S) * static_cast<std::size_t>(a.size())) == 0);
}

/// Gradients of step `t`: mostly ordinary values of both signs and several magnitudes; with
/// `special`, also NaN, infinities, zeros, denormals and the largest finite value.
template <class S>
Eigen::Array<S, Eigen::Dynamic, 1> gradient(Eigen::Index n, int t, bool special) {
  Eigen::Array<S, Eigen::Dynamic, 1> g(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double x = std::sin(0.37 * double(i) + 1.3 * t) * std::pow(10.0, double(i % 7) - 4.0);
    g[i] = S(x);
  }
  if (special) {
    const S specials[] = {std::numeric_limits<S>::quiet_NaN(),
                          std::numeric_limits<S>::infinity(),
                          -std::numeric_limits<S>::infinity(),
                          S(0),
                          -S(0),
                          std::numeric_limits<S>::denorm_min(),
                          -std::numeric_limits<S>::min() / 4,
                          std::numeric_limits<S>::max()};
    for (Eigen::Index i = t; i < n; i += 5) g[i] = specials[(i + t) % 8];
  }
  return g;
}

/// What a run leaves: the block's values and copies of its state arrays.
template <class S>
struct Outcome {
  Eigen::Array<S, Eigen::Dynamic, 1> p, exp_avg, exp_avg_sq, max_exp_avg_sq;
  std::int64_t steps = 0;
};

/// Six steps of `Opt` over one block of n elements that starts `shift` elements into its
/// buffers (so that the passes' alignment heads see every offset).
template <class Opt>
Outcome<typename Opt::scalar_type> run(Opt opt, Eigen::Index n, bool special, Eigen::Index shift) {
  using S = typename Opt::scalar_type;
  using Array = Eigen::Array<S, Eigen::Dynamic, 1>;
  Array p_buffer(n + shift), g_buffer = Array::Zero(n + shift);
  Eigen::Map<Array> p(p_buffer.data() + shift, n), g(g_buffer.data() + shift, n);
  for (Eigen::Index i = 0; i < n; ++i) p[i] = S(std::cos(0.11 * double(i)));
  opt.add("p", p, g);
  for (int t = 1; t <= 6; ++t) {
    g = gradient<S>(n, t, special);
    opt.step();
  }
  const auto& state = opt.state(0);
  return {p, state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq, state.steps};
}

/// The runtime passes this build has and this CPU runs (compared against `compiled`).
std::vector<descent::Isa> runtime_isas() {
  std::vector<descent::Isa> isas;
  for (const descent::Isa isa : {descent::Isa::avx, descent::Isa::avx512}) {
    if (static_cast<int>(isa) <= static_cast<int>(descent::supported_isa())) isas.push_back(isa);
  }
  return isas;
}

template <class Opt>
void check_paths_agree(const Opt& prototype) {
  if (runtime_isas().empty()) WARN("no runtime pass on this build and CPU: nothing to compare");
  for (const descent::Isa isa : runtime_isas()) {
    INFO("runtime pass: " << descent::to_string(isa));
    for (const bool special : {false, true}) {
      INFO("special values: " << special);
      // The last length spans three ranges (core/chunks.hpp), so the passes run from range
      // offsets and prefetch across range ends (core/stream_prefetch.hpp).
      using S = typename Opt::scalar_type;
      for (Eigen::Index n :
           {Eigen::Index(0), Eigen::Index(1), Eigen::Index(3), Eigen::Index(4), Eigen::Index(7),
            Eigen::Index(8), Eigen::Index(9), Eigen::Index(15), Eigen::Index(16), Eigen::Index(17),
            Eigen::Index(31), Eigen::Index(33), Eigen::Index(1000), Eigen::Index(1027),
            2 * descent::range_elements<S> + 27}) {
        // Shifted starts: in units of the element, 64-byte vectors have up to 16 offsets (two
        // of them for the long length, which takes most of the test's time).
        for (Eigen::Index shift : {0, 1, 3, 4, 9, 15}) {
          if (n > 2000 && shift != 0 && shift != 3) continue;
          INFO("length " << n << ", start shifted by " << shift << " elements");
          Outcome<typename Opt::scalar_type> compiled, dispatched;
          {
            const IsaCap cap(descent::Isa::compiled);
            REQUIRE(descent::active_isa() == descent::Isa::compiled);
            compiled = run(prototype, n, special, shift);
          }
          {
            const IsaCap cap(isa);
            REQUIRE(descent::active_isa() == isa);
            dispatched = run(prototype, n, special, shift);
          }
          CHECK(same_bits(compiled.p, dispatched.p));
          CHECK(same_bits(compiled.exp_avg, dispatched.exp_avg));
          CHECK(same_bits(compiled.exp_avg_sq, dispatched.exp_avg_sq));
          CHECK(same_bits(compiled.max_exp_avg_sq, dispatched.max_exp_avg_sq));
          CHECK(compiled.steps == dispatched.steps);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("The runtime instruction set is the widest the build lacks and the CPU has",
          "[rules][adam][isa]") {
  descent::Isa expected = descent::Isa::compiled;
#if DESCENT_RUNTIME_AVX || DESCENT_RUNTIME_AVX512
  __builtin_cpu_init();
#endif
#if DESCENT_RUNTIME_AVX
  if (__builtin_cpu_supports("avx") != 0) expected = descent::Isa::avx;
#endif
#if DESCENT_RUNTIME_AVX512
  if (__builtin_cpu_supports("avx512f") != 0) expected = descent::Isa::avx512;
#endif
  CHECK(descent::supported_isa() == expected);
  if (expected == descent::Isa::compiled) {
    WARN("no runtime pass on this build and CPU: the runtime passes are not exercised here");
  } else if (expected == descent::Isa::avx) {
    WARN("this CPU has no AVX-512F: the AVX-512 pass is not exercised here");
  }
  const descent::Isa previous = descent::limit_isa(descent::Isa::compiled);
  CHECK(descent::active_isa() == descent::Isa::compiled);
  CHECK(descent::limit_isa(descent::Isa::avx) == descent::Isa::compiled);
  CHECK(static_cast<int>(descent::active_isa()) <= static_cast<int>(descent::Isa::avx));
  CHECK(descent::limit_isa(previous) == descent::Isa::avx);
  CHECK(descent::active_isa() == descent::supported_isa());
  CHECK(std::string(descent::to_string(descent::Isa::compiled)) == "compiled");
  CHECK(std::string(descent::to_string(descent::Isa::avx)) == "avx");
  CHECK(std::string(descent::to_string(descent::Isa::avx512)) == "avx512");
}

TEMPLATE_TEST_CASE("Adam's runtime passes are bit-identical to the compiled pass",
                   "[rules][adam][isa]", float, double) {
  const auto options = descent::AdamOptions(3e-3).betas(0.8, 0.995).eps(1e-7);
  SECTION("Adam") { check_paths_agree(descent::Adam<TestType>(options)); }
  SECTION("AMSGrad") {
    check_paths_agree(descent::Adam<TestType>(descent::AdamOptions(options).amsgrad(true)));
  }
  SECTION("AdamW (decoupled decay scales the value in the same pass)") {
    check_paths_agree(
        descent::AdamW<TestType>(options, descent::Constant(), descent::WeightDecay(0.05)));
  }
}
