// Several blocks in one optimizer: every step advances each block's own update count once (the
// bias-correction counter is per step, not per block update), a block's result does not depend on
// the other blocks, a late block starts at count 1, and lr multipliers and set_lr act exactly.

#include <cmath>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

namespace {

/// The gradient of step k for the element i of block `block`: varies with all three.
template <class S>
S gradient_value(int block, Eigen::Index i, int k) {
  return S(std::cos(0.7 * double(i) + 1.3 * double(k)) * double(block + 1));
}

template <class Object>
void fill_gradient(Object& gradient, int block, int k) {
  using S = typename Object::Scalar;
  for (Eigen::Index i = 0; i < gradient.size(); ++i) {
    gradient.data()[i] = gradient_value<S>(block, i, k);
  }
}

/// Three blocks of different kinds, with distinct starting values.
template <class S>
struct ThreeBlocks {
  Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> w, dw;
  Eigen::Matrix<S, Eigen::Dynamic, 1> b, db;
  Eigen::Matrix<S, 3, 1> f, df;
  ThreeBlocks() : w(2, 3), dw(2, 3), b(5), db(5) {
    dw.setZero();
    db.setZero();
    df.setZero();
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = S(0.1 * double(i) - 0.2);
    for (Eigen::Index i = 0; i < b.size(); ++i) b(i) = S(1.0 - 0.3 * double(i));
    f << S(2), S(-1), S(0.5);
  }
  void fill_gradients(int k) {
    fill_gradient(dw, 0, k);
    fill_gradient(db, 1, k);
    fill_gradient(df, 2, k);
  }
};

/// Runs `k` steps on one block alone, with block index `index`'s gradients.
template <class MakeOptimizer, class Object>
Object alone(MakeOptimizer make, Object value, int index, int k) {
  auto opt = make();
  Object gradient = value;
  opt.add("alone", value, gradient);
  for (int step = 1; step <= k; ++step) {
    fill_gradient(gradient, index, step);
    opt.step();
  }
  return value;
}

/// After each of k steps of one optimizer over three blocks: counts; then each block equals the
/// same block optimized alone, bit for bit.
template <class S, class MakeOptimizer>
void check_blocks_are_independent(MakeOptimizer make, int k) {
  ThreeBlocks<S> blocks;
  const ThreeBlocks<S> start = blocks;
  auto opt = make();
  opt.add("w", blocks.w, blocks.dw);
  opt.add("b", blocks.b, blocks.db);
  opt.add("f", blocks.f, blocks.df);
  for (int step = 1; step <= k; ++step) {
    blocks.fill_gradients(step);
    opt.step();
    CHECK(opt.step_count() == step);
    CHECK(opt.state("w").steps == step);
    CHECK(opt.state("b").steps == step);
    CHECK(opt.state("f").steps == step);
  }
  CHECK(blocks.w == alone(make, start.w, 0, k));
  CHECK(blocks.b == alone(make, start.b, 1, k));
  CHECK(blocks.f == alone(make, start.f, 2, k));
}

}  // namespace

TEMPLATE_TEST_CASE("Each step advances every block's count once, and blocks do not interact",
                   "[rules][multi_block]", float, double) {
  using S = TestType;
  SECTION("Adam: each block equals the same block optimized alone, bit for bit") {
    check_blocks_are_independent<S>(
        [] { return descent::Adam<S>(descent::AdamOptions(0.05).betas(0.8, 0.9)); }, 6);
  }
  SECTION("AMSGrad") {
    check_blocks_are_independent<S>(
        [] { return descent::Adam<S>(descent::AdamOptions(0.05).betas(0.8, 0.9).amsgrad(true)); },
        6);
  }
  SECTION("Adagrad with lr_decay (which reads the count)") {
    check_blocks_are_independent<S>(
        [] { return descent::Adagrad<S>(descent::AdagradOptions(0.1).lr_decay(0.5)); }, 6);
  }
  SECTION("Momentum with dampening (whose first step is special)") {
    check_blocks_are_independent<S>(
        [] {
          return descent::Momentum<S>(descent::MomentumOptions(0.1).momentum(0.9).dampening(0.5));
        },
        6);
  }
  SECTION("Nesterov, centered RMSprop with momentum, Sgd") {
    check_blocks_are_independent<S>(
        [] { return descent::Nesterov<S>(descent::MomentumOptions(0.1).momentum(0.9)); }, 4);
    check_blocks_are_independent<S>(
        [] {
          return descent::RMSprop<S>(descent::RMSpropOptions(0.01).centered(true).momentum(0.5));
        },
        4);
    check_blocks_are_independent<S>([] { return descent::Sgd<S>(descent::SgdOptions(0.1)); }, 4);
  }
}

TEMPLATE_TEST_CASE("A block registered after some steps starts its own count at 1",
                   "[rules][multi_block]", float, double) {
  using S = TestType;
  const auto make = [] { return descent::Adam<S>(descent::AdamOptions(0.1)); };
  ThreeBlocks<S> blocks;
  const ThreeBlocks<S> start = blocks;
  auto opt = make();
  opt.add("w", blocks.w, blocks.dw);
  for (int step = 1; step <= 3; ++step) {
    fill_gradient(blocks.dw, 0, step);
    opt.step();
  }
  opt.add("b", blocks.b, blocks.db);
  CHECK(opt.state("b").steps == 0);
  fill_gradient(blocks.dw, 0, 4);
  fill_gradient(blocks.db, 1, 1);  // the late block's first gradient
  opt.step();
  CHECK(opt.step_count() == 4);
  CHECK(opt.state("w").steps == 4);
  CHECK(opt.state("b").steps == 1);
  // The late block's first update is a fresh first step: bias corrections with t = 1.
  CHECK(blocks.b == alone(make, start.b, 1, 1));
  CHECK(blocks.w == alone(make, start.w, 0, 4));
  // By hand, Adam's first step is lr * m / (|g| + eps) with m = g: about lr * sign(g).
  for (Eigen::Index i = 0; i < blocks.b.size(); ++i) {
    const double g = double(gradient_value<S>(1, i, 1));
    const double expected = double(start.b(i)) - 0.1 * g / (std::abs(g) + 1e-8);
    CHECK(double(blocks.b(i)) == rule_test::approx<S>(expected));
  }
}

