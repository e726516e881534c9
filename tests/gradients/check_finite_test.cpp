// The non-finite gradient policy: raise and skip leave everything bit-for-bit unchanged.
#include <catch2/catch.hpp>
#include <cmath>
#include <descent/descent.hpp>
#include <limits>

namespace {
template <class S>
using Vec = Eigen::Array<S, Eigen::Dynamic, 1>;

// Adam over two blocks with a finite-check policy; `bad` is poisoned before step 3.
template <class S>
struct Fixture {
  using Opt = descent::Adam<S, descent::Constant, descent::CheckFinite>;
  Vec<S> a = Vec<S>::LinSpaced(5, S(-1), S(1)), ga = Vec<S>::Constant(5, S(0.5));
  Vec<S> b = Vec<S>::LinSpaced(2000, S(0), S(1)), gb = Vec<S>::Constant(2000, S(-0.25));
  Opt opt;
  explicit Fixture(descent::NonFinite action)
      : opt(descent::AdamOptions(0.01), descent::Constant(), descent::CheckFinite(action)) {
    opt.add("a", a, ga);
    opt.add("b", b, gb);
    opt.step();
    opt.step();
  }
};

template <class S>
void check_unchanged(const Fixture<S>& f, const Vec<S>& a, const Vec<S>& b, const Vec<S>& m,
                     const Vec<S>& v, std::int64_t steps) {
  CHECK((f.a == a).all());
  CHECK((f.b == b).all());
  CHECK((f.opt.state("b").exp_avg == m).all());
  CHECK((f.opt.state("b").exp_avg_sq == v).all());
  CHECK(f.opt.state("a").steps == steps);
  CHECK(f.opt.state("b").steps == steps);
  CHECK(f.opt.step_count() == steps);
}
}  // namespace

TEMPLATE_TEST_CASE("CheckFinite(raise) throws naming block, step and element, changing nothing",
                   "[gradients][finite]", float, double) {
  using S = TestType;
  Fixture<S> f(descent::NonFinite::raise);
  const Vec<S> a = f.a, b = f.b, m = f.opt.state("b").exp_avg, v = f.opt.state("b").exp_avg_sq;
  f.gb[1234] = std::numeric_limits<S>::quiet_NaN();
  CHECK_THROWS_WITH(f.opt.step(),
                    "Adam: gradient of block \"b\" is not finite at step 3 (element 1234 is nan)");
  check_unchanged(f, a, b, m, v, 2);
  f.gb[1234] = S(0);
  f.ga[0] = -std::numeric_limits<S>::infinity();
  CHECK_THROWS_AS(f.opt.step(), descent::NonFiniteGradient);
  CHECK_THROWS_WITH(f.opt.step(),
                    "Adam: gradient of block \"a\" is not finite at step 3 (element 0 is -inf)");
  check_unchanged(f, a, b, m, v, 2);
}

TEMPLATE_TEST_CASE("CheckFinite(skip) skips the step, counts it, and training resumes exactly",
                   "[gradients][finite]", float, double) {
  using S = TestType;
  Fixture<S> f(descent::NonFinite::skip);
  Fixture<S> reference(descent::NonFinite::raise);
  const Vec<S> a = f.a, b = f.b, m = f.opt.state("b").exp_avg, v = f.opt.state("b").exp_avg_sq;
  const S good = f.ga[2];
  f.ga[2] = std::numeric_limits<S>::infinity();
  CHECK_FALSE(f.opt.step());
  CHECK(f.opt.skipped_steps() == 1);
  check_unchanged(f, a, b, m, v, 2);
  // The next finite step is the third step, exactly as if the bad one never happened.
  f.ga[2] = good;
  CHECK(f.opt.step());
  CHECK(reference.opt.step());
  CHECK((f.a == reference.a).all());
  CHECK((f.b == reference.b).all());
  CHECK(f.opt.step_count() == 3);
  CHECK(f.opt.state("a").steps == 3);
}

TEMPLATE_TEST_CASE("CheckFinite(proceed) updates anyway, so NaN reaches the parameters",
                   "[gradients][finite]", float, double) {
  using S = TestType;
  Fixture<S> f(descent::NonFinite::proceed);
  f.ga[1] = std::numeric_limits<S>::quiet_NaN();
  CHECK(f.opt.step());
  CHECK(std::isnan(f.a[1]));
  CHECK(std::isfinite(f.a[0]));
  CHECK(std::isnan(f.opt.last_gradient_norm()));
  CHECK(f.opt.skipped_steps() == 0);
}

TEST_CASE("CheckFinite does not mistake a huge finite gradient for a non-finite one",
          "[gradients][finite]") {
  // 1e20f squared overflows float; the elements themselves are finite.
  Eigen::ArrayXf p = Eigen::ArrayXf::Zero(4), g = Eigen::ArrayXf::Constant(4, 1e20f);
  descent::Sgd<float, descent::Constant, descent::CheckFinite> opt(
      descent::SgdOptions(1e-21), descent::Constant(), descent::CheckFinite());
  opt.add("p", p, g);
  CHECK_NOTHROW(opt.step());
  CHECK(opt.last_gradient_norm() == Approx(2e20).epsilon(1e-5));  // sqrt(4) * 1e20
  CHECK(p[0] == Approx(-0.1f));
}
