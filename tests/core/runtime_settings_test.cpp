// The optimizer's run-time API: zero_grad, learning-rate accessors, the step counter and lookup
// of blocks and state by name or index.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <descent/descent.hpp>
#include <stdexcept>
#include <vector>

#include "core/twin.hpp"

using descent_test::MatrixX;
using descent_test::same_values;
using descent_test::TwoBlocks;
using descent_test::VectorX;

namespace {

// Halves the rate after every step, so lr() and base_lr() differ once a step is done.
struct Halving {
  double lr(double base_lr, std::int64_t t) const { return base_lr * std::pow(0.5, double(t)); }
};

}  // namespace

TEMPLATE_TEST_CASE("zero_grad() zeroes every registered gradient and nothing else",
                   "[core][runtime]", float, double) {
  using T = TestType;
  descent::Adam<T> opt(descent::AdamOptions(0.1));
  TwoBlocks<T> blocks;
  blocks.add_to(opt);
  // A gradient that is the middle of a larger buffer: its neighbours are not the optimizer's.
  std::vector<T> buffer = {T(7), T(1), T(2), T(3), T(9)};
  VectorX<T> p = VectorX<T>::Constant(3, T(4));
  opt.add("p", p, Eigen::Map<VectorX<T>>(buffer.data() + 1, 3));
  opt.step();
  const TwoBlocks<T> before = blocks;
  const VectorX<T> p_before = p;
  const std::vector<Eigen::ArrayXd> state_before = descent_test::state_arrays(opt.state("w"));

  opt.zero_grad();

  CHECK(same_values(blocks.dw, MatrixX<T>::Zero(3, 2)));
  CHECK(same_values(blocks.db, VectorX<T>::Zero(4)));
  CHECK(buffer == std::vector<T>{T(7), T(0), T(0), T(0), T(9)});
  CHECK(same_values(blocks.w, before.w));
  CHECK(same_values(blocks.b, before.b));
  CHECK(same_values(p, p_before));
  const std::vector<Eigen::ArrayXd> state_after = descent_test::state_arrays(opt.state("w"));
  REQUIRE(state_after.size() == state_before.size());
  for (std::size_t i = 0; i < state_after.size(); ++i) {
    CHECK(same_values(state_after[i], state_before[i]));
  }
  CHECK(opt.step_count() == 1);
}

TEMPLATE_TEST_CASE("zero_grad() on an optimizer without blocks does nothing", "[core][runtime]",
                   float, double) {
  descent::Sgd<TestType> opt;
  CHECK_NOTHROW(opt.zero_grad());
  CHECK(opt.num_blocks() == 0);
}

TEMPLATE_TEST_CASE("lr() is the scheduled rate of the next step, base_lr() the configured one",
                   "[core][runtime]", float, double) {
  using T = TestType;
  descent::Sgd<T, Halving> opt(descent::SgdOptions(0.5));
  VectorX<T> p = VectorX<T>::Constant(1, T(1)), g = VectorX<T>::Constant(1, T(1));
  opt.add("p", p, g);
  CHECK(opt.base_lr() == 0.5);
  CHECK(opt.lr() == 0.5);  // t = 0: 0.5 * 0.5^0
  opt.step();
  CHECK(p(0) == T(0.5));  // 1 - 0.5 * 1
  CHECK(opt.base_lr() == 0.5);
  CHECK(opt.lr() == 0.25);  // t = 1: 0.5 * 0.5^1
  opt.set_lr(2.0);
  CHECK(opt.base_lr() == 2.0);
  CHECK(opt.options().lr() == 2.0);
  CHECK(opt.lr() == 1.0);  // t = 1: 2 * 0.5^1
  opt.step();
  CHECK(p(0) == T(-0.5));  // 0.5 - 1 * 1
  CHECK(opt.lr() == 0.5);  // t = 2: 2 * 0.5^2
}