TEMPLATE_TEST_CASE("A block's lr_multiplier scales its step", "[rules][multi_block]", float,
                   double) {
  using S = TestType;
  using Vector = Eigen::Matrix<S, 2, 1>;
  // lr = 0.1, p = [1, 2], g = [0.5, -1] for every block; p1 = p - 0.1 * multiplier * g.
  Vector p1(S(1), S(2)), p2 = p1, p3 = p1, p4 = p1;
  Vector g1(S(0.5), S(-1)), g2 = g1, g3 = g1, g4 = g1;
  descent::Sgd<S> opt(descent::SgdOptions(0.1));
  opt.add("one", p1, g1);
  opt.add("half", p2, g2, descent::BlockOptions().lr_multiplier(0.5));
  opt.add("two and a half", p3, g3, descent::BlockOptions().lr_multiplier(2.5));
  opt.add("frozen", p4, g4, descent::BlockOptions().lr_multiplier(0));
  opt.step();
  CHECK(double(p1(0)) == rule_test::approx<S>(0.95));   // 1 - 0.1 * 0.5
  CHECK(double(p1(1)) == rule_test::approx<S>(2.1));    // 2 + 0.1 * 1
  CHECK(double(p2(0)) == rule_test::approx<S>(0.975));  // 1 - 0.05 * 0.5
  CHECK(double(p2(1)) == rule_test::approx<S>(2.05));   // 2 + 0.05 * 1
  CHECK(double(p3(0)) == rule_test::approx<S>(0.875));  // 1 - 0.25 * 0.5
  CHECK(double(p3(1)) == rule_test::approx<S>(2.25));   // 2 + 0.25 * 1
  CHECK(p4 == Vector(S(1), S(2)));                      // multiplier 0: unchanged
  CHECK(opt.lr() == 0.1);

  SECTION("set_block_options changes the next step's multiplier") {
    opt.set_block_options("frozen", descent::BlockOptions().lr_multiplier(2));
    opt.step();
    CHECK(double(p4(0)) == rule_test::approx<S>(0.9));   // 1 - 0.2 * 0.5
    CHECK(double(p4(1)) == rule_test::approx<S>(2.2));   // 2 + 0.2 * 1
    CHECK(double(p2(0)) == rule_test::approx<S>(0.95));  // 0.975 - 0.05 * 0.5
  }

  SECTION("Adam with multiplier 0.5 equals Adam at half the rate, bit for bit") {
    Eigen::Matrix<S, 3, 1> a(S(1), S(-1), S(0.5)), da, b = a, db;
    descent::Adam<S> scaled(descent::AdamOptions(0.1));
    scaled.add("a", a, da, descent::BlockOptions().lr_multiplier(0.5));
    descent::Adam<S> halved(descent::AdamOptions(0.05));
    halved.add("b", b, db);
    for (int k = 1; k <= 3; ++k) {
      fill_gradient(da, 0, k);
      fill_gradient(db, 0, k);
      scaled.step();
      halved.step();
    }
    CHECK(a == b);
  }
}

TEMPLATE_TEST_CASE("set_lr between steps changes the next step exactly", "[rules][multi_block]",
                   float, double) {
  using S = TestType;
  SECTION("Sgd") {
    Eigen::Matrix<S, 2, 1> p(S(1), S(2)), g(S(0.5), S(-1));
    descent::Sgd<S> opt(descent::SgdOptions(0.1));
    opt.add("p", p, g);
    opt.step();  // p1 = [1 - 0.05, 2 + 0.1] = [0.95, 2.1]
    opt.set_lr(0.2);
    CHECK(opt.lr() == 0.2);
    CHECK(opt.base_lr() == 0.2);
    g << S(1), S(0.25);
    opt.step();  // p2 = p1 - 0.2 * [1, 0.25] = [0.75, 2.05]
    CHECK(double(p(0)) == rule_test::approx<S>(0.75));
    CHECK(double(p(1)) == rule_test::approx<S>(2.05));
    CHECK(opt.step_count() == 2);
  }
  SECTION("Adam keeps its moments and count and uses the new rate") {
    Eigen::Matrix<S, 3, 1> p(S(1), S(-1), S(0.5)), g;
    descent::Adam<S> opt(descent::AdamOptions(0.1));
    opt.add("p", p, g);
    rule_test::AdamReference reference(0.1, 0.9, 0.999, 1e-8);
    rule_test::Values q = {1, -1, 0.5};
    for (int k = 1; k <= 3; ++k) {
      if (k == 2) {
        opt.set_lr(0.01);
        reference.lr = 0.01;
      }
      fill_gradient(g, 0, k);
      reference(q, rule_test::read(g.data(), 3));
      opt.step();
      for (Eigen::Index i = 0; i < 3; ++i) {
        INFO("step " << k << ", element " << i);
        CHECK(double(p(i)) == rule_test::approx<S>(q[std::size_t(i)]));
      }
    }
    CHECK(opt.state("p").steps == 3);
  }
}
