// L2: the coupled term lambda * p (PyTorch's weight_decay in SGD and Adam).
#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

#include "regularizers/helpers.hpp"

using descent_test::Column;
using descent_test::column;
using descent_test::near;

static_assert(descent::L2::kind == descent::RegularizerKind::coupled, "L2 is coupled");

TEMPLATE_TEST_CASE("L2 adds lambda * p to the gradient of an Sgd step", "[regularizers][l2]", float,
                   double) {
  // lr = 0.5, lambda = 0.25, p = (2, -1, 0), g = (1, 1, 0)
  descent::Sgd<TestType, descent::Constant, descent::L2> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::L2(0.25));
  auto p = column<TestType>({2, -1, 0});
  auto g = column<TestType>({1, 1, 0});
  opt.add("w", p, g);
  opt.step();
  // g_eff = g + 0.25 * p = (1.5, 0.75, 0); p = p - 0.5 * g_eff = (1.25, -1.375, 0)
  CHECK(p(0) == TestType(1.25));
  CHECK(p(1) == TestType(-1.375));
  CHECK(p(2) == TestType(0));
  opt.step();
  // g_eff = (1 + 0.3125, 1 - 0.34375, 0) = (1.3125, 0.65625, 0)
  // p = (1.25 - 0.65625, -1.375 - 0.328125, 0) = (0.59375, -1.703125, 0)
  CHECK(p(0) == TestType(0.59375));
  CHECK(p(1) == TestType(-1.703125));
}

TEMPLATE_TEST_CASE("L2 with Adam enters the moments, so it changes steps 2 and 3",
                   "[regularizers][l2]", float, double) {
  // lr = 0.1, betas (0.5, 0.75), eps = 0, lambda = 0.5; g = (1, -1), (-0.5, 0.5), (0.25, -0.25)
  // bc1 = 0.5, 0.75, 0.875; bc2 = 0.25, 0.4375, 0.578125
  descent::Adam<TestType, descent::Constant, descent::L2> opt(
      descent::AdamOptions(0.1).betas(0.5, 0.75).eps(0), descent::Constant(), descent::L2(0.5));
  auto p = column<TestType>({1, -2});
  Column<TestType> g(2);
  opt.add("w", p, g);

  g << TestType(1), TestType(-1);
  opt.step();
  // t1: g_eff = (1 + 0.5, -1 - 1) = (1.5, -2); Adam's first step is lr * sign(g_eff)
  CHECK(p(0) == near<TestType>(0.9));
  CHECK(p(1) == near<TestType>(-1.9));

  g << TestType(-0.5), TestType(0.5);
  opt.step();
  // t2, element 0: g_eff = -0.5 + 0.45 = -0.05, m = 0.375 - 0.025 = 0.35,
  //   v = 0.421875 + 0.000625 = 0.4225, m^ = 0.35 / 0.75 = 0.466667, v^ = 0.4225 / 0.4375 =
  //   0.965714, p = 0.9 - 0.1 * 0.466667 / 0.982708 = 0.852512155955
  // element 1: g_eff = 0.5 - 0.95 = -0.45, m = -0.5 - 0.225 = -0.725, v = 0.75 + 0.050625 =
  // 0.800625,
  //   m^ = -0.966667, v^ = 1.83, p = -1.9 + 0.1 * 0.966667 / 1.352775 = -1.828541943808
  // (without L2 the moments cancel, m = 0, and neither element moves on this step)
  CHECK(p(0) == near<TestType>(0.852512155955251));
  CHECK(p(1) == near<TestType>(-1.8285419438077246));

  g << TestType(0.25), TestType(-0.25);
  opt.step();
  // t3, element 0: g_eff = 0.25 + 0.426256078 = 0.676256078, m = 0.175 + 0.338128039 = 0.513128039,
  //   v = 0.316875 + 0.114330571 = 0.431205571, m^ = 0.586432045, v^ = 0.745869095,
  //   p = 0.852512156 - 0.1 * 0.586432045 / 0.863637131 = 0.784609558557
  // element 1: g_eff = -0.25 - 0.914270972 = -1.164270972, m = -0.362500 - 0.582135486 =
  // -0.944635486,
  //   v = 0.600468750 + 0.338881724 = 0.939350474, m^ = -1.079583413, v^ = 1.624822442,
  //   p = -1.828541944 + 0.1 * 1.079583413 / 1.274685272 = -1.743847825987
  CHECK(p(0) == near<TestType>(0.7846095585571325));
  CHECK(p(1) == near<TestType>(-1.7438478259867505));
}

TEMPLATE_TEST_CASE("L2's penalty is (lambda / 2) * sum p^2, whose gradient is lambda * p",
                   "[regularizers][l2]", float, double) {
  const descent::L2 l2(0.25);
  CHECK(l2.lambda() == 0.25);
  // 0.125 * (4 + 1 + 0 + 0.25) = 0.65625
  CHECK(l2.penalty(column<TestType>({2, -1, 0, 0.5})) == 0.65625);
  // gradient_term is that penalty's gradient: 0.25 * p
  const Column<TestType> term = l2.gradient_term(column<TestType>({2, -1}));
  CHECK(term(0) == TestType(0.5));
  CHECK(term(1) == TestType(-0.25));
}
