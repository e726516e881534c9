// Hostile input: +Inf, -Inf and NaN gradients under each non-finite policy, for every rule.
//   raise:   NonFiniteGradient naming the block, step, element and value; nothing changes
//   skip:    step() returns false, skipped_steps() counts it; nothing else changes
//   proceed: (and no CheckFinite at all) the update runs: Sgd and Momentum move the element to
//            -inf / +inf (for +Inf / -Inf) or NaN; the adaptive rules give inf / inf = NaN
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

template <class Rule>
constexpr bool is_adaptive = !std::is_same<Rule, descent::rules::Sgd>::value &&
                             !std::is_same<Rule, descent::rules::Momentum>::value &&
                             !std::is_same<Rule, descent::rules::Nesterov>::value;

// One block "p" of 3 elements, one good step, then element 1 of the gradient set to `bad`.
template <class S, class Rule>
struct Fixture {
  using Opt = descent::Optimizer<S, Rule, descent::Constant, descent::CheckFinite>;
  Eigen::Array<S, Eigen::Dynamic, 1> p, g;
  Opt opt;
  std::string before;
  Fixture(descent::NonFinite action, S bad)
      : p(Eigen::Array<S, Eigen::Dynamic, 1>::Ones(3)),
        g(Eigen::Array<S, Eigen::Dynamic, 1>::Constant(3, S(0.25))),
        opt(options(), descent::Constant(), descent::CheckFinite(action)) {
    opt.add("p", p, g);
    opt.step();
    g[1] = bad;
    before = bytes();
  }
  static typename Rule::Options options() {
    typename Rule::Options o;
    o.lr(0.1);
    if constexpr (std::is_same<Rule, descent::rules::Nesterov>::value) o.momentum(0.9);
    return o;
  }
  // Parameters, state and counters, bit for bit.
  std::string bytes() { return descent::Checkpoint().add("opt", opt).to_bytes(); }
};

template <class S, class Rule>
void check_all_policies() {
  const S inf = std::numeric_limits<S>::infinity();
  const S nan = std::numeric_limits<S>::quiet_NaN();
  const std::string rule = Rule::name;
  for (const S bad : {inf, -inf, nan}) {
    const std::string text = std::isnan(bad) ? "nan" : (bad > 0 ? "inf" : "-inf");
    INFO(rule << ", gradient " << text);
    {
      Fixture<S, Rule> f(descent::NonFinite::raise, bad);
      CHECK_THROWS_MATCHES(
          f.opt.step(), descent::NonFiniteGradient,
          Catch::Matchers::Message(rule +
                                   ": gradient of block \"p\" is not finite at step 2 (element "
                                   "1 is " +
                                   text + ")"));
      CHECK(f.bytes() == f.before);
    }
    {
      Fixture<S, Rule> f(descent::NonFinite::skip, bad);
      const auto p = f.p;
      CHECK_FALSE(f.opt.step());
      CHECK(f.opt.skipped_steps() == 1);
      CHECK(f.opt.step_count() == 1);
      CHECK(f.opt.state("p").steps == 1);
      CHECK((f.p == p).all());
    }
    {
      Fixture<S, Rule> f(descent::NonFinite::proceed, bad);
      CHECK(f.opt.step());
      CHECK(std::isfinite(f.p[0]));
      CHECK(f.p[0] == f.p[2]);
      if (is_adaptive<Rule> || std::isnan(bad)) {
        CHECK(std::isnan(f.p[1]));
      } else {
        CHECK(f.p[1] == -bad);  // p - lr * (+-inf) = -+inf
      }
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("Inf and NaN gradients under raise, skip and proceed, for every rule",
                   "[hardening]", float, double) {
  check_all_policies<TestType, descent::rules::Sgd>();
  check_all_policies<TestType, descent::rules::Momentum>();
  check_all_policies<TestType, descent::rules::Nesterov>();
  check_all_policies<TestType, descent::rules::Adam>();
  check_all_policies<TestType, descent::rules::RMSprop>();
  check_all_policies<TestType, descent::rules::Adagrad>();
}

TEST_CASE("Without CheckFinite a non-finite gradient proceeds, as under NonFinite::proceed",
          "[hardening]") {
  Eigen::ArrayXd p = Eigen::ArrayXd::Ones(2), g(2);
  g << -std::numeric_limits<double>::infinity(), 1.0;
  descent::Sgd<double> opt(descent::SgdOptions(0.5));
  opt.add("p", p, g);
  CHECK(opt.step());
  CHECK(p[0] == std::numeric_limits<double>::infinity());
  CHECK(p[1] == 0.5);
}

TEST_CASE("An Inf gradient under ClipGlobalNorm and proceed zeroes every other gradient",
          "[hardening]") {
  // The global norm is inf, so the clip factor is max_norm / inf = 0 (clip_grad_norm_ does the
  // same): the Inf element becomes inf * 0 = NaN, every other element gets a zero gradient.
  Eigen::ArrayXd a = Eigen::ArrayXd::Ones(2), ga(2), b = Eigen::ArrayXd::Ones(2), gb(2);
  ga << std::numeric_limits<double>::infinity(), 1.0;
  gb << 1.0, -1.0;
  descent::Sgd<double, descent::Constant, descent::ClipGlobalNorm, descent::CheckFinite> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::ClipGlobalNorm(1.0),
      descent::CheckFinite(descent::NonFinite::proceed));
  opt.add("a", a, ga);
  opt.add("b", b, gb);
  CHECK(opt.step());
  CHECK(std::isnan(a[0]));
  CHECK(a[1] == 1.0);
  CHECK((b == 1.0).all());
  CHECK(opt.last_gradient_norm() == std::numeric_limits<double>::infinity());
}
