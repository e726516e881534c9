// ProximalL1: soft-thresholding by lr * lambda after the rule's update, with exact zeros.
#include <cmath>

#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

#include "regularizers/helpers.hpp"

using descent_test::Column;
using descent_test::column;
using descent_test::near;

static_assert(descent::ProximalL1::kind == descent::RegularizerKind::proximal,
              "ProximalL1 is proximal");

TEMPLATE_TEST_CASE("ProximalL1 soft-thresholds by lr * lambda after an Sgd step",
                   "[regularizers][proximal_l1]", float, double) {
  // lr = 0.5, lambda = 0.25: threshold 0.125
  descent::Sgd<TestType, descent::Constant, descent::ProximalL1> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::ProximalL1(0.25));
  auto p = column<TestType>({2, -1, 0.0625, -0.5});
  auto g = column<TestType>({1, -1, 0.0625, 0});
  opt.add("w", p, g);
  opt.step();
  // Sgd: p - 0.5 * g = (1.5, -0.5, 0.03125, -0.5)
  // prox: shrink each toward 0 by 0.125, clamping at 0 = (1.375, -0.375, 0, -0.375)
  CHECK(p(0) == TestType(1.375));
  CHECK(p(1) == TestType(-0.375));
  CHECK(p(2) == TestType(0));
  CHECK(p(3) == TestType(-0.375));
}

TEMPLATE_TEST_CASE("ProximalL1 makes a parameter with a small gradient exactly zero, and it stays",
                   "[regularizers][proximal_l1]", float, double) {
  // lr = 0.5, lambda = 0.25: threshold 0.125; a gradient of 0.0625 moves p by 0.03125 per step.
  descent::Sgd<TestType, descent::Constant, descent::ProximalL1> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::ProximalL1(0.25));
  auto p = column<TestType>({0.1, -0.1});
  auto g = column<TestType>({0.0625, 0.0625});
  opt.add("w", p, g);
  opt.step();
  // 0.1 - 0.03125 = 0.06875 and -0.1 - 0.03125 = -0.13125: the first is within 0.125 of 0,
  // the second shrinks to -0.00625.
  CHECK(p(0) == TestType(0));
  CHECK_FALSE(std::signbit(p(0)));
  CHECK(p(1) == near<TestType>(-0.13125 + 0.125));
  for (int step = 0; step < 5; ++step) {
    opt.step();
    // -0.03125 after the gradient step, within the threshold: back to exactly 0
    CHECK(p(0) == TestType(0));
    CHECK(p(1) == TestType(0));
  }
}

TEMPLATE_TEST_CASE("ProximalL1 after Adam thresholds the Adam step by lr * lambda",
                   "[regularizers][proximal_l1]", float, double) {
  // lr = 0.1, betas (0.5, 0.75), eps = 0, lambda = 0.5: threshold 0.05
  descent::Adam<TestType, descent::Constant, descent::ProximalL1> opt(
      descent::AdamOptions(0.1).betas(0.5, 0.75).eps(0), descent::Constant(),
      descent::ProximalL1(0.5));
  auto p = column<TestType>({1, 0.125});
  auto g = column<TestType>({0.5, 1});
  opt.add("w", p, g);
  opt.step();
  // t1: Adam moves each by lr * sign(g) = 0.1: (0.9, 0.025); prox 0.05: (0.85, 0)
  CHECK(p(0) == near<TestType>(0.85));
  CHECK(p(1) == TestType(0));

  g << TestType(-0.5), TestType(1);
  opt.step();
  // t2, element 0: m = 0.125 - 0.25 = -0.125, v = 0.046875 + 0.0625 = 0.109375,
  //   m^ = -0.125 / 0.75 = -1/6, v^ = 0.109375 / 0.4375 = 0.25, step = -0.1 * (-1/6) / 0.5,
  //   p = 0.85 + 0.0333333 = 0.8833333, prox: 0.8333333
  // t2, element 1: constant gradient, p = 0 - 0.1 = -0.1, prox: -0.05 (Adam's step exceeds it)
  CHECK(p(0) == near<TestType>(0.8333333333333333));
  CHECK(p(1) == near<TestType>(-0.05));
}

TEMPLATE_TEST_CASE("ProximalL1 with lambda = 0 leaves values unchanged",
                   "[regularizers][proximal_l1]", float, double) {
  const descent::ProximalL1 prox(0);
  auto p = column<TestType>({1.5, -0.25, 0});
  prox.prox(p, 0.5);
  CHECK(p(0) == TestType(1.5));
  CHECK(p(1) == TestType(-0.25));
  CHECK(p(2) == TestType(0));
}

TEMPLATE_TEST_CASE("ProximalL1's penalty is lambda * sum |p|", "[regularizers][proximal_l1]", float,
                   double) {
  const descent::ProximalL1 prox(0.5);
  CHECK(prox.lambda() == 0.5);
  // 0.5 * (2 + 1 + 0.25) = 1.625
  CHECK(prox.penalty(column<TestType>({2, -1, -0.25})) == 1.625);
}
