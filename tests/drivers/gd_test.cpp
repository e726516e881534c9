// GD: reaches known minima with every rule, stops for each documented reason, validates settings.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/problems/problems.hpp>

#include "drivers/scripted.hpp"

using drivers_test::Scripted;

namespace {
template <class Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
}

TEMPLATE_TEST_CASE("GD with Momentum and with Adam reaches Rosenbrock's minimum at ones",
                   "[drivers][gd]", float, double) {
  // Tolerances: double stops at |grad| <= 1e-6, which puts x within 1e-5 of ones; float's
  // rounding of the valley floor allows |grad| ~ 1e-3, so x within 1e-2 and f within 1e-4.
  const bool is_double = std::is_same<TestType, double>::value;
  const double gtol = is_double ? 1e-6 : 1e-3, xtol = is_double ? 1e-5 : 1e-2;
  const double ftol = is_double ? 1e-8 : 1e-4;
  const descent::problems::Rosenbrock rosenbrock(2);
  descent::GD gd(descent::GDOptions().max_iterations(20000).gradient_tolerance(gtol));
  SECTION("Momentum(lr 2e-3, momentum 0.9)") {
    Vector<TestType> x = rosenbrock.start<TestType>();
    const descent::Result r = gd.minimize(
        rosenbrock, x, descent::Momentum<TestType>(descent::MomentumOptions(2e-3).momentum(0.9)));
    CHECK(r.reason == descent::StopReason::gradient_tolerance);
    CHECK(r.converged);
    CHECK((x.template cast<double>() - rosenbrock.minimizer<double>()).norm() < xtol);
    CHECK(r.loss < ftol);
  }
  SECTION("Adam(lr 0.05)") {
    Vector<TestType> x = rosenbrock.start<TestType>();
    const descent::Result r =
        gd.minimize(rosenbrock, x, descent::Adam<TestType>(descent::AdamOptions(0.05)));
    CHECK(r.reason == descent::StopReason::gradient_tolerance);
    CHECK((x.template cast<double>() - rosenbrock.minimizer<double>()).norm() < xtol);
  }
}

TEMPLATE_TEST_CASE("GD with every rule reaches the center of a quadratic of condition 100",
                   "[drivers][gd]", float, double) {
  // 3000 iterations; |x - c| within 1e-8 (double) and 1e-5 (float), RMSprop within 1e-2: its
  // normalized step does not shrink with the gradient, so it hovers at a distance ~ lr.
  const bool is_double = std::is_same<TestType, double>::value;
  const double tol = is_double ? 1e-8 : 1e-5;
  const descent::problems::Quadratic quadratic(10, 100.0, 1);
  descent::GD gd(descent::GDOptions().max_iterations(3000).gradient_tolerance(0.0));
  auto error = [&](const auto& opt) {
    Vector<TestType> x = quadratic.start<TestType>();
    gd.minimize(quadratic, x, opt);
    return (x.template cast<double>() - quadratic.minimizer<double>()).norm();
  };
  using namespace descent;
  CHECK(error(Sgd<TestType>(SgdOptions(0.01))) < tol);
  CHECK(error(Momentum<TestType>(MomentumOptions(0.01).momentum(0.9))) < tol);
  CHECK(error(Nesterov<TestType>(MomentumOptions(0.01).momentum(0.9))) < tol);
  CHECK(error(Adam<TestType>(AdamOptions(0.01))) < tol);
  CHECK(error(Adagrad<TestType>(AdagradOptions(0.5))) < tol);
  CHECK(error(RMSprop<TestType>(RMSpropOptions(0.001))) < 1e-2);
}

TEST_CASE("GD over registered blocks reaches the least-squares solution", "[drivers][gd]") {
  const descent::problems::LeastSquares ls(200, 4, 3);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(4), dw(4);
  descent::Momentum<double> opt(descent::MomentumOptions(0.1).momentum(0.9));
  opt.add("w", w, dw);
  descent::GD gd(descent::GDOptions().max_iterations(5000).gradient_tolerance(1e-10));
  const descent::Result r = gd.minimize([&] { return ls(w, dw); }, opt);
  CHECK(r.reason == descent::StopReason::gradient_tolerance);
  CHECK((w - ls.minimizer()).norm() < 1e-9);
  CHECK(r.loss == Approx(ls.minimum()).epsilon(1e-12));
}

TEST_CASE("GD stops at max_iterations after that many steps and one more evaluation",
          "[drivers][gd]") {
  Scripted<double> f{{5, 4, 3, 2, 1, 0.5, 0.25}};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::GD gd(descent::GDOptions().max_iterations(5).gradient_tolerance(0));
  const descent::Result r = gd.minimize(f, x, descent::Sgd<double>(descent::SgdOptions(1.0)));
  CHECK(r.reason == descent::StopReason::max_iterations);
  CHECK_FALSE(r.converged);
  CHECK(r.iterations == 5);
  CHECK(r.epochs == 5);
  CHECK(r.evaluations == 6);
  CHECK(r.loss == 0.5);  // the loss at the final parameters: the 6th call
  CHECK(x[0] == -5.0);   // five steps of -lr * slope = -1
  CHECK(r.epoch_losses.empty());
  CHECK(std::string(r.message()) == "reached the maximum number of iterations");
}

