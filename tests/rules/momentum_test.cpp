// Heavy-ball momentum as torch.optim.SGD(momentum=mu, dampening=d): the buffer takes the raw
// gradient on the first step, dampening applies from the second, and mu = 0 is plain SGD.

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

namespace {

const Values p0 = {1, -1, 2};
const Trajectory gradients = {{1, 2, 0}, {0.5, -1, 4}, {-1, 0, 2}};

template <class S>
auto momentum(double mu, double dampening) {
  return [=] {
    return descent::Momentum<S>(descent::MomentumOptions(0.1).momentum(mu).dampening(dampening));
  };
}

}  // namespace

TEMPLATE_TEST_CASE("Momentum accumulates b <- mu * b + g and steps p <- p - lr * b",
                   "[rules][momentum]", float, double) {
  // lr = 0.1, mu = 0.9, dampening = 0.
  const Trajectory expected = {
      // b1 = g1 = [1, 2, 0];  p1 = p0 - 0.1 * b1 = [0.9, -1.2, 2]
      {0.9, -1.2, 2},
      // b2 = 0.9 * b1 + g2 = [0.9 + 0.5, 1.8 - 1, 0 + 4] = [1.4, 0.8, 4]
      // p2 = p1 - 0.1 * b2 = [0.9 - 0.14, -1.2 - 0.08, 2 - 0.4]
      {0.76, -1.28, 1.6},
      // b3 = 0.9 * b2 + g3 = [1.26 - 1, 0.72 + 0, 3.6 + 2] = [0.26, 0.72, 5.6]
      // p3 = p2 - 0.1 * b3 = [0.76 - 0.026, -1.28 - 0.072, 1.6 - 0.56]
      {0.734, -1.352, 1.04},
  };
  rule_test::check_steps<TestType>(momentum<TestType>(0.9, 0.0), p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Momentum's buffer takes the raw gradient on step 1, dampening from step 2",
                   "[rules][momentum]", float, double) {
  // lr = 0.1, mu = 0.9, dampening = 0.5.
  const Trajectory expected = {
      // b1 = g1 = [1, 2, 0], not 0.5 * g1;  p1 = p0 - 0.1 * b1 = [0.9, -1.2, 2]
      {0.9, -1.2, 2},
      // b2 = 0.9 * b1 + 0.5 * g2 = [0.9 + 0.25, 1.8 - 0.5, 0 + 2] = [1.15, 1.3, 2]
      // p2 = p1 - 0.1 * b2 = [0.9 - 0.115, -1.2 - 0.13, 2 - 0.2]
      {0.785, -1.33, 1.8},
      // b3 = 0.9 * b2 + 0.5 * g3 = [1.035 - 0.5, 1.17 + 0, 1.8 + 1] = [0.535, 1.17, 2.8]
      // p3 = p2 - 0.1 * b3 = [0.785 - 0.0535, -1.33 - 0.117, 1.8 - 0.28]
      {0.7315, -1.447, 1.52},
  };
  rule_test::check_steps<TestType>(momentum<TestType>(0.9, 0.5), p0, gradients, expected);

  SECTION("the buffer after step 1 is g1 itself") {
    Eigen::Matrix<TestType, 3, 1> p(TestType(1), TestType(-1), TestType(2));
    Eigen::Matrix<TestType, 3, 1> g(TestType(1), TestType(2), TestType(0));
    auto opt = momentum<TestType>(0.9, 0.5)();
    opt.add("p", p, g);
    opt.step();
    const auto& b = opt.state("p").momentum_buffer;
    CHECK(b(0) == TestType(1));
    CHECK(b(1) == TestType(2));
    CHECK(b(2) == TestType(0));
    CHECK(opt.state("p").steps == 1);
  }
}

TEMPLATE_TEST_CASE("Momentum with mu = 0 is plain SGD even with dampening", "[rules][momentum]",
                   float, double) {
  // lr = 0.1, mu = 0, dampening = 0.5: PyTorch skips the buffer, so p <- p - 0.1 * g.
  // (Through a buffer, step 2 would be p1 - 0.1 * 0.5 * g2 = [0.875, -1.15, 1.8].)
  const Trajectory expected = {
      {0.9, -1.2, 2},     // p0 - 0.1 * [1, 2, 0]
      {0.85, -1.1, 1.6},  // p1 - 0.1 * [0.5, -1, 4]
      {0.95, -1.1, 1.4},  // p2 - 0.1 * [-1, 0, 2]
  };
  rule_test::check_steps<TestType>(momentum<TestType>(0.0, 0.5), p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Momentum on a 2x2 block follows the reference for three steps",
                   "[rules][momentum]", float, double) {
  const Values p4 = {0.5, -0.25, 1, 2};
  const Trajectory g4 = {{1, -2, 0.5, 0}, {0.25, 1, -1, 2}, {-0.5, 0.5, 0, 1}};
  const Trajectory expected =
      rule_test::reference_trajectory(rule_test::MomentumReference{0.1, 0.8, 0.25}, p4, g4);
  // Step 1 by hand: b1 = g1; p1 = p0 - 0.1 * g1 = [0.4, -0.05, 0.95, 2]
  CHECK(expected[0][0] == Approx(0.4));
  CHECK(expected[0][1] == Approx(-0.05));
  CHECK(expected[0][2] == Approx(0.95));
  // Step 2, element 0: b2 = 0.8 * 1 + 0.75 * 0.25 = 0.9875; p2 = 0.4 - 0.09875 = 0.30125
  CHECK(expected[1][0] == Approx(0.30125));
  rule_test::check_steps<TestType>(momentum<TestType>(0.8, 0.25), p4, g4, expected);
}

TEMPLATE_TEST_CASE("Momentum matches the scalar reference across chunk boundaries",
                   "[rules][momentum]", float, double) {
  rule_test::check_long_block(momentum<TestType>(0.9, 0.3),
                              rule_test::MomentumReference{0.1, 0.9, 0.3});
  rule_test::check_long_block(momentum<TestType>(0.0, 0.3),
                              rule_test::MomentumReference{0.1, 0.0, 0.3});
}
