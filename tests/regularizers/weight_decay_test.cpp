// WeightDecay: decoupled decay p * (1 - lr * decay) in the rule's pass; the AdamW and SgdW aliases.
#include <cmath>

#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

#include "regularizers/helpers.hpp"

using descent_test::Column;
using descent_test::column;
using descent_test::near;

static_assert(descent::WeightDecay::kind == descent::RegularizerKind::decoupled,
              "WeightDecay is decoupled");

TEST_CASE("WeightDecay defaults to 1e-2, torch.optim.AdamW's weight_decay", "[regularizers][wd]") {
  CHECK(descent::WeightDecay().decay() == 1e-2);
  CHECK(descent::WeightDecay(0.5).decay() == 0.5);
}

TEMPLATE_TEST_CASE("SgdW scales p by (1 - lr * decay) and subtracts lr * g in one step",
                   "[regularizers][wd]", float, double) {
  // lr = 0.5, decay = 0.25: keep = 1 - 0.125 = 0.875
  descent::SgdW<TestType> opt(descent::SgdOptions(0.5), descent::Constant(),
                              descent::WeightDecay(0.25));
  auto p = column<TestType>({2, -1, 0});
  auto g = column<TestType>({1, 1, 0.5});
  opt.add("w", p, g);
  opt.step();
  // p = p * 0.875 - 0.5 * g = (1.75 - 0.5, -0.875 - 0.5, 0 - 0.25)
  CHECK(p(0) == TestType(1.25));
  CHECK(p(1) == TestType(-1.375));
  CHECK(p(2) == TestType(-0.25));
}

TEMPLATE_TEST_CASE("AdamW decays the pre-update value by lr * decay, outside the moments",
                   "[regularizers][wd]", float, double) {
  // lr = 0.1, betas (0.5, 0.75), eps = 0, decay = 0.5: keep = 1 - 0.05 = 0.95 every step.
  // g = (1, -1), (-0.5, 0.5), (0.25, -0.25); bc1 = 0.5, 0.75, 0.875; bc2 = 0.25, 0.4375, 0.578125
  descent::AdamW<TestType> opt(descent::AdamOptions(0.1).betas(0.5, 0.75).eps(0),
                               descent::Constant(), descent::WeightDecay(0.5));
  auto p = column<TestType>({1, -2});
  Column<TestType> g(2);
  opt.add("w", p, g);

  g << TestType(1), TestType(-1);
  opt.step();
  // t1: m = 0.5 * g, v = 0.25 * g^2, m^ = g, v^ = g^2: update = sign(g)
  //     p = (1 * 0.95 - 0.1, -2 * 0.95 + 0.1) = (0.85, -1.8)
  CHECK(p(0) == near<TestType>(0.85));
  CHECK(p(1) == near<TestType>(-1.8));
  CHECK(opt.state("w").exp_avg(0) == TestType(0.5));  // the moments see g alone

  g << TestType(-0.5), TestType(0.5);
  opt.step();
  // t2: m = 0.25 - 0.25 = 0: no update, only the decay: p = (0.85 * 0.95, -1.8 * 0.95)
  CHECK(opt.state("w").exp_avg(0) == TestType(0));
  CHECK(p(0) == near<TestType>(0.8075));
  CHECK(p(1) == near<TestType>(-1.71));

  g << TestType(0.25), TestType(-0.25);
  opt.step();
  // t3: m = 0 + 0.125 = 0.125, v = 0.1875 + 0.015625 = 0.203125,
  //     m^ = 0.125 / 0.875 = 0.142857, v^ = 0.203125 / 0.578125 = 0.351351, update = 0.241008
  //     p = (0.8075 * 0.95 - 0.0241008, -1.71 * 0.95 + 0.0241008)
  //       = (0.767125 - 0.0241008, -1.6245 + 0.0241008) = (0.743024217, -1.600399217)
  CHECK(p(0) == near<TestType>(0.7430242173632293));
  CHECK(p(1) == near<TestType>(-1.6003992173632289));
}

TEMPLATE_TEST_CASE("Adam + L2 and AdamW take different steps on the same problem",
                   "[regularizers][wd]", float, double) {
  // The same data as above with L2(0.5) in place of WeightDecay(0.5): the L2 test gives
  // p = (0.9, -1.9) after step 1, AdamW gives (0.85, -1.8); Adam rescales the coupled term.
  const auto options = descent::AdamOptions(0.1).betas(0.5, 0.75).eps(0);
  descent::Adam<TestType, descent::Constant, descent::L2> coupled(options, descent::Constant(),
                                                                  descent::L2(0.5));
  descent::AdamW<TestType> decoupled(options, descent::Constant(), descent::WeightDecay(0.5));
  auto p_coupled = column<TestType>({1, -2});
  auto p_decoupled = p_coupled;
  Column<TestType> g(2);
  Column<TestType> g_copy(2);
  coupled.add("w", p_coupled, g);
  decoupled.add("w", p_decoupled, g_copy);
  const double expected[3][2][2] = {
      // [step][coupled, decoupled][element]
      {{0.9, -1.9}, {0.85, -1.8}},
      {{0.852512155955251, -1.8285419438077246}, {0.8075, -1.71}},
      {{0.7846095585571325, -1.7438478259867505}, {0.7430242173632293, -1.6003992173632289}}};
  const double grads[3] = {1, -0.5, 0.25};
  for (int t = 0; t < 3; ++t) {
    g << TestType(grads[t]), TestType(-grads[t]);
    g_copy = g;
    coupled.step();
    decoupled.step();
    for (int i = 0; i < 2; ++i) {
      CHECK(p_coupled(i) == near<TestType>(expected[t][0][i]));
      CHECK(p_decoupled(i) == near<TestType>(expected[t][1][i]));
      CHECK(std::abs(double(p_coupled(i)) - double(p_decoupled(i))) > 0.04);
    }
  }
}

