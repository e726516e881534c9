// L1: the coupled subgradient term lambda * sign(p), seen through Sgd and Adam.
#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

#include "regularizers/helpers.hpp"

using descent_test::column;
using descent_test::Column;
using descent_test::near;

static_assert(descent::L1::kind == descent::RegularizerKind::coupled, "L1 is coupled");

TEMPLATE_TEST_CASE("L1 adds lambda * sign(p) to the gradient of an Sgd step, with sign(0) = 0",
                   "[regularizers][l1]", float, double) {
  // lr = 0.5, lambda = 0.25, p = (2, -1, 0), g = (1, 1, 1)
  descent::Sgd<TestType, descent::Constant, descent::L1> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::L1(0.25));
  auto p = column<TestType>({2, -1, 0});
  auto g = column<TestType>({1, 1, 1});
  opt.add("w", p, g);
  opt.step();
  // g_eff = g + 0.25 * sign(p) = (1.25, 0.75, 1)
  // p     = p - 0.5 * g_eff    = (2 - 0.625, -1 - 0.375, 0 - 0.5)
  CHECK(p(0) == TestType(1.375));
  CHECK(p(1) == TestType(-1.375));
  CHECK(p(2) == TestType(-0.5));
  CHECK(g(0) == TestType(1));  // the user's gradient is read, never written
}

TEMPLATE_TEST_CASE("L1's term is lambda * sign(p) on every element of a long block",
                   "[regularizers][l1]", float, double) {
  // 4099 elements cover the vectorized path, several chunks and a scalar tail.
  // p cycles through (-2, 0, 2); g = 0; lr = 0.5, lambda = 0.25: p - 0.125 * sign(p)
  const Eigen::Index n = 4099;
  Column<TestType> p(n);
  for (Eigen::Index i = 0; i < n; ++i) p(i) = TestType(2 * (i % 3) - 2);
  Column<TestType> g = Column<TestType>::Zero(n);
  descent::Sgd<TestType, descent::Constant, descent::L1> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::L1(0.25));
  opt.add("w", p, g);
  opt.step();
  const TestType expected[3] = {TestType(-1.875), TestType(0), TestType(1.875)};
  Eigen::Index mismatches = 0;
  for (Eigen::Index i = 0; i < n; ++i) mismatches += p(i) == expected[i % 3] ? 0 : 1;
  CHECK(mismatches == 0);
}

TEMPLATE_TEST_CASE("L1 with Adam reverses a small gradient and reshapes later steps",
                   "[regularizers][l1]", float, double) {
  // lr = 0.1, betas (0.5, 0.75), eps = 0, lambda = 0.25; bias corrections
  // bc1 = 1 - 0.5^t = 0.5, 0.75, 0.875 and bc2 = 1 - 0.75^t = 0.25, 0.4375, 0.578125.
  descent::Adam<TestType, descent::Constant, descent::L1> opt(
      descent::AdamOptions(0.1).betas(0.5, 0.75).eps(0), descent::Constant(), descent::L1(0.25));
  auto p = column<TestType>({-1, 1});
  Column<TestType> g(2);
  opt.add("w", p, g);

  // Element 0 (p < 0, g = 0.125 every step): g_eff = 0.125 - 0.25 = -0.125 each step, a constant
  // gradient, so Adam moves it by exactly +lr: -0.9, -0.8, -0.7 (without L1 it would go down).
  // Element 1 (p > 0, g = 1, -0.5, 0.25): g_eff = g + 0.25.
  g << TestType(0.125), TestType(1);
  opt.step();
  // t1: g_eff = 1.25, m = 0.625, v = 0.390625, m^ = 1.25, v^ = 1.5625, p = 1 - 0.1 * 1 = 0.9
  CHECK(p(0) == near<TestType>(-0.9));
  CHECK(p(1) == near<TestType>(0.9));

  g << TestType(0.125), TestType(-0.5);
  opt.step();
  // t2: g_eff = -0.25, m = 0.3125 - 0.125 = 0.1875, v = 0.29296875 + 0.015625 = 0.30859375,
  //     m^ = 0.1875 / 0.75 = 0.25, v^ = 0.30859375 / 0.4375 = 0.705357142857...,
  //     p = 0.9 - 0.1 * 0.25 / sqrt(0.705357142857) = 0.9 - 0.1 * 0.297670278893 = 0.870232972111
  //     (without L1, m would be 0 and p would not move)
  CHECK(p(0) == near<TestType>(-0.8));
  CHECK(p(1) == near<TestType>(0.8702329721106207));

  g << TestType(0.125), TestType(0.25);
  opt.step();
  // t3: g_eff = 0.5, m = 0.09375 + 0.25 = 0.34375, v = 0.2314453125 + 0.0625 = 0.2939453125,
  //     m^ = 0.34375 / 0.875 = 0.392857142857, v^ = 0.2939453125 / 0.578125 = 0.508445945946,
  //     p = 0.870232972111 - 0.1 * 0.392857142857 / 0.713054097706 = 0.815137962979
  CHECK(p(0) == near<TestType>(-0.7));
  CHECK(p(1) == near<TestType>(0.8151379629792251));
}

TEMPLATE_TEST_CASE("L1's penalty is lambda * sum |p|", "[regularizers][l1]", float, double) {
  const descent::L1 l1(0.25);
  CHECK(l1.lambda() == 0.25);
  // 0.25 * (2 + 1 + 0 + 0.5) = 0.875
  CHECK(l1.penalty(column<TestType>({2, -1, 0, -0.5})) == 0.875);
  CHECK(l1.penalty(column<TestType>({})) == 0.0);
}