TEST_CASE("GD stops when the gradient norm reaches gradient_tolerance", "[drivers][gd]") {
  // f = |x - c|^2 / 2 with lr 1: x1 = x0 - (x0 - c) = c exactly, where the gradient is 0.
  const Eigen::Vector3d c(1.0, -2.0, 0.5);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(3);
  auto f = [&](const Eigen::VectorXd& v, Eigen::VectorXd& g) {
    g = v - c;
    return 0.5 * g.squaredNorm();
  };
  descent::GD gd(descent::GDOptions().gradient_tolerance(1e-12));
  const descent::Result r = gd.minimize(f, x, descent::Sgd<double>(descent::SgdOptions(1.0)));
  CHECK(r.reason == descent::StopReason::gradient_tolerance);
  CHECK(r.converged);
  CHECK(r.iterations == 1);
  CHECK(r.gradient_norm == 0.0);
  CHECK(x == Eigen::VectorXd(c));
}

TEST_CASE("GD stops when the relative loss change reaches loss_tolerance", "[drivers][gd]") {
  // Losses 8, 4, 3.99, ...: changes 4 / 8 = 0.5, then 0.01 / 4 = 0.0025 <= 0.01.
  Scripted<double> f{{8, 4, 3.99, 1}};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::GD gd(descent::GDOptions().gradient_tolerance(0).loss_tolerance(0.01));
  const descent::Result r = gd.minimize(f, x, descent::Sgd<double>(descent::SgdOptions(1.0)));
  CHECK(r.reason == descent::StopReason::loss_tolerance);
  CHECK(r.converged);
  CHECK(r.iterations == 2);
  CHECK(r.loss == 3.99);
}

TEST_CASE("GD stops on a NaN or Inf loss and restores the last parameters with a finite loss",
          "[drivers][gd]") {
  descent::GD gd(descent::GDOptions().gradient_tolerance(0));
  const descent::Sgd<double> sgd(descent::SgdOptions(1.0));
  SECTION("NaN after three steps: x back to -2, the loss of the second step") {
    Scripted<double> f{{5, 4, 3, drivers_test::nan}};
    Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
    const descent::Result r = gd.minimize(f, x, sgd);
    CHECK(r.reason == descent::StopReason::non_finite);
    CHECK_FALSE(r.converged);
    CHECK(r.iterations == 3);
    CHECK(x[0] == -2.0);
    CHECK(r.loss == 3.0);
  }
  SECTION("Inf, with restoring turned off: x stays where the loss was Inf") {
    Scripted<double> f{{5, 4, std::numeric_limits<double>::infinity()}};
    Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
    descent::GD no_restore(descent::GDOptions().gradient_tolerance(0).restore_on_non_finite(false));
    const descent::Result r = no_restore.minimize(f, x, sgd);
    CHECK(r.reason == descent::StopReason::non_finite);
    CHECK(x[0] == -2.0);
    CHECK(r.loss == std::numeric_limits<double>::infinity());
  }
  SECTION("a non-finite gradient with a finite loss stops before stepping") {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
    auto f = [](const Eigen::VectorXd&, Eigen::VectorXd& g) {
      g[0] = drivers_test::nan;
      return 1.0;
    };
    const descent::Result r = gd.minimize(f, x, sgd);
    CHECK(r.reason == descent::StopReason::non_finite);
    CHECK(r.iterations == 0);
    CHECK(x[0] == 0.0);
  }
}

TEST_CASE("GD stops when a callback asks, as a bool, a Continue or early stopping",
          "[drivers][gd]") {
  Scripted<double> f{{1}};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::GD gd(descent::GDOptions().gradient_tolerance(0));
  const descent::Sgd<double> sgd(descent::SgdOptions(1.0));
  struct StopAtThree {
    bool on_step(const descent::Progress& p) { return p.step < 3; }
  };
  descent::Result r = gd.minimize(f, x, sgd, StopAtThree());
  CHECK(r.reason == descent::StopReason::callback);
  CHECK_FALSE(r.converged);
  CHECK(r.iterations == 3);
  // A constant loss never improves: best after epoch 0, then 2 epochs without improvement.
  x.setZero();
  r = gd.minimize(f, x, sgd, descent::EarlyStopping(2));
  CHECK(r.reason == descent::StopReason::early_stopping);
  CHECK(r.converged);
  CHECK(r.iterations == 3);
}

TEST_CASE("GD rejects invalid settings with messages naming the setting and value",
          "[drivers][gd]") {
  using descent::GD;
  using descent::GDOptions;
  CHECK_THROWS_WITH(GD(GDOptions().max_iterations(0)), "GD: max_iterations must be >= 1, got 0");
  CHECK_THROWS_WITH(GD(GDOptions().max_iterations(-5)), "GD: max_iterations must be >= 1, got -5");
  CHECK_THROWS_WITH(GD(GDOptions().gradient_tolerance(-1e-3)),
                    "GD: gradient_tolerance must be finite and >= 0, got -0.001");
  CHECK_THROWS_WITH(GD(GDOptions().loss_tolerance(-1)),
                    "GD: loss_tolerance must be finite and >= 0, got -1");
  CHECK_THROWS_WITH(GD(GDOptions().loss_tolerance(std::nan(""))),
                    "GD: loss_tolerance must be finite and >= 0, got nan");
  CHECK_THROWS_WITH(GD(GDOptions().report_every(-1)), "GD: report_every must be >= 0, got -1");
  descent::Sgd<double> empty(descent::SgdOptions(0.1));
  CHECK_THROWS_WITH(GD().minimize([] { return 0.0; }, empty),
                    "GD: the optimizer has no blocks; register the parameters first");
  Eigen::VectorXd y(2), dy(2), x(2);
  descent::Sgd<double> used(descent::SgdOptions(0.1));
  used.add("y", y, dy);
  CHECK_THROWS_WITH(GD().minimize(descent::problems::Rosenbrock(2), x, used),
                    "GD: the optimizer given with a vector x must have no blocks, it has 1");
}