TEMPLATE_TEST_CASE("SgdW equals Sgd + L2 of the same strength, up to rounding",
                   "[regularizers][wd]", float, double) {
  // p * (1 - lr * wd) - lr * g == p - lr * (g + wd * p): the same step for plain SGD.
  descent::SgdW<TestType> decoupled(descent::SgdOptions(0.1), descent::Constant(),
                                    descent::WeightDecay(0.3));
  descent::Sgd<TestType, descent::Constant, descent::L2> coupled(
      descent::SgdOptions(0.1), descent::Constant(), descent::L2(0.3));
  Column<TestType> p_decoupled = Column<TestType>::LinSpaced(7, TestType(-3), TestType(3));
  Column<TestType> p_coupled = p_decoupled;
  Column<TestType> g_decoupled(7);
  Column<TestType> g_coupled(7);
  decoupled.add("w", p_decoupled, g_decoupled);
  coupled.add("w", p_coupled, g_coupled);
  for (int t = 0; t < 20; ++t) {
    g_decoupled = (p_decoupled - TestType(0.5)).sin();  // any gradient of p
    g_coupled = (p_coupled - TestType(0.5)).sin();
    decoupled.step();
    coupled.step();
  }
  for (Eigen::Index i = 0; i < 7; ++i)
    CHECK(p_decoupled(i) == near<TestType>(double(p_coupled(i))));
  CHECK(decoupled.penalty() == near<TestType>(coupled.penalty()));
}

TEMPLATE_TEST_CASE("Decoupled decay and L2 differ for Momentum: only L2 enters the buffer",
                   "[regularizers][wd]", float, double) {
  // lr = 0.5, momentum 0.5, strength 0.25, p = 2, g = 0 every step
  const auto options = descent::MomentumOptions(0.5).momentum(0.5);
  descent::Optimizer<TestType, descent::rules::Momentum, descent::Constant, descent::WeightDecay>
      decoupled(options, descent::Constant(), descent::WeightDecay(0.25));
  descent::Momentum<TestType, descent::Constant, descent::L2> coupled(options, descent::Constant(),
                                                                      descent::L2(0.25));
  auto p_decoupled = column<TestType>({2});
  auto p_coupled = column<TestType>({2});
  auto g_decoupled = column<TestType>({0});
  auto g_coupled = column<TestType>({0});
  decoupled.add("w", p_decoupled, g_decoupled);
  coupled.add("w", p_coupled, g_coupled);

  decoupled.step();
  coupled.step();
  // step 1 agrees: L2: b = 0.25 * 2 = 0.5, p = 2 - 0.25 = 1.75; decay: p = 2 * 0.875 = 1.75
  CHECK(p_coupled(0) == TestType(1.75));
  CHECK(p_decoupled(0) == TestType(1.75));

  decoupled.step();
  coupled.step();
  // L2: g_eff = 0.25 * 1.75 = 0.4375, b = 0.5 * 0.5 + 0.4375 = 0.6875, p = 1.75 - 0.34375
  // decay: b stays 0, p = 1.75 * 0.875
  CHECK(p_coupled(0) == TestType(1.40625));
  CHECK(p_decoupled(0) == TestType(1.53125));
}

TEMPLATE_TEST_CASE("WeightDecay's penalty is (decay / 2) * sum p^2 by convention",
                   "[regularizers][wd]", float, double) {
  // 0.25 * (4 + 1 + 0.25) = 1.3125
  CHECK(descent::WeightDecay(0.5).penalty(column<TestType>({2, -1, 0.5})) == 1.3125);
}

TEST_CASE("AdamW can be built from its options alone, with PyTorch's default decay 1e-2",
          "[regularizers][weight_decay]") {
  Eigen::VectorXf p = Eigen::VectorXf::Ones(2), g = Eigen::VectorXf::Zero(2);
  descent::AdamW<float> opt(descent::AdamOptions(0.1));
  opt.add("p", p, g);
  CHECK(std::get<0>(opt.policies()).decay() == 1e-2);
  opt.step();
  // zero gradient: only the decay acts, p = 1 * (1 - 0.1 * 0.01) = 0.999
  CHECK(p[0] == Approx(0.999f));
  descent::AdamW<double> defaults;
  CHECK(defaults.base_lr() == 1e-3);
}
