// The drivers honour the optimizer's CheckFinite policy end to end: a NaN injected at step k is
// skipped (training goes on) or raised (nothing corrupted), and without a policy the run stops
// and restores the last finite parameters.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>

#include <limits>

#include "drivers/scripted.hpp"

namespace {

const double inf = std::numeric_limits<double>::infinity();

// A separable objective over 10 examples on one registered block x (size 1): every call assigns
// gradient 1 and returns loss 1, except call number `bad` (1-based), which returns `bad_loss`
// and gradient `bad_gradient`.
struct Injected {
  Eigen::VectorXd* grad;
  int bad;
  double bad_loss, bad_gradient;
  int calls = 0;
  Eigen::Index num_examples() const { return 10; }
  double operator()(const descent::Batch&) {
    ++calls;
    (*grad)[0] = calls == bad ? bad_gradient : 1.0;
    return calls == bad ? bad_loss : 1.0;
  }
};

// Batches of 2 over 10 examples: 5 steps in one epoch, each moving x by -1 (Sgd, lr 1).
descent::SGD one_epoch() {
  return descent::SGD(descent::SGDOptions().epochs(1).batch_size(2).shuffle(false));
}

}  // namespace

TEST_CASE("SGD under CheckFinite(skip) drops the poisoned minibatch and trains on",
          "[drivers][sgd][non_finite]") {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1), g = Eigen::VectorXd::Zero(1);
  descent::Sgd<double, descent::Constant, descent::CheckFinite> opt(
      descent::SgdOptions(1.0), descent::Constant(),
      descent::CheckFinite(descent::NonFinite::skip));
  opt.add("x", x, g);
  SECTION("NaN gradient and loss at step 3: skipped by the optimizer, four steps taken") {
    Injected f{&g, 3, drivers_test::nan, drivers_test::nan};
    const descent::Result r = one_epoch().minimize(f, opt);
    CHECK(r.reason == descent::StopReason::max_epochs);
    CHECK(r.iterations == 4);
    CHECK(r.evaluations == 5);
    CHECK(r.skipped_steps == 1);
    CHECK(opt.skipped_steps() == 1);
    CHECK(opt.step_count() == 4);
    CHECK(x[0] == -4.0);
    CHECK(r.loss == 1.0);  // the epoch's mean over the four finite batches
  }
  SECTION("-Inf gradient with a finite loss at step 1: skipped, the run goes on") {
    Injected f{&g, 1, 1.0, -inf};
    const descent::Result r = one_epoch().minimize(f, opt);
    CHECK(r.iterations == 4);
    CHECK(r.skipped_steps == 1);
    CHECK(x[0] == -4.0);
  }
  SECTION("NaN loss with a finite gradient: the driver drops the batch, no optimizer skip") {
    Injected f{&g, 2, drivers_test::nan, 1.0};
    const descent::Result r = one_epoch().minimize(f, opt);
    CHECK(r.reason == descent::StopReason::max_epochs);
    CHECK(r.iterations == 4);
    CHECK(r.skipped_steps == 1);
    CHECK(opt.skipped_steps() == 0);
    CHECK(x[0] == -4.0);
  }
}

TEST_CASE("SGD under CheckFinite(raise) throws at the poisoned step with nothing corrupted",
          "[drivers][sgd][non_finite]") {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1), g = Eigen::VectorXd::Zero(1);
  descent::Momentum<double, descent::Constant, descent::CheckFinite> opt(
      descent::MomentumOptions(1.0).momentum(0.5), descent::Constant(),
      descent::CheckFinite(descent::NonFinite::raise));
  opt.add("x", x, g);
  Injected f{&g, 3, 1.0, drivers_test::nan};
  // Steps 1 and 2 with gradient 1: buffer 1 then 0.5 * 1 + 1 = 1.5; x = -1 then -2.5.
  CHECK_THROWS_MATCHES(
      one_epoch().minimize(f, opt), descent::NonFiniteGradient,
      Catch::Matchers::Message(
          "Momentum: gradient of block \"x\" is not finite at step 3 (element 0 is nan)"));
  CHECK(x[0] == -2.5);
  CHECK(opt.step_count() == 2);
  // The momentum buffer is intact: one more step with gradient 1 gives 0.5 * 1.5 + 1 = 1.75.
  g[0] = 1.0;
  opt.step();
  CHECK(x[0] == -2.5 - 1.75);
}

