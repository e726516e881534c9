// Adagrad as torch.optim.Adagrad: s <- s + g^2 from initial_accumulator_value,
// p <- p - lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps).

#include <cmath>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

namespace {

template <class S>
auto adagrad(double lr, double lr_decay, double initial, double eps) {
  return [=] {
    return descent::Adagrad<S>(
        descent::AdagradOptions(lr).lr_decay(lr_decay).initial_accumulator_value(initial).eps(eps));
  };
}

const Values p0 = {1, -1, 0.5};
const Trajectory gradients = {{2, -1, 0.5}, {1.5, 0, 1.2}, {6, 0.75, -0.8}};

}  // namespace

TEMPLATE_TEST_CASE("Adagrad divides by sqrt(sum of g^2) + eps", "[rules][adagrad]", float, double) {
  // lr = 0.1, eps = 0.5 (large, so that its placement shows), no decay, sum starts at 0.
  Trajectory expected =
      rule_test::reference_trajectory(rule_test::AdagradReference{0.1, 0, 0, 0.5}, p0, gradients);
  // Step 1: s1 = [4, 1, 0.25], d = sqrt(s1) + 0.5 = [2.5, 1.5, 1]
  //   p1 = [1 - 0.2 / 2.5, -1 + 0.1 / 1.5, 0.5 - 0.05 / 1] = [0.92, -14/15, 0.45]
  //   (eps under the root would give 1 - 0.2 / sqrt(4.5) = 0.906 for element 0)
  // Step 2: s2 = [4 + 2.25, 1 + 0, 0.25 + 1.44] = [6.25, 1, 1.69], d = [3, 1.5, 1.8]
  //   p2 = [0.92 - 0.15 / 3, -14/15 - 0, 0.45 - 0.12 / 1.8] = [0.87, -14/15, 0.45 - 1/15]
  // Step 3: s3 = [6.25 + 36, 1 + 0.5625, 1.69 + 0.64] = [42.25, 1.5625, 2.33]
  //   d = [6.5 + 0.5, 1.25 + 0.5, sqrt(2.33) + 0.5] = [7, 1.75, 2.0264...]
  //   p3 = [0.87 - 0.6 / 7, -14/15 - 0.075 / 1.75, p2 + 0.08 / (sqrt(2.33) + 0.5)]
  const Trajectory by_hand = {
      {0.92, -14.0 / 15.0, 0.45},
      {0.87, -14.0 / 15.0, 0.45 - 1.0 / 15.0},
      {0.87 - 0.6 / 7.0, -14.0 / 15.0 - 0.075 / 1.75,
       0.45 - 1.0 / 15.0 + 0.08 / (std::sqrt(2.33) + 0.5)},
  };
  for (std::size_t t = 0; t < 3; ++t) {
    for (std::size_t i = 0; i < 3; ++i) CHECK(expected[t][i] == Approx(by_hand[t][i]));
  }
  rule_test::check_steps<TestType>(adagrad<TestType>(0.1, 0, 0, 0.5), p0, gradients, by_hand);
}

