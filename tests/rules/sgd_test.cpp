// Sgd: p <- p - lr * g, checked by hand on small blocks of every kind and against a scalar
// reference across chunk boundaries.

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

TEMPLATE_TEST_CASE("Sgd subtracts lr times the gradient on every step", "[rules][sgd]", float,
                   double) {
  const auto make = [] { return descent::Sgd<TestType>(descent::SgdOptions(0.1)); };
  const Values p0 = {1, -2, 0.5, 3};
  const Trajectory gradients = {{0.5, -1, 2, 0}, {1, 1, -0.5, 0.25}, {-2, 0.5, 0, 1}};
  const Trajectory expected = {
      // p1 = p0 - 0.1 * g1 = [1 - 0.05, -2 + 0.1, 0.5 - 0.2, 3 - 0]
      {0.95, -1.9, 0.3, 3},
      // p2 = p1 - 0.1 * g2 = [0.95 - 0.1, -1.9 - 0.1, 0.3 + 0.05, 3 - 0.025]
      {0.85, -2.0, 0.35, 2.975},
      // p3 = p2 - 0.1 * g3 = [0.85 + 0.2, -2.0 - 0.05, 0.35 - 0, 2.975 - 0.1]
      {1.05, -2.05, 0.35, 2.875},
  };
  rule_test::check_steps<TestType>(make, p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Sgd on a 3-element block", "[rules][sgd]", float, double) {
  const auto make = [] { return descent::Sgd<TestType>(descent::SgdOptions(0.5)); };
  const Values p0 = {1, 2, 3};
  const Trajectory gradients = {{1, 0, -1}, {0.5, 0.5, 0.5}, {-2, 4, 0.25}};
  const Trajectory expected = {
      {0.5, 2, 3.5},         // [1 - 0.5, 2 - 0, 3 + 0.5]
      {0.25, 1.75, 3.25},    // [0.5 - 0.25, 2 - 0.25, 3.5 - 0.25]
      {1.25, -0.25, 3.125},  // [0.25 + 1, 1.75 - 2, 3.25 - 0.125]
  };
  rule_test::check_steps<TestType>(make, p0, gradients, expected);
}

TEMPLATE_TEST_CASE("Sgd with lr = 0 leaves the parameters unchanged", "[rules][sgd]", float,
                   double) {
  const auto make = [] { return descent::Sgd<TestType>(descent::SgdOptions(0.0)); };
  const Values p0 = {1, -2, 0.5, 3};
  const Trajectory gradients = {{0.5, -1, 2, 0}, {1, 1, -0.5, 0.25}};
  rule_test::check_steps<TestType>(make, p0, gradients, {p0, p0});
}

TEMPLATE_TEST_CASE("Sgd matches the scalar reference across chunk boundaries", "[rules][sgd]",
                   float, double) {
  rule_test::check_long_block([] { return descent::Sgd<TestType>(descent::SgdOptions(0.1)); },
                              rule_test::SgdReference{0.1});
}
