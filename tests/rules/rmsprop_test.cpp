// RMSprop as torch.optim.RMSprop: plain, with momentum, centered, and centered with momentum;
// eps is added to the root of the average, not under it.

#include <cmath>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

namespace {

template <class S>
auto rmsprop(double lr, double alpha, double eps, double mu, bool centered) {
  return [=] {
    return descent::RMSprop<S>(
        descent::RMSpropOptions(lr).alpha(alpha).eps(eps).momentum(mu).centered(centered));
  };
}

rule_test::RMSpropReference reference(double lr, double alpha, double eps, double mu,
                                      bool centered) {
  return rule_test::RMSpropReference{lr, alpha, eps, mu, centered};
}

const Values p0 = {1, -1, 0.5, 2};
const Trajectory gradients = {{2, -1, 4, 0}, {1, 1, -2, 3}, {-1, 0.5, 0.3, 0.2}};

}  // namespace

TEMPLATE_TEST_CASE("RMSprop divides by sqrt(s) + eps", "[rules][rmsprop]", float, double) {
  // lr = 0.1, alpha = 0.75, eps = 0.5 (large, so that its placement shows).
  Trajectory expected =
      rule_test::reference_trajectory(reference(0.1, 0.75, 0.5, 0, false), p0, gradients);
  // Step 1: s1 = 0.25 * g1^2, sqrt(s1) = 0.5 * |g1| = [1, 0.5, 2, 0], d = [1.5, 1, 2.5, 0.5]
  //   p1 = p0 - 0.1 * g1 / d = [1 - 0.2 / 1.5, -1 + 0.1, 0.5 - 0.4 / 2.5, 2] = [13/15, -0.9, 0.34,
  //   2] (eps under the root would give 1 - 0.2 / sqrt(1.5) = 0.837 for element 0)
  expected[0] = {13.0 / 15.0, -0.9, 0.34, 2};
  // Step 2: s2 = 0.75 * s1 + 0.25 * g2^2
  //   element 0: s2 = 0.75 + 0.25 = 1, d = 1.5, p2 = 13/15 - 0.1 / 1.5 = 12/15 = 0.8
  //   element 2: s2 = 3 + 1 = 4, d = 2.5, p2 = 0.34 + 0.2 / 2.5 = 0.42
  //   element 3: s2 = 0.25 * 9 = 2.25, d = 2, p2 = 2 - 0.3 / 2 = 1.85
  expected[1][0] = 0.8;
  expected[1][2] = 0.42;
  expected[1][3] = 1.85;
  // Step 3, element 0: s3 = 0.75 + 0.25 = 1, d = 1.5, p3 = 0.8 + 0.1 / 1.5 = 13/15
  expected[2][0] = 13.0 / 15.0;
  rule_test::check_steps<TestType>(rmsprop<TestType>(0.1, 0.75, 0.5, 0, false), p0, gradients,
                                   expected);
  CHECK(1.0 - 0.2 / std::sqrt(1.5) < 13.0 / 15.0 - 0.02);
}

TEMPLATE_TEST_CASE("RMSprop with momentum accumulates b <- mu * b + g / d", "[rules][rmsprop]",
                   float, double) {
  // lr = 0.1, alpha = 0.75, eps = 0.5, mu = 0.5.
  Trajectory expected =
      rule_test::reference_trajectory(reference(0.1, 0.75, 0.5, 0.5, false), p0, gradients);
  // Step 1: b1 = g1 / d1 (b starts at 0), so p1 is the plain step: [13/15, -0.9, 0.34, 2]
  expected[0] = {13.0 / 15.0, -0.9, 0.34, 2};
  // Step 2, element 0: b1 = 2 / 1.5 = 4/3; b2 = 0.5 * 4/3 + 1 / 1.5 = 4/3
  //   p2 = 13/15 - 0.1 * 4/3 = 11/15
  // Step 3, element 0: b3 = 0.5 * 4/3 + (-1) / 1.5 = 0, so p3 = p2 = 11/15
  expected[1][0] = 11.0 / 15.0;
  expected[2][0] = 11.0 / 15.0;
  // Step 2, element 2: b1 = 4 / 2.5 = 1.6; d2 = 2.5, b2 = 0.8 - 0.8 = 0, so p2 = p1 = 0.34
  expected[1][2] = 0.34;
  rule_test::check_steps<TestType>(rmsprop<TestType>(0.1, 0.75, 0.5, 0.5, false), p0, gradients,
                                   expected);
}

