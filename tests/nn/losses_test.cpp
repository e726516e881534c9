// Losses: hand-computed values, stability for large logits, gradients against finite
// differences, shape errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <descent/nn/losses.hpp>

#include "nn/gradient_check.hpp"

using Matrix = Eigen::MatrixXd;

TEST_CASE("Losses give hand-computed values (mean over elements)", "[nn][losses]") {
  Matrix grad;
  Matrix x(1, 2), y(1, 2);
  x << 0.0, 2.0;
  y << 1.0, 0.0;
  // BCE on logits: (log 2 + (2 + log(1 + e^-2))) / 2 = (0.693147 + 2.126928) / 2 = 1.410038
  CHECK(descent::nn::bce_with_logits(x, y, grad) == Approx(1.4100375761));
  // d/dx: (sigmoid(0) - 1) / 2 = -0.25, (sigmoid(2) - 0) / 2 = 0.880797 / 2
  CHECK(grad(0, 0) == Approx(-0.25));
  CHECK(grad(0, 1) == Approx(0.4403970753));
  Matrix p(1, 2);
  p << 0.8, 0.25;
  // BCE: -(log 0.8 + log 0.75) / 2 = (0.223144 + 0.287682) / 2 = 0.255413
  CHECK(descent::nn::bce(p, y, grad) == Approx(0.2554128119));
  // d/dp: -1 / 0.8 / 2 = -0.625, 1 / 0.75 / 2 = 0.666667
  CHECK(grad(0, 0) == Approx(-0.625));
  CHECK(grad(0, 1) == Approx(2.0 / 3.0));
  Matrix a(2, 2), b(2, 2);
  a << 1, 2, 3, 4;
  b << 0, 2, 5, 4;
  // MSE: (1 + 0 + 4 + 0) / 4 = 1.25; gradient 2 (a - b) / 4
  CHECK(descent::nn::mse(a, b, grad) == 1.25);
  CHECK(grad == (a - b) / 2.0);
}

TEMPLATE_TEST_CASE("BCE on logits is finite and exact for large |logit|", "[nn][losses]", float,
                   double) {
  using M = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  M x(1, 4), grad;
  x << TestType(1000), TestType(-1000), TestType(50), TestType(-50);
  // Targets 1, 0, 0, 1: losses 0, 0, 50 (+ log1p(e^-50) ~ 2e-22), 50.
  const M y = (M(1, 4) << TestType(1), TestType(0), TestType(0), TestType(1)).finished();
  const double loss = descent::nn::bce_with_logits(x, y, grad);
  CHECK(loss == Approx(100.0 / 4.0));
  CHECK(grad.allFinite());
  CHECK(grad(0, 0) == TestType(0));
  CHECK(grad(0, 2) == Approx(0.25));  // (1 - 0) / 4
  // BCE on probabilities 0 and 1 clamps the log at -100 as PyTorch does.
  M p(1, 2);
  p << TestType(0), TestType(1);
  const M t = M::Ones(1, 2);
  CHECK(descent::nn::bce(p, t, grad) == Approx(50.0));  // (100 + 0) / 2
  CHECK(grad.allFinite());
}

TEST_CASE("Every loss's gradient matches finite differences", "[nn][losses]") {
  Matrix x = Matrix::Random(3, 5) * 3.0;
  const Matrix y = (Matrix::Random(3, 5).array() + 1.0) / 2.0;  // targets in [0, 1]
  Matrix grad, scratch;
  SECTION("bce_with_logits") {
    descent::nn::bce_with_logits(x, y, grad);
    auto loss = [&] { return descent::nn::bce_with_logits(x, y, scratch); };
    CHECK(descent_test::relative_error(grad, descent_test::numerical_gradient(x, loss)) < 1e-6);
  }
  SECTION("bce") {
    Matrix p = (x.array().tanh() + 1.0) / 2.0;  // probabilities away from 0 and 1
    descent::nn::bce(p, y, grad);
    auto loss = [&] { return descent::nn::bce(p, y, scratch); };
    CHECK(descent_test::relative_error(grad, descent_test::numerical_gradient(p, loss)) < 1e-6);
  }
  SECTION("mse") {
    descent::nn::mse(x, y, grad);
    auto loss = [&] { return descent::nn::mse(x, y, scratch); };
    CHECK(descent_test::relative_error(grad, descent_test::numerical_gradient(x, loss)) < 1e-6);
  }
}

TEST_CASE("Losses accept constant target expressions and reject other shapes", "[nn][losses]") {
  Matrix x = Matrix::Zero(1, 4), grad;
  CHECK(descent::nn::bce_with_logits(x, Matrix::Ones(1, 4), grad) == Approx(std::log(2.0)));
  CHECK_THROWS_WITH(descent::nn::mse(x, Matrix::Ones(4, 1), grad),
                    "mse: targets must have the predictions' shape 1x4, got 4x1");
}