TEST_CASE("SGD under CheckFinite(proceed) keeps the driver's rule: stop and restore",
          "[drivers][sgd][non_finite]") {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1), g = Eigen::VectorXd::Zero(1);
  descent::Sgd<double, descent::Constant, descent::CheckFinite> opt(
      descent::SgdOptions(1.0), descent::Constant(),
      descent::CheckFinite(descent::NonFinite::proceed));
  opt.add("x", x, g);
  Injected f{&g, 3, drivers_test::nan, drivers_test::nan};
  const descent::Result r = one_epoch().minimize(f, opt);
  CHECK(r.reason == descent::StopReason::non_finite);
  CHECK(r.iterations == 2);
  CHECK(r.skipped_steps == 0);
  CHECK(x[0] == -1.0);  // restored to the parameters before the last step
}

TEST_CASE("GD under CheckFinite(skip) evaluates again after a transient NaN",
          "[drivers][gd][non_finite]") {
  using Opt = descent::Sgd<double, descent::Constant, descent::CheckFinite>;
  const Opt sgd(descent::SgdOptions(1.0), descent::Constant(),
                descent::CheckFinite(descent::NonFinite::skip));
  descent::GD gd(descent::GDOptions().gradient_tolerance(0).max_iterations(5));
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  SECTION("one NaN evaluation: skipped, the budget of 5 covers 4 steps and 1 skip") {
    int calls = 0;
    auto f = [&](const Eigen::VectorXd&, Eigen::VectorXd& grad) {
      const bool bad = ++calls == 3;  // the evaluation after the second step
      grad[0] = bad ? drivers_test::nan : 1.0;
      return bad ? drivers_test::nan : 1.0;
    };
    const descent::Result r = gd.minimize(f, x, sgd);
    CHECK(r.reason == descent::StopReason::max_iterations);
    CHECK(r.iterations == 4);
    CHECK(r.skipped_steps == 1);
    CHECK(r.evaluations == 6);
    CHECK(x[0] == -4.0);
  }
  SECTION("a NaN that persists: retries spend the budget, then stop and restore") {
    int calls = 0;
    auto f = [&](const Eigen::VectorXd&, Eigen::VectorXd& grad) {
      const bool bad = ++calls >= 3;
      grad[0] = bad ? drivers_test::nan : 1.0;
      return bad ? drivers_test::nan : 2.0;
    };
    const descent::Result r = gd.minimize(f, x, sgd);
    CHECK(r.reason == descent::StopReason::non_finite);
    CHECK(r.iterations == 2);
    CHECK(r.skipped_steps == 3);
    CHECK(x[0] == -1.0);
    CHECK(r.loss == 2.0);
  }
}

TEST_CASE("GD under CheckFinite(raise) throws on a non-finite gradient",
          "[drivers][gd][non_finite]") {
  using Opt = descent::Sgd<double, descent::Constant, descent::CheckFinite>;
  const Opt sgd(descent::SgdOptions(1.0), descent::Constant(),
                descent::CheckFinite(descent::NonFinite::raise));
  descent::GD gd(descent::GDOptions().gradient_tolerance(0).max_iterations(5));
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  int calls = 0;
  auto f = [&](const Eigen::VectorXd&, Eigen::VectorXd& grad) {
    grad[0] = ++calls == 3 ? inf : 1.0;
    return 1.0;
  };
  CHECK_THROWS_AS(gd.minimize(f, x, sgd), descent::NonFiniteGradient);
  CHECK(x[0] == -2.0);
}