TEMPLATE_TEST_CASE("Centered RMSprop divides by sqrt(s - a^2) + eps", "[rules][rmsprop]", float,
                   double) {
  // lr = 0.1, alpha = 0.9, eps = 0.4. On step 1, s - a^2 = 0.1 g^2 - 0.01 g^2 = 0.09 g^2.
  Trajectory expected =
      rule_test::reference_trajectory(reference(0.1, 0.9, 0.4, 0, true), p0, gradients);
  // Step 1: sqrt(s1 - a1^2) = 0.3 * |g1| = [0.6, 0.3, 1.2, 0], d = [1.0, 0.7, 1.6, 0.4]
  //   p1 = [1 - 0.2 / 1.0, -1 + 0.1 / 0.7, 0.5 - 0.4 / 1.6, 2] = [0.8, -1 + 1/7, 0.25, 2]
  //   (uncentered: d = sqrt(0.4) + 0.4 = 1.032 for element 0, p1 = 0.806)
  expected[0] = {0.8, -1.0 + 1.0 / 7.0, 0.25, 2};
  // Step 2, element 3: s2 = 0.1 * 9 = 0.9, a2 = 0.3, s2 - a2^2 = 0.81, d = 0.9 + 0.4 = 1.3
  //   p2 = 2 - 0.1 * 3 / 1.3 = 2 - 3/13
  expected[1][3] = 2.0 - 3.0 / 13.0;
  rule_test::check_steps<TestType>(rmsprop<TestType>(0.1, 0.9, 0.4, 0, true), p0, gradients,
                                   expected);

  SECTION("grad_avg holds (1 - alpha) * g after step 1") {
    auto opt = rmsprop<TestType>(0.1, 0.9, 0.4, 0, true)();
    Eigen::Matrix<TestType, Eigen::Dynamic, 1> p(2), g(2);
    p << TestType(1), TestType(-1);
    g << TestType(2), TestType(-1);
    opt.add("p", p, g);
    opt.step();
    CHECK(double(opt.state("p").grad_avg(0)) == rule_test::approx<TestType>(0.2));
    CHECK(double(opt.state("p").grad_avg(1)) == rule_test::approx<TestType>(-0.1));
    CHECK(double(opt.state("p").square_avg(0)) == rule_test::approx<TestType>(0.4));
    CHECK(double(opt.state("p").square_avg(1)) == rule_test::approx<TestType>(0.1));
    CHECK(opt.state("p").momentum_buffer.size() == 0);
  }
}

TEMPLATE_TEST_CASE("Centered RMSprop with momentum", "[rules][rmsprop]", float, double) {
  // lr = 0.1, alpha = 0.9, eps = 0.4, mu = 0.5.
  Trajectory expected =
      rule_test::reference_trajectory(reference(0.1, 0.9, 0.4, 0.5, true), p0, gradients);
  // Step 1: b1 = g1 / d1 = [2, -1 / 0.7, 4 / 1.6, 0], p1 = the centered plain step
  expected[0] = {0.8, -1.0 + 1.0 / 7.0, 0.25, 2};
  // Step 2, element 3: b1 = 0; d2 = 1.3 (as above), b2 = 3 / 1.3, p2 = 2 - 0.1 * 3 / 1.3
  expected[1][3] = 2.0 - 3.0 / 13.0;
  rule_test::check_steps<TestType>(rmsprop<TestType>(0.1, 0.9, 0.4, 0.5, true), p0, gradients,
                                   expected);
}

TEMPLATE_TEST_CASE("RMSprop with default eps on a 3-element block", "[rules][rmsprop]", float,
                   double) {
  // lr = 0.01, alpha = 0.99, eps = 1e-8 (PyTorch's defaults).
  const Values q0 = {1, -1, 0.5};
  const Trajectory q_gradients = {{2, -1, 0.5}, {0.5, -1, 2}, {0.5, 0, 1}};
  Trajectory expected =
      rule_test::reference_trajectory(reference(0.01, 0.99, 1e-8, 0, false), q0, q_gradients);
  // Step 1: sqrt(s1) = 0.1 * |g1|, so p1 = q0 - 0.01 * g1 / (0.1 |g1| + 1e-8) ~ q0 - 0.1 sign(g1)
  //   = [1 - 0.02 / 0.20000001, -1 + 0.01 / 0.10000001, 0.5 - 0.005 / 0.05000001]
  expected[0] = {1 - 0.02 / 0.20000001, -1 + 0.01 / 0.10000001, 0.5 - 0.005 / 0.05000001};
  CHECK(expected[0][0] == Approx(0.900000005).epsilon(1e-12));  // 1 - 0.1 / (1 + 5e-8)
  rule_test::check_steps<TestType>(rmsprop<TestType>(0.01, 0.99, 1e-8, 0, false), q0, q_gradients,
                                   expected);
}

TEMPLATE_TEST_CASE("RMSprop variants match the scalar reference across chunk boundaries",
                   "[rules][rmsprop]", float, double) {
  for (const bool centered : {false, true}) {
    for (const double mu : {0.0, 0.9}) {
      INFO("centered " << centered << ", momentum " << mu);
      rule_test::check_long_block(rmsprop<TestType>(0.01, 0.9, 1e-3, mu, centered),
                                  reference(0.01, 0.9, 1e-3, mu, centered));
    }
  }
}
