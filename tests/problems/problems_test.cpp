// The test problems: gradients match finite differences, minima are where they are said to be.
#include <catch2/catch.hpp>
#include <descent/problems/problems.hpp>

#include <cmath>
#include <stdexcept>

namespace {

// Central differences of a full-batch objective, in double.
template <class Problem>
double max_gradient_error(const Problem& problem, const Eigen::VectorXd& x) {
  Eigen::VectorXd grad, ignored;
  problem(x, grad);
  double worst = 0.0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    Eigen::VectorXd plus = x, minus = x;
    const double h = 1e-6;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (problem(plus, ignored) - problem(minus, ignored)) / (2 * h);
    worst = std::max(worst, std::abs(numeric - grad[i]) / std::max(1.0, std::abs(numeric)));
  }
  return worst;
}

}  // namespace

TEST_CASE("Rosenbrock has value 0 and zero gradient at ones and matches finite differences",
          "[problems]") {
  const descent::problems::Rosenbrock f(5);
  Eigen::VectorXd grad;
  CHECK(f(f.minimizer<double>(), grad) == 0.0);
  CHECK(grad.isZero(0.0));
  const Eigen::VectorXd start = f.start<double>();
  CHECK(start[0] == -1.2);
  CHECK(start[1] == 1.0);
  // 2-D at (-1.2, 1): 100 (1 - 1.44)^2 + (2.2)^2 = 19.36 + 4.84 = 24.2
  Eigen::VectorXd g2;
  CHECK(descent::problems::Rosenbrock(2)(descent::problems::Rosenbrock(2).start<double>(), g2) ==
        Approx(24.2).epsilon(1e-14));
  // d/dx0 = -400 (-1.2)(-0.44) - 2 (2.2) = -211.2 - 4.4 = -215.6; d/dx1 = 200 (-0.44) = -88
  CHECK(g2[0] == Approx(-215.6).epsilon(1e-14));
  CHECK(g2[1] == Approx(-88.0).epsilon(1e-14));
  CHECK(max_gradient_error(f, start) < 1e-6);
  CHECK_THROWS_WITH(descent::problems::Rosenbrock(1), "Rosenbrock: n must be >= 2, got 1");
}

TEST_CASE("Quadratic has the chosen condition number and its minimum at the center", "[problems]") {
  const descent::problems::Quadratic q(6, 100.0, 3);
  CHECK(q.curvatures()[0] == 1.0);
  CHECK(q.curvatures()[5] == Approx(100.0).epsilon(1e-14));
  Eigen::VectorXd grad;
  CHECK(q(q.minimizer<double>(), grad) == 0.0);
  CHECK(grad.isZero(0.0));
  CHECK(max_gradient_error(q, q.start<double>()) < 1e-6);
  CHECK_THROWS_WITH(descent::problems::Quadratic(3, 0.5),
                    "Quadratic: condition must be finite and >= 1, got 0.5");
}

TEST_CASE("LeastSquares' closed-form minimizer has zero full gradient; batches average",
          "[problems]") {
  const descent::problems::LeastSquares ls(200, 5, 7);
  Eigen::VectorXd grad;
  const Eigen::VectorXd w = ls.minimizer();
  CHECK(ls(w, grad) == Approx(ls.minimum()).epsilon(1e-12));
  CHECK(grad.norm() < 1e-12);
  CHECK(max_gradient_error(ls, Eigen::VectorXd::Zero(5)) < 1e-6);
  // A batch of the same example twice gives that example's loss and gradient (the mean).
  Eigen::Matrix<Eigen::Index, Eigen::Dynamic, 1> one(1), twice(2);
  one << 3;
  twice << 3, 3;
  Eigen::VectorXd g1, g2;
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(5);
  CHECK(ls(zero, g1, descent::Batch(one.data(), 1)) ==
        ls(zero, g2, descent::Batch(twice.data(), 2)));
  CHECK(g1 == g2);
}

TEST_CASE("LogisticRegression's gradient matches finite differences, float and double",
          "[problems]") {
  const descent::problems::LogisticRegression lr(300, 4, 2, 1e-2);
  CHECK(lr.dimension() == 5);
  Eigen::VectorXd theta(5);
  theta << 0.3, -0.2, 0.1, 0.5, -0.4;
  CHECK(max_gradient_error(lr, theta) < 1e-6);
  Eigen::VectorXf theta_f = theta.cast<float>(), grad_f;
  Eigen::VectorXd grad_d;
  CHECK(lr(theta_f, grad_f) == Approx(lr(theta, grad_d)).epsilon(1e-6));
  CHECK(grad_f.cast<double>().isApprox(grad_d, 1e-5));
  // The labels are noisy but informative: a fitted model beats chance.
  const double positives = lr.labels().sum() / 300.0;
  CHECK(positives > 0.2);
  CHECK(positives < 0.8);
}
