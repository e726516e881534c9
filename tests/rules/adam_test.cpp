// Adam and AMSGrad as torch.optim.Adam: bias correction of both moments with the block's own
// step count t, and eps added to sqrt(v) / sqrt(1 - b2^t).

#include <cmath>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "rules/reference_rules.hpp"
#include "rules/rule_test_util.hpp"

using rule_test::Trajectory;
using rule_test::Values;

namespace {

template <class S>
auto adam(double lr, double beta1, double beta2, double eps, bool amsgrad = false) {
  return [=] {
    return descent::Adam<S>(descent::AdamOptions(lr).betas(beta1, beta2).eps(eps).amsgrad(amsgrad));
  };
}

const Values p0 = {1, -1, 0.5, 2};

}  // namespace

TEMPLATE_TEST_CASE("Adam bias-corrects both moments, so step 1 moves by about lr * sign(g)",
                   "[rules][adam]", float, double) {
  // lr = 0.1, betas = (0.9, 0.999), eps = 1e-8.
  const Trajectory gradients = {{0.5, -2, 0.1, 0}, {0.5, 1, 0, 0.2}, {-1, 0.5, 0.3, 0.2}};
  Trajectory expected = rule_test::reference_trajectory(
      rule_test::AdamReference{0.1, 0.9, 0.999, 1e-8}, p0, gradients);
  // Step 1: m1 = 0.1 * g1 = [0.05, -0.2, 0.01, 0]; v1 = 0.001 * g1^2 = [0.00025, 0.004, 1e-5, 0]
  //   step size 0.1 / (1 - 0.9) = 1; sqrt(v1) / sqrt(1 - 0.999) = |g1|; denominator |g1| + 1e-8
  //   p1 = [1 - 0.05 / 0.50000001, -1 + 0.2 / 2.00000001, 0.5 - 0.01 / 0.10000001, 2 - 0]
  expected[0] = {0.900000002, -0.9000000005, 0.40000001, 2};
  // Step 2, element 0: m2 = 0.9 * 0.05 + 0.1 * 0.5 = 0.095; v2 = 0.999 * 0.00025 + 0.001 * 0.25
  //   = 0.00049975 = 0.25 * (1 - 0.999^2), so sqrt(v2) / sqrt(1 - 0.999^2) = 0.5
  //   p2 = p1 - (0.1 / 0.19) * 0.095 / 0.50000001 = 0.900000002 - 0.099999998
  expected[1][0] = 0.800000004;
  rule_test::check_steps<TestType>(adam<TestType>(0.1, 0.9, 0.999, 1e-8), p0, gradients, expected);

  SECTION("the moments after step 1 are the raw (uncorrected) averages") {
    Eigen::Array<TestType, 2, 2> p, g;
    p << TestType(1), TestType(0.5), TestType(-1), TestType(2);  // storage: [1, -1, 0.5, 2]
    g << TestType(0.5), TestType(0.1), TestType(-2), TestType(0);
    auto opt = adam<TestType>(0.1, 0.9, 0.999, 1e-8)();
    opt.add("p", p, g);
    opt.step();
    const auto& state = opt.state("p");
    CHECK(state.steps == 1);
    CHECK(double(state.exp_avg(0)) == rule_test::approx<TestType>(0.05));
    CHECK(double(state.exp_avg(1)) == rule_test::approx<TestType>(-0.2));
    CHECK(double(state.exp_avg(2)) == rule_test::approx<TestType>(0.01));
    CHECK(state.exp_avg(3) == TestType(0));
    CHECK(double(state.exp_avg_sq(0)) == rule_test::approx<TestType>(0.00025));
    CHECK(double(state.exp_avg_sq(1)) == rule_test::approx<TestType>(0.004));
    CHECK(double(state.exp_avg_sq(2)) == rule_test::approx<TestType>(1e-5));
    CHECK(state.exp_avg_sq(3) == TestType(0));
    CHECK(state.max_exp_avg_sq.size() == 0);
  }
}