TEMPLATE_TEST_CASE("Adagrad with default eps moves by about lr * sign(g) on step 1",
                   "[rules][adagrad]", float, double) {
  // lr = 0.1, eps = 1e-10 (PyTorch's default).
  Trajectory expected =
      rule_test::reference_trajectory(rule_test::AdagradReference{0.1, 0, 0, 1e-10}, p0, gradients);
  // Step 1: sqrt(s1) = |g1|; p1 = [1 - 0.2 / (2 + 1e-10), -1 + 0.1 / (1 + 1e-10),
  //   0.5 - 0.05 / (0.5 + 1e-10)] = [0.900000000005, -0.90000000001, 0.40000000002]
  expected[0] = {0.900000000005, -0.90000000001, 0.40000000002};
  // Step 2, element 0: s2 = 4 + 2.25 = 6.25; p2 = p1 - 0.1 * 1.5 / (2.5 + 1e-10)
  expected[1][0] = 0.900000000005 - 0.15 / (2.5 + 1e-10);
  rule_test::check_steps<TestType>(adagrad<TestType>(0.1, 0, 0, 1e-10), p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Adagrad decays the rate as lr / (1 + (t - 1) * lr_decay)", "[rules][adagrad]",
                   float, double) {
  // lr = 0.1, lr_decay = 0.5, eps = 0: the rates of steps 1, 2, 3 are 0.1, 0.1 / 1.5, 0.1 / 2.
  const Values q0 = {1, -1, 2, 0.5};
  const Trajectory q_gradients = {{3, 4, 1, 0.6}, {4, 3, 0, 0.8}, {0, -12, 1, 0}};
  const Trajectory expected = {
      // s1 = [9, 16, 1, 0.36], sqrt = [3, 4, 1, 0.6]; p1 = q0 - 0.1 * [1, 1, 1, 1]
      {0.9, -1.1, 1.9, 0.4},
      // s2 = [25, 25, 1, 1], sqrt = [5, 5, 1, 1]; p2 = p1 - (0.1 / 1.5) * [0.8, 0.6, 0, 0.8]
      {0.9 - 0.08 / 1.5, -1.1 - 0.04, 1.9, 0.4 - 0.08 / 1.5},
      // s3 = [25, 169, 2, 1], sqrt = [5, 13, sqrt(2), 1]
      // p3 = p2 - 0.05 * [0, -12/13, 1/sqrt(2), 0]
      {0.9 - 0.08 / 1.5, -1.14 + 0.6 / 13.0, 1.9 - 0.05 / std::sqrt(2.0), 0.4 - 0.08 / 1.5},
  };
  const Trajectory reference =
      rule_test::reference_trajectory(rule_test::AdagradReference{0.1, 0.5, 0, 0}, q0, q_gradients);
  for (std::size_t t = 0; t < 3; ++t) {
    for (std::size_t i = 0; i < 4; ++i) CHECK(reference[t][i] == Approx(expected[t][i]));
  }
  rule_test::check_steps<TestType>(adagrad<TestType>(0.1, 0.5, 0, 0), q0, q_gradients, expected);
}

TEMPLATE_TEST_CASE("Adagrad starts the sum at initial_accumulator_value", "[rules][adagrad]", float,
                   double) {
  // lr = 0.1, initial_accumulator_value = 0.75, eps = 0.
  const Trajectory q_gradients = {{0.5, 1.5, 0}, {1.5, 0.5, 0.5}, {-1, 2, 0.5}};
  Trajectory expected = rule_test::reference_trajectory(
      rule_test::AdagradReference{0.1, 0, 0.75, 0}, p0, q_gradients);
  // Step 1: s1 = 0.75 + g1^2 = [1, 3, 0.75]
  //   p1 = [1 - 0.05 / 1, -1 - 0.15 / sqrt(3), 0.5 - 0] (without the 0.75: [0.9, -1.1, 0.5])
  expected[0] = {0.95, -1 - 0.15 / std::sqrt(3.0), 0.5};
  // Step 2, element 2: s2 = 0.75 + 0.25 = 1; p2 = 0.5 - 0.1 * 0.5 / 1 = 0.45
  // Step 3, element 2: s3 = 1.25; p3 = 0.45 - 0.05 / sqrt(1.25)
  expected[1][2] = 0.45;
  expected[2][2] = 0.45 - 0.05 / std::sqrt(1.25);
  rule_test::check_steps<TestType>(adagrad<TestType>(0.1, 0, 0.75, 0), p0, q_gradients, expected);

  SECTION("the state sum starts at the initial value") {
    auto opt = adagrad<TestType>(0.1, 0, 0.75, 0)();
    Eigen::Matrix<TestType, 3, 1> p = Eigen::Matrix<TestType, 3, 1>::Zero(), g = p;
    opt.add("p", p, g);
    CHECK((opt.state("p").sum == TestType(0.75)).all());
  }
}

TEMPLATE_TEST_CASE("Adagrad matches the scalar reference across chunk boundaries",
                   "[rules][adagrad]", float, double) {
  rule_test::check_long_block(adagrad<TestType>(0.1, 0, 0, 1e-10),
                              rule_test::AdagradReference{0.1, 0, 0, 1e-10});
  rule_test::check_long_block(adagrad<TestType>(0.1, 0.3, 0.1, 1e-3),
                              rule_test::AdagradReference{0.1, 0.3, 0.1, 1e-3});
}
