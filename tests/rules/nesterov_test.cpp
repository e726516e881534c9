// Nesterov momentum as torch.optim.SGD(momentum=mu, nesterov=True):
// b <- g on step 1, b <- mu * b + g after; p <- p - lr * (g + mu * b).

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

namespace {

template <class S>
auto nesterov(double lr, double mu) {
  return [=] { return descent::Nesterov<S>(descent::MomentumOptions(lr).momentum(mu)); };
}

}  // namespace

TEMPLATE_TEST_CASE("Nesterov steps along g + mu * b", "[rules][nesterov]", float, double) {
  // lr = 0.1, mu = 0.9.
  const Values p0 = {1, -1, 2};
  const Trajectory gradients = {{1, 2, 0}, {0.5, -1, 4}, {-1, 0, 2}};
  const Trajectory expected = {
      // b1 = g1 = [1, 2, 0];  g1 + 0.9 * b1 = [1.9, 3.8, 0]
      // p1 = p0 - 0.1 * [1.9, 3.8, 0] = [1 - 0.19, -1 - 0.38, 2]
      {0.81, -1.38, 2},
      // b2 = 0.9 * b1 + g2 = [1.4, 0.8, 4];  g2 + 0.9 * b2 = [0.5 + 1.26, -1 + 0.72, 4 + 3.6]
      //                                                   = [1.76, -0.28, 7.6]
      // p2 = p1 - 0.1 * [1.76, -0.28, 7.6] = [0.81 - 0.176, -1.38 + 0.028, 2 - 0.76]
      {0.634, -1.352, 1.24},
      // b3 = 0.9 * b2 + g3 = [0.26, 0.72, 5.6];  g3 + 0.9 * b3 = [-1 + 0.234, 0.648, 2 + 5.04]
      //                                                       = [-0.766, 0.648, 7.04]
      // p3 = p2 - 0.1 * [-0.766, 0.648, 7.04] = [0.634 + 0.0766, -1.352 - 0.0648, 1.24 - 0.704]
      {0.7106, -1.4168, 0.536},
  };
  rule_test::check_steps<TestType>(nesterov<TestType>(0.1, 0.9), p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Nesterov on a 2x2 block follows the reference for three steps",
                   "[rules][nesterov]", float, double) {
  const Values p0 = {0.5, -0.25, 1, 2};
  const Trajectory gradients = {{1, -2, 0.5, 0}, {0.25, 1, -1, 2}, {-0.5, 0.5, 0, 1}};
  const Trajectory expected = rule_test::reference_trajectory(
      rule_test::MomentumReference{0.05, 0.5, 0.0, /*nesterov=*/true}, p0, gradients);
  // Step 1 by hand: b1 = g1; p1 = p0 - 0.05 * 1.5 * g1 = p0 - 0.075 * g1
  //               = [0.5 - 0.075, -0.25 + 0.15, 1 - 0.0375, 2]
  CHECK(expected[0][0] == Approx(0.425));
  CHECK(expected[0][1] == Approx(-0.1));
  CHECK(expected[0][2] == Approx(0.9625));
  CHECK(expected[0][3] == Approx(2));
  rule_test::check_steps<TestType>(nesterov<TestType>(0.05, 0.5), p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Nesterov matches the scalar reference across chunk boundaries",
                   "[rules][nesterov]", float, double) {
  rule_test::check_long_block(nesterov<TestType>(0.1, 0.9),
                              rule_test::MomentumReference{0.1, 0.9, 0.0, /*nesterov=*/true});
}
