// Regularizers composed as a pack, per-block opt-out, per-block learning rates, and penalty().
#include <cmath>
#include <cstdint>
#include <tuple>

#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

#include "regularizers/helpers.hpp"

using descent_test::Column;
using descent_test::column;
using descent_test::near;

namespace {

// lr(t) = base / 2^t: shows that decay and threshold use the scheduled rate of each step.
struct Halving {
  double lr(double base_lr, std::int64_t t) const { return base_lr / std::pow(2.0, double(t)); }
};

}  // namespace

TEMPLATE_TEST_CASE("L1 + L2 (elastic net) add both terms to the gradient", "[regularizers][pack]",
                   float, double) {
  // lr = 0.5, L1 0.25, L2 0.5, p = (2, -1, 0), g = (1, 1, 1)
  descent::Sgd<TestType, descent::Constant, descent::L1, descent::L2> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::L1(0.25), descent::L2(0.5));
  auto p = column<TestType>({2, -1, 0});
  auto g = column<TestType>({1, 1, 1});
  opt.add("w", p, g);
  // penalty: 0.25 * (2 + 1 + 0) + 0.25 * (4 + 1 + 0) = 0.75 + 1.25
  CHECK(opt.penalty() == 2.0);
  opt.step();
  // g_eff = g + 0.25 * sign(p) + 0.5 * p = (1 + 0.25 + 1, 1 - 0.25 - 0.5, 1 + 0 + 0)
  //       = (2.25, 0.25, 1); p = p - 0.5 * g_eff = (2 - 1.125, -1 - 0.125, 0 - 0.5)
  CHECK(p(0) == TestType(0.875));
  CHECK(p(1) == TestType(-1.125));
  CHECK(p(2) == TestType(-0.5));
}

TEMPLATE_TEST_CASE("The order of coupled terms in the pack does not matter", "[regularizers][pack]",
                   float, double) {
  const auto options = descent::AdamOptions(0.01);
  descent::Adam<TestType, descent::Constant, descent::L1, descent::L2> l1_first(
      options, descent::Constant(), descent::L1(0.03), descent::L2(0.2));
  descent::Adam<TestType, descent::Constant, descent::L2, descent::L1> l2_first(
      options, descent::Constant(), descent::L2(0.2), descent::L1(0.03));
  Column<TestType> p1 = Column<TestType>::LinSpaced(9, TestType(-2), TestType(2));
  Column<TestType> p2 = p1;
  Column<TestType> g1(9);
  Column<TestType> g2(9);
  l1_first.add("w", p1, g1);
  l2_first.add("w", p2, g2);
  for (int t = 0; t < 10; ++t) {
    g1 = (TestType(3) * p1).cos();
    g2 = (TestType(3) * p2).cos();
    l1_first.step();
    l2_first.step();
  }
  for (Eigen::Index i = 0; i < 9; ++i) CHECK(p1(i) == near<TestType>(double(p2(i))));
  CHECK(l1_first.penalty() == near<TestType>(l2_first.penalty()));
}

TEMPLATE_TEST_CASE("L2 + WeightDecay + ProximalL1: coupled term, decay in the update, then prox",
                   "[regularizers][pack]", float, double) {
  // lr = 0.5, L2 0.25, decay 0.5 (keep = 1 - 0.25 = 0.75), ProximalL1 0.25 (threshold 0.125)
  descent::Sgd<TestType, descent::Constant, descent::L2, descent::WeightDecay, descent::ProximalL1>
      opt(descent::SgdOptions(0.5), descent::Constant(), descent::L2(0.25),
          descent::WeightDecay(0.5), descent::ProximalL1(0.25));
  auto p = column<TestType>({2, -1, 0.25});
  auto g = column<TestType>({1, 0.5, 0.25});
  opt.add("w", p, g);
  // sum p^2 = 4 + 1 + 0.0625 = 5.0625, sum |p| = 3.25
  // penalty: 0.125 * 5.0625 + 0.25 * 5.0625 + 0.25 * 3.25 = 0.6328125 + 1.265625 + 0.8125
  CHECK(opt.penalty() == 2.7109375);
  opt.step();
  // g_eff = g + 0.25 * p = (1.5, 0.25, 0.3125)
  // p * 0.75 - 0.5 * g_eff = (1.5 - 0.75, -0.75 - 0.125, 0.1875 - 0.15625) = (0.75, -0.875,
  // 0.03125) prox 0.125: (0.625, -0.75, 0)
  CHECK(p(0) == TestType(0.625));
  CHECK(p(1) == TestType(-0.75));
  CHECK(p(2) == TestType(0));
}

TEMPLATE_TEST_CASE("Two decoupled decays multiply their factors", "[regularizers][pack]", float,
                   double) {
  // lr = 0.5: keep = (1 - 0.5 * 0.5) * (1 - 0.5 * 0.25) = 0.75 * 0.875 = 0.65625
  descent::Sgd<TestType, descent::Constant, descent::WeightDecay, descent::WeightDecay> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::WeightDecay(0.5),
      descent::WeightDecay(0.25));
  auto p = column<TestType>({2});
  auto g = column<TestType>({0});
  opt.add("w", p, g);
  opt.step();
  CHECK(p(0) == TestType(1.3125));
}