TEMPLATE_TEST_CASE("With the constant schedule lr() equals base_lr() at every step",
                   "[core][runtime]", float, double) {
  descent::Adam<TestType> opt(descent::AdamOptions(0.01));
  TwoBlocks<TestType> blocks;
  blocks.add_to(opt);
  for (int i = 0; i < 3; ++i) {
    CHECK(opt.lr() == 0.01);
    CHECK(opt.base_lr() == 0.01);
    opt.step();
  }
}

TEMPLATE_TEST_CASE("step_count() counts optimizer steps, not block updates", "[core][runtime]",
                   float, double) {
  using T = TestType;
  descent::Adam<T> opt(descent::AdamOptions(0.1));
  TwoBlocks<T> blocks;
  CHECK(opt.step_count() == 0);
  blocks.add_to(opt);
  CHECK(opt.step_count() == 0);
  opt.step();
  opt.step();
  CHECK(opt.step_count() == 2);
  CHECK(opt.state("w").steps == 2);
  CHECK(opt.state("b").steps == 2);

  // A block added later counts its own updates, for its bias correction.
  VectorX<T> late = VectorX<T>::Ones(2), d_late = VectorX<T>::Ones(2);
  opt.add("late", late, d_late);
  CHECK(opt.state("late").steps == 0);
  opt.step();
  CHECK(opt.step_count() == 3);
  CHECK(opt.state("w").steps == 3);
  CHECK(opt.state("late").steps == 1);
}

TEMPLATE_TEST_CASE("Steps without blocks still advance the counter", "[core][runtime]", float,
                   double) {
  descent::Sgd<TestType, Halving> opt(descent::SgdOptions(1.0));
  opt.step();
  opt.step();
  CHECK(opt.step_count() == 2);
  CHECK(opt.lr() == 0.25);  // 1 * 0.5^2
}

TEMPLATE_TEST_CASE("block() by name and by index describes the registered object",
                   "[core][runtime]", float, double) {
  using T = TestType;
  descent::Adam<T> opt(descent::AdamOptions(0.1));
  TwoBlocks<T> blocks;
  blocks.add_to(opt);
  REQUIRE(opt.num_blocks() == 2);

  const descent::Block<T>& w = opt.block("w");
  CHECK(w.name() == "w");
  CHECK(w.rows() == 3);
  CHECK(w.cols() == 2);
  CHECK(w.size() == 6);
  CHECK(w.value().data() == blocks.w.data());
  CHECK(w.gradient().data() == blocks.dw.data());

  const descent::Block<T>& b = opt.block("b");
  CHECK(b.rows() == 4);
  CHECK(b.cols() == 1);
  CHECK(b.size() == 4);

  CHECK(opt.block(0).name() == "w");  // registration order
  CHECK(opt.block(1).name() == "b");
  CHECK(&opt.block(1) == &b);
  CHECK(&opt.state(0) == &opt.state("w"));
  CHECK(opt.state("b").exp_avg.size() == 4);
}

TEMPLATE_TEST_CASE("Looking up an unknown block throws, naming the rule and the name",
                   "[core][runtime]", float, double) {
  using T = TestType;
  descent::Adam<T> opt(descent::AdamOptions(0.1));
  TwoBlocks<T> blocks;
  blocks.add_to(opt);
  CHECK_THROWS_WITH(opt.state("x"), "Adam: no block named \"x\"");
  CHECK_THROWS_AS(opt.state("x"), std::invalid_argument);
  CHECK_THROWS_WITH(opt.block("x"), "Adam: no block named \"x\"");
  CHECK_THROWS_WITH(opt.block(""), "Adam: no block named \"\"");
  CHECK_THROWS_AS(opt.block(2), std::out_of_range);
  CHECK_THROWS_AS(opt.state(2), std::out_of_range);

  descent::RMSprop<T> rms;
  CHECK_THROWS_WITH(rms.state("w"), "RMSprop: no block named \"w\"");
}
