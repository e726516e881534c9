// Adam's AVX pass, chosen at run time (core/isa.hpp), computes exactly what the compiled pass
// computes: same values and state arrays, bit for bit, for every length (full vectors and tails),
// with AMSGrad, decoupled weight decay, and special values (NaN, infinities, denormals, zeros).

#include <cmath>
#include <cstring>
#include <limits>
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

/// Six steps of `Opt` over one block of n elements; returns the optimizer's block 0 state.
template <class Opt>
auto run(Opt opt, Eigen::Index n, bool special) {
  using S = typename Opt::scalar_type;
  Eigen::Array<S, Eigen::Dynamic, 1> p(n);
  Eigen::Array<S, Eigen::Dynamic, 1> g = Eigen::Array<S, Eigen::Dynamic, 1>::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) p[i] = S(std::cos(0.11 * double(i)));
  opt.add("p", p, g);
  for (int t = 1; t <= 6; ++t) {
    const Eigen::Array<S, Eigen::Dynamic, 1> next = gradient<S>(n, t, special);
    g = next;  // a copy into the registered storage (a move would swap the buffer away)
    opt.step();
  }
  return std::make_pair(Eigen::Array<S, Eigen::Dynamic, 1>(p), opt.state(0));
}

template <class Opt>
void check_paths_agree(const Opt& prototype) {
  for (const bool special : {false, true}) {
    INFO("special values: " << special);
    for (Eigen::Index n : {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 1000, 1027}) {
      INFO("length " << n);
      std::pair<Eigen::Array<typename Opt::scalar_type, Eigen::Dynamic, 1>, typename Opt::State>
          compiled, dispatched;
      {
        const IsaCap cap(descent::Isa::compiled);
        REQUIRE(descent::active_isa() == descent::Isa::compiled);
        compiled = run(prototype, n, special);
      }
      {
        const IsaCap cap(descent::Isa::avx);
        dispatched = run(prototype, n, special);
      }
      CHECK(same_bits(compiled.first, dispatched.first));
      CHECK(same_bits(compiled.second.exp_avg, dispatched.second.exp_avg));
      CHECK(same_bits(compiled.second.exp_avg_sq, dispatched.second.exp_avg_sq));
      CHECK(same_bits(compiled.second.max_exp_avg_sq, dispatched.second.max_exp_avg_sq));
      CHECK(compiled.second.steps == dispatched.second.steps);
    }
  }
}

}  // namespace

TEST_CASE("The runtime instruction set is AVX exactly when the build lacks it and the CPU has it",
          "[rules][adam][isa]") {
#if DESCENT_RUNTIME_AVX
  __builtin_cpu_init();
  const bool cpu_avx = __builtin_cpu_supports("avx") != 0;
  CHECK((descent::supported_isa() == descent::Isa::avx) == cpu_avx);
  if (!cpu_avx) WARN("this CPU has no AVX: the AVX pass is not exercised here");
#else
  CHECK(descent::supported_isa() == descent::Isa::compiled);
  WARN("the build targets AVX or is not x86: there is no runtime pass to compare");
#endif
  const descent::Isa previous = descent::limit_isa(descent::Isa::compiled);
  CHECK(descent::active_isa() == descent::Isa::compiled);
  CHECK(descent::limit_isa(previous) == descent::Isa::compiled);
  CHECK(descent::active_isa() == descent::supported_isa());
  CHECK(std::string(descent::to_string(descent::Isa::avx)) == "avx");
}

TEMPLATE_TEST_CASE("Adam's AVX pass is bit-identical to the compiled pass", "[rules][adam][isa]",
                   float, double) {
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