TEMPLATE_TEST_CASE("Adam adds eps to sqrt(v) / sqrt(1 - b2^t), after the bias correction",
                   "[rules][adam]", float, double) {
  // lr = 0.1, betas = (0.9, 0.999), eps = 0.5: large enough that its placement shows.
  const Trajectory gradients = {{2, -1, 0.5, 0}, {1, 1, -2, 3}, {-1, 0.5, 0.3, 0.2}};
  Trajectory expected = rule_test::reference_trajectory(
      rule_test::AdamReference{0.1, 0.9, 0.999, 0.5}, p0, gradients);
  // Step 1: step size 1, m1 = 0.1 * g1, sqrt(v1) / sqrt(0.001) = |g1|, denominator |g1| + 0.5
  //   p1 = [1 - 0.2 / 2.5, -1 + 0.1 / 1.5, 0.5 - 0.05 / 1.0, 2 - 0] = [0.92, -14/15, 0.45, 2]
  expected[0] = {0.92, -14.0 / 15.0, 0.45, 2};
  // Step 2, element 1: m2 = 0.9 * -0.1 + 0.1 * 1 = 0.01; v2 = 0.999 * 0.001 + 0.001 = 0.001999
  //   = 1 - 0.999^2, so sqrt(v2) / sqrt(1 - 0.999^2) = 1 and the denominator is 1.5
  //   p2 = -14/15 - (0.1 / 0.19) * 0.01 / 1.5
  expected[1][1] = -14.0 / 15.0 - 0.1 * 0.01 / (0.19 * 1.5);
  rule_test::check_steps<TestType>(adam<TestType>(0.1, 0.9, 0.999, 0.5), p0, gradients, expected);

  // The other placements give visibly different first steps for element 0 (g = 2, m = 0.2,
  // v = 0.004): eps before the bias correction, 0.2 / ((sqrt(0.004) + 0.5) / sqrt(0.001))
  // = 0.0112, and eps under the root, 0.2 / sqrt(4 + 0.5) = 0.0943; PyTorch's is 0.2 / 2.5 = 0.08.
  const double eps_before_correction = 1.0 - 0.2 / ((std::sqrt(0.004) + 0.5) / std::sqrt(0.001));
  const double eps_under_root = 1.0 - 0.2 / std::sqrt(4.0 + 0.5);
  const Trajectory actual = rule_test::run_on<rule_test::DynamicVector>(
      adam<TestType>(0.1, 0.9, 0.999, 0.5), p0, {gradients[0]});
  CHECK(actual[0][0] == rule_test::approx<TestType>(0.92));
  CHECK(std::abs(actual[0][0] - eps_before_correction) > 0.05);
  CHECK(std::abs(actual[0][0] - eps_under_root) > 0.01);
}

TEMPLATE_TEST_CASE("AMSGrad normalizes by the running maximum of v", "[rules][adam][amsgrad]",
                   float, double) {
  // lr = 0.1, betas = (0.9, 0.5), eps = 1e-8: with beta2 = 0.5, v falls fast when g shrinks.
  const Values q0 = {1, -1, 0.5};
  const Trajectory gradients = {{2, -1, 0.5}, {0.5, -1, 2}, {0.5, 0, 1}};
  Trajectory expected = rule_test::reference_trajectory(
      rule_test::AdamReference{0.1, 0.9, 0.5, 1e-8, /*amsgrad=*/true}, q0, gradients);
  // Step 1 is Adam's: v_max = v1; p1 = q0 - 0.1 * g1 / (|g1| + 1e-8)
  //   = [1 - 0.2 / 2.00000001, -1 + 0.1 / 1.00000001, 0.5 - 0.05 / 0.50000001]
  expected[0] = {0.9000000005, -0.900000001, 0.400000002};
  // Step 2, element 0: v1 = 0.5 * 4 = 2, v2 = 0.5 * 2 + 0.5 * 0.25 = 1.125, v_max = 2;
  //   m2 = 0.9 * 0.2 + 0.1 * 0.5 = 0.23;  p2 = p1 - (0.1 / 0.19) * 0.23 / (sqrt(2 / 0.75) + 1e-8)
  const double amsgrad_p2 = 0.9000000005 - (0.1 / 0.19) * 0.23 / (std::sqrt(2 / 0.75) + 1e-8);
  // Plain Adam would use v2 = 1.125 instead and step further.
  const double adam_p2 = 0.9000000005 - (0.1 / 0.19) * 0.23 / (std::sqrt(1.125 / 0.75) + 1e-8);
  CHECK(expected[1][0] == Approx(amsgrad_p2).epsilon(1e-12));
  CHECK(std::abs(amsgrad_p2 - adam_p2) > 0.01);
  rule_test::check_steps<TestType>(adam<TestType>(0.1, 0.9, 0.5, 1e-8, true), q0, gradients,
                                   expected);

  SECTION("max_exp_avg_sq holds the maximum, exp_avg_sq the current average") {
    Eigen::Matrix<TestType, 3, 1> p(TestType(1), TestType(-1), TestType(0.5)), g;
    auto opt = adam<TestType>(0.1, 0.9, 0.5, 1e-8, true)();
    opt.add("p", p, g);
    g << TestType(2), TestType(-1), TestType(0.5);
    opt.step();
    g << TestType(0.5), TestType(-1), TestType(2);
    opt.step();
    const auto& state = opt.state("p");
    // v2 = [1.125, 0.5 * 0.5 + 0.5 * 1, 0.5 * 0.125 + 0.5 * 4] = [1.125, 0.75, 2.0625]
    CHECK(double(state.exp_avg_sq(0)) == rule_test::approx<TestType>(1.125));
    CHECK(double(state.exp_avg_sq(1)) == rule_test::approx<TestType>(0.75));
    CHECK(double(state.exp_avg_sq(2)) == rule_test::approx<TestType>(2.0625));
    // v_max = max(v1, v2) = [max(2, 1.125), max(0.5, 0.75), max(0.125, 2.0625)]
    CHECK(double(state.max_exp_avg_sq(0)) == rule_test::approx<TestType>(2));
    CHECK(double(state.max_exp_avg_sq(1)) == rule_test::approx<TestType>(0.75));
    CHECK(double(state.max_exp_avg_sq(2)) == rule_test::approx<TestType>(2.0625));
  }
}

