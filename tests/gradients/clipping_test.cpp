// Gradient clipping policies: by value, by block norm, by global norm (clip_grad_norm_).
#include <catch2/catch.hpp>
#include <cmath>
#include <descent/descent.hpp>

namespace {
template <class S>
using Vec = Eigen::Array<S, Eigen::Dynamic, 1>;

template <class S>
Vec<S> vec(std::initializer_list<double> values) {
  Vec<S> v(Eigen::Index(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v[i++] = S(x);
  return v;
}
}  // namespace

TEMPLATE_TEST_CASE("ClipValue clamps each element inside the step and leaves the gradient as is",
                   "[gradients][clip]", float, double) {
  using S = TestType;
  Vec<S> p = vec<S>({1, 1, 1, 1}), g = vec<S>({2, -3, 0.25, -0.5});
  descent::Sgd<S, descent::Constant, descent::ClipValue> opt(
      descent::SgdOptions(0.1), descent::Constant(), descent::ClipValue(0.5));
  opt.add("p", p, g);
  opt.step();
  // clipped g = [0.5, -0.5, 0.25, -0.5];  p = 1 - 0.1 * g
  CHECK(p[0] == Approx(0.95));
  CHECK(p[1] == Approx(1.05));
  CHECK(p[2] == Approx(0.975));
  CHECK(p[3] == Approx(1.05));
  CHECK(g[0] == S(2));  // the user's gradient is read, not written
  CHECK(g[1] == S(-3));
}

TEMPLATE_TEST_CASE("ClipNorm rescales each block to its own norm bound", "[gradients][clip]", float,
                   double) {
  using S = TestType;
  Vec<S> a = Vec<S>::Zero(2), ga = vec<S>({3, 4});      // |ga| = 5
  Vec<S> b = Vec<S>::Zero(2), gb = vec<S>({0.3, 0.4});  // |gb| = 0.5
  descent::Sgd<S, descent::Constant, descent::ClipNorm> opt(
      descent::SgdOptions(1.0), descent::Constant(), descent::ClipNorm(1.0));
  opt.add("a", a, ga);
  opt.add("b", b, gb);
  opt.step();
  // a: scale = 1 / (5 + 1e-6);  p = -g * scale = [-0.6, -0.8] (to 1e-7)
  const double scale = 1.0 / (5.0 + 1e-6);
  CHECK(a[0] == Approx(-3.0 * scale));
  CHECK(a[1] == Approx(-4.0 * scale));
  // b: 1 / (0.5 + 1e-6) > 1, clamped to 1: unchanged gradient, exactly
  CHECK(b[0] == -S(0.3));
  CHECK(b[1] == -S(0.4));
  CHECK(opt.last_gradient_norm() == Approx(std::sqrt(25.25)));
}

TEMPLATE_TEST_CASE("ClipGlobalNorm rescales all blocks by one factor from the total norm",
                   "[gradients][clip]", float, double) {
  using S = TestType;
  Vec<S> a = Vec<S>::Zero(2), ga = vec<S>({3, 4});
  Vec<S> b = Vec<S>::Zero(2), gb = vec<S>({0.3, 0.4});
  descent::Sgd<S, descent::Constant, descent::ClipGlobalNorm> opt(
      descent::SgdOptions(1.0), descent::Constant(), descent::ClipGlobalNorm(1.0));
  opt.add("a", a, ga);
  opt.add("b", b, gb);
  opt.step();
  // total norm = sqrt(9 + 16 + 0.09 + 0.16) = sqrt(25.25) = 5.02493781...
  // scale = 1 / (5.02493781 + 1e-6) = 0.19900743...
  const double total = std::sqrt(25.25);
  const double scale = 1.0 / (total + 1e-6);
  CHECK(opt.last_gradient_norm() == Approx(total));
  CHECK(a[0] == Approx(-3.0 * scale));
  CHECK(a[1] == Approx(-4.0 * scale));
  CHECK(b[0] == Approx(-0.3 * scale));
  CHECK(b[1] == Approx(-0.4 * scale));
  // the clipped update has norm max_norm (to 1e-6)
  CHECK(std::sqrt(double((a.square().sum() + b.square().sum()))) == Approx(1.0).epsilon(1e-5));
}

TEMPLATE_TEST_CASE("Norm clipping below the bound changes nothing, bit for bit",
                   "[gradients][clip]", float, double) {
  using S = TestType;
  Vec<S> p = vec<S>({1, 2, 3}), g = vec<S>({0.1, -0.2, 0.3});
  Vec<S> q = p, h = g;
  descent::Adam<S, descent::Constant, descent::ClipGlobalNorm, descent::ClipNorm> clipped(
      descent::AdamOptions(0.1), descent::Constant(), descent::ClipGlobalNorm(10.0),
      descent::ClipNorm(10.0));
  descent::Adam<S> plain(descent::AdamOptions(0.1));
  clipped.add("p", p, g);
  plain.add("p", q, h);
  for (int i = 0; i < 3; ++i) {
    clipped.step();
    plain.step();
  }
  CHECK((p == q).all());
}

TEMPLATE_TEST_CASE("Global-norm clipping spans blocks longer than one range", "[gradients][clip]",
                   float, double) {
  using S = TestType;
  const Eigen::Index n = 2 * descent::range_elements<S> + 1031;  // three ranges (core/chunks.hpp)
  Vec<S> p = Vec<S>::Zero(n), g = Vec<S>::Constant(n, S(2));
  descent::Sgd<S, descent::Constant, descent::ClipGlobalNorm> opt(
      descent::SgdOptions(1.0), descent::Constant(), descent::ClipGlobalNorm(1.0));
  opt.add("p", p, g);
  opt.step();
  // norm = 2 * sqrt(n); every element moves by 2 / (norm + 1e-6)
  const double norm = 2.0 * std::sqrt(double(n));
  CHECK(opt.last_gradient_norm() == Approx(norm));
  CHECK((p + S(2.0 / (norm + 1e-6))).abs().maxCoeff() < S(1e-6));
}

TEST_CASE("Clipping settings are validated", "[gradients][clip]") {
  CHECK_THROWS_WITH(descent::ClipValue(0.0), "ClipValue: clip must be finite and > 0, got 0");
  CHECK_THROWS_WITH(descent::ClipValue(-1.0), "ClipValue: clip must be finite and > 0, got -1");
  CHECK_THROWS_WITH(descent::ClipNorm(NAN), "ClipNorm: max_norm must be finite and > 0, got nan");
  CHECK_THROWS_WITH(descent::ClipGlobalNorm(-0.5),
                    "ClipGlobalNorm: max_norm must be finite and > 0, got -0.5");
  CHECK_THROWS_AS(descent::ClipGlobalNorm(INFINITY), std::invalid_argument);
}
