// Every rule, with sensible settings, minimizes the convex quadratic
//   f(x) = 0.5 * sum_i a_i (x_i - c_i)^2,  a = [1, 2, 5, 10] (condition number 10),
// from x = 0 to within a stated tolerance of c in a stated number of steps.

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

/// Runs `steps` steps of `opt` on the quadratic from x = 0; returns max_i |x_i - c_i|.
template <class Optimizer>
double distance_after(Optimizer opt, int steps) {
  using S = typename Optimizer::scalar_type;
  using Vector = Eigen::Matrix<S, 4, 1>;
  const Vector a(S(1), S(2), S(5), S(10));
  const Vector c(S(1), S(-2), S(0.5), S(3));
  Vector x = Vector::Zero(), g = Vector::Zero();
  opt.add("x", x, g);
  for (int t = 0; t < steps; ++t) {
    g = a.cwiseProduct(x - c);
    opt.step();
  }
  REQUIRE(opt.step_count() == steps);
  return double((x - c).cwiseAbs().maxCoeff());
}

/// Float reaches about 1e-4 (a few hundred ulps of the gradient's rounding); double 1e-6.
template <class S>
constexpr double tolerance() {
  return std::is_same<S, float>::value ? 1e-4 : 1e-6;
}

}  // namespace

TEMPLATE_TEST_CASE("Every rule converges on a diagonal quadratic with condition number 10",
                   "[rules][convergence]", float, double) {
  using S = TestType;
  const double tol = tolerance<S>();

  SECTION("Sgd, lr 0.1: 300 steps") {
    CHECK(distance_after(descent::Sgd<S>(descent::SgdOptions(0.1)), 300) < tol);
  }
  SECTION("Momentum, lr 0.05, mu 0.5: 300 steps") {
    CHECK(distance_after(descent::Momentum<S>(descent::MomentumOptions(0.05).momentum(0.5)), 300) <
          tol);
  }
  SECTION("Momentum with dampening, lr 0.05, mu 0.5, dampening 0.5: 400 steps") {
    CHECK(distance_after(
              descent::Momentum<S>(descent::MomentumOptions(0.05).momentum(0.5).dampening(0.5)),
              400) < tol);
  }
  SECTION("Nesterov, lr 0.02, mu 0.9: 300 steps") {
    CHECK(distance_after(descent::Nesterov<S>(descent::MomentumOptions(0.02).momentum(0.9)), 300) <
          tol);
  }
  SECTION("Adam, lr 0.1: 500 steps") {
    CHECK(distance_after(descent::Adam<S>(descent::AdamOptions(0.1)), 500) < tol);
  }
  SECTION("AMSGrad, lr 0.05: 500 steps") {
    CHECK(distance_after(descent::Adam<S>(descent::AdamOptions(0.05).amsgrad(true)), 500) < tol);
  }
  SECTION("RMSprop, lr 0.01: 1000 steps") {
    CHECK(distance_after(descent::RMSprop<S>(descent::RMSpropOptions(0.01)), 1000) < tol);
  }
  SECTION("RMSprop with momentum, lr 0.01, mu 0.5: 500 steps") {
    CHECK(distance_after(descent::RMSprop<S>(descent::RMSpropOptions(0.01).momentum(0.5)), 500) <
          tol);
  }
  SECTION("Centered RMSprop, lr 0.01: 1000 steps") {
    CHECK(distance_after(descent::RMSprop<S>(descent::RMSpropOptions(0.01).centered(true)), 1000) <
          tol);
  }
  SECTION("Centered RMSprop with momentum, lr 0.005, mu 0.5: 1000 steps") {
    CHECK(distance_after(
              descent::RMSprop<S>(descent::RMSpropOptions(0.005).centered(true).momentum(0.5)),
              1000) < tol);
  }
  SECTION("Adagrad, lr 1: 200 steps") {
    CHECK(distance_after(descent::Adagrad<S>(descent::AdagradOptions(1.0)), 200) < tol);
  }
  SECTION("Adagrad with lr_decay 0.01 and initial accumulator 0.1, lr 1: 300 steps") {
    CHECK(distance_after(
              descent::Adagrad<S>(
                  descent::AdagradOptions(1.0).lr_decay(0.01).initial_accumulator_value(0.1)),
              300) < tol);
  }
}