TEMPLATE_TEST_CASE("Adam and AMSGrad match the scalar reference across chunk boundaries",
                   "[rules][adam][amsgrad]", float, double) {
  rule_test::check_long_block(adam<TestType>(0.01, 0.9, 0.999, 1e-8),
                              rule_test::AdamReference{0.01, 0.9, 0.999, 1e-8});
  rule_test::check_long_block(adam<TestType>(0.01, 0.8, 0.6, 1e-3, true),
                              rule_test::AdamReference{0.01, 0.8, 0.6, 1e-3, /*amsgrad=*/true});
}

TEST_CASE("Adam's bias corrections equal 1 - beta^t exactly, also where pow is skipped",
          "[rules][adam]") {
  // Once 1 - beta^t rounds to 1 the kernel stops calling pow (rules/adam.hpp). At beta 0.5 that
  // happens at t = 54 (2^-54 ties to 1); the values must stay those of the formula at every t,
  // forwards, backwards (a block added later, a restored checkpoint) and with another rule's
  // betas in between (the cache is per thread, shared by every Adam).
  const double lr = 1e-3;
  descent::rules::Adam saturating(descent::AdamOptions(lr).betas(0.5, 0.5));
  descent::rules::Adam usual(descent::AdamOptions(lr).betas(0.9, 0.999));
  descent::RuleState<descent::rules::Adam, double> state(saturating, 3);
  const auto check = [&](const descent::rules::Adam& rule, double beta1, double beta2,
                         std::int64_t t) {
    INFO("beta1 " << beta1 << ", beta2 " << beta2 << ", t " << t);
    state.steps = t;
    const auto k = rule.kernel<double>(state, lr, 1.0);
    CHECK(k.step_size == lr / (1.0 - std::pow(beta1, double(t))));
    CHECK(k.inv_bias_correction2_sqrt == 1.0 / std::sqrt(1.0 - std::pow(beta2, double(t))));
  };
  for (std::int64_t t = 1; t <= 1200; ++t) check(saturating, 0.5, 0.5, t);
  CHECK(saturating.kernel<double>(state, lr, 1.0).step_size == lr);  // saturated: exactly lr
  for (const std::int64_t t : {10, 53, 54, 55, 40, 2000, 7, 8000, 20000}) {
    check(saturating, 0.5, 0.5, t);
    check(usual, 0.9, 0.999, t);
  }
  for (std::int64_t t = 6000; t <= 8000; ++t) check(usual, 0.9, 0.999, t);  // 0.9^t underflows
}