TEMPLATE_TEST_CASE("Blocks registered with regularize(false) step as without regularizers",
                   "[regularizers][pack]", float, double) {
  const auto options = descent::AdamOptions(0.05).betas(0.8, 0.9);
  descent::Adam<TestType, descent::Constant, descent::L1, descent::L2, descent::WeightDecay,
                descent::ProximalL1>
      regularized(options, descent::Constant(), descent::L1(0.1), descent::L2(0.2),
                  descent::WeightDecay(0.3), descent::ProximalL1(0.4));
  descent::Adam<TestType> plain(options);
  Column<TestType> w = Column<TestType>::LinSpaced(5, TestType(-1), TestType(1));
  Column<TestType> b = Column<TestType>::LinSpaced(5, TestType(2), TestType(-2));
  Column<TestType> w_plain = w;
  Column<TestType> b_plain = b;
  Column<TestType> dw(5), db(5), dw_plain(5), db_plain(5);
  regularized.add("w", w, dw);
  regularized.add("b", b, db, descent::BlockOptions().regularize(false));
  plain.add("w", w_plain, dw_plain);
  plain.add("b", b_plain, db_plain);
  // Only w is penalized: L1 0.1 * 3 + L2 0.1 * 2.5 + decay 0.15 * 2.5 + prox 0.4 * 3, with
  // sum |w| = 1 + 0.5 + 0 + 0.5 + 1 = 3 and sum w^2 = 1 + 0.25 + 0 + 0.25 + 1 = 2.5
  CHECK(regularized.penalty() == near<TestType>(0.3 + 0.25 + 0.375 + 1.2));
  for (int t = 0; t < 5; ++t) {
    dw = w.sin();
    db = b.sin();
    dw_plain = w_plain.sin();
    db_plain = b_plain.sin();
    regularized.step();
    plain.step();
    for (Eigen::Index i = 0; i < 5; ++i) CHECK(b(i) == b_plain(i));  // bit for bit
  }
  CHECK((w - w_plain).abs().maxCoeff() > TestType(0.01));
  CHECK(plain.penalty() == 0.0);
}

TEMPLATE_TEST_CASE("penalty() sums every regularizer over the regularized blocks",
                   "[regularizers][pack]", float, double) {
  descent::Sgd<TestType, descent::Constant, descent::L1, descent::L2, descent::WeightDecay,
               descent::ProximalL1>
      opt(descent::SgdOptions(0.1), descent::Constant(), descent::L1(0.25), descent::L2(0.5),
          descent::WeightDecay(0.125), descent::ProximalL1(1));
  auto w = column<TestType>({1, -2});
  auto v = column<TestType>({0.5, 0, -0.5, 4});
  auto b = column<TestType>({100});
  Column<TestType> dw(2), dv(4), db(1);
  opt.add("w", w, dw);
  opt.add("v", v, dv);
  opt.add("b", b, db, descent::BlockOptions().regularize(false));
  // sum |p| = 3 + 5 = 8, sum p^2 = 5 + 16.5 = 21.5 over w and v (b is skipped)
  // L1 0.25 * 8 = 2, L2 0.25 * 21.5 = 5.375, decay 0.0625 * 21.5 = 1.34375, prox 1 * 8 = 8
  CHECK(opt.penalty() == 16.71875);
  CHECK(std::get<descent::L1>(opt.policies()).penalty(w) == 0.75);
  opt.set_block_options("v", descent::BlockOptions().regularize(false));
  // w alone: 0.25 * 3 + 0.25 * 5 + 0.0625 * 5 + 1 * 3 = 0.75 + 1.25 + 0.3125 + 3
  CHECK(opt.penalty() == 5.3125);
}

TEMPLATE_TEST_CASE("A block's lr_multiplier scales its decoupled decay and proximal threshold",
                   "[regularizers][pack]", float, double) {
  // lr = 0.5, decay 0.5, ProximalL1 0.25, g = 0 (only the regularizers move p)
  descent::Sgd<TestType, descent::Constant, descent::WeightDecay, descent::ProximalL1> opt(
      descent::SgdOptions(0.5), descent::Constant(), descent::WeightDecay(0.5),
      descent::ProximalL1(0.25));
  auto a = column<TestType>({2});
  auto b = column<TestType>({2});
  auto c = column<TestType>({2});
  Column<TestType> da = Column<TestType>::Zero(1), db = da, dc = da;
  opt.add("a", a, da);
  opt.add("b", b, db, descent::BlockOptions().lr_multiplier(0.5));
  opt.add("c", c, dc, descent::BlockOptions().lr_multiplier(0));
  opt.step();
  // a: lr 0.5,  keep 1 - 0.25 = 0.75,   threshold 0.125:   2 * 0.75 - 0.125 = 1.375
  // b: lr 0.25, keep 1 - 0.125 = 0.875, threshold 0.0625:  2 * 0.875 - 0.0625 = 1.6875
  // c: lr 0: keep 1, threshold 0: unchanged
  CHECK(a(0) == TestType(1.375));
  CHECK(b(0) == TestType(1.6875));
  CHECK(c(0) == TestType(2));
}

TEMPLATE_TEST_CASE("Decay and threshold follow the schedule's rate of each step",
                   "[regularizers][pack]", float, double) {
  // base lr 0.5, halved every step; decay 0.5, ProximalL1 0.25, g = 0
  descent::Sgd<TestType, Halving, descent::WeightDecay, descent::ProximalL1> opt(
      descent::SgdOptions(0.5), Halving(), descent::WeightDecay(0.5), descent::ProximalL1(0.25));
  auto p = column<TestType>({2});
  auto g = column<TestType>({0});
  opt.add("w", p, g);
  opt.step();
  // lr 0.5: 2 * 0.75 - 0.125 = 1.375
  CHECK(p(0) == TestType(1.375));
  opt.step();
  // lr 0.25: 1.375 * 0.875 - 0.0625 = 1.203125 - 0.0625 = 1.140625
  CHECK(p(0) == TestType(1.140625));
}
