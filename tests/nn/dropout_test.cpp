// Dropout: kept fraction and mean within statistical bounds, evaluation is the identity, the
// backward pass uses the forward's mask, seeding, and validation of p.
#include <catch2/catch.hpp>
#include <cmath>
#include <descent/nn/dense.hpp>
#include <descent/nn/dropout.hpp>

using descent::nn::Dropout;

TEMPLATE_TEST_CASE("Dropout keeps 1 - p of the activations and preserves their mean",
                   "[nn][dropout]", float, double) {
  using Matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  const double p = 0.3;
  const Eigen::Index n = 200 * 500;  // 100000 Bernoulli draws
  Dropout dropout(p, 42);
  Matrix a = Matrix::Ones(200, 500), mask;
  dropout.forward(a, mask, true);
  const double kept = double((mask.array() != TestType(0)).count()) / double(n);
  // Binomial: std of the kept fraction = sqrt(0.3 * 0.7 / 1e5) = 0.00145; allow 5 std.
  CHECK(std::abs(kept - 0.7) < 5 * 0.00145);
  // Kept values are 1 / (1 - p) exactly as the mask's scale, so the mean is kept / 0.7, whose
  // std is 0.00145 / 0.7 = 0.00207.
  const double mean = double(a.sum()) / double(n);
  CHECK(std::abs(mean - 1.0) < 5 * 0.00207);
  CHECK(((a.array() == TestType(0)) || (a.array() == TestType(1.0 / 0.7))).all());
}

TEMPLATE_TEST_CASE("Dropout in evaluation mode is the identity", "[nn][dropout]", float, double) {
  using Matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  Dropout dropout(0.9, 1);
  const Matrix original = Matrix::Random(4, 7);
  Matrix a = original, mask;
  dropout.forward(a, mask, false);
  CHECK(a == original);
  Matrix g = original;
  dropout.backward(g, mask);
  CHECK(g == original);
}

TEST_CASE("Dropout's backward multiplies by the mask of the forward", "[nn][dropout]") {
  Dropout dropout(0.5, 9);
  Eigen::MatrixXd a = Eigen::MatrixXd::Constant(6, 10, 3.0), mask;
  dropout.forward(a, mask, true);
  Eigen::MatrixXd g = Eigen::MatrixXd::Ones(6, 10);
  dropout.backward(g, mask);
  // Forward turned 3 into 3 * mask, so dY/dX = mask: g is 0 exactly where a was dropped.
  CHECK(((a.array() == 0.0) == (g.array() == 0.0)).all());
  CHECK(((g.array() == 0.0) || (g.array() == 2.0)).all());  // 1 / (1 - 0.5)
  CHECK(a.isApprox(3.0 * g));
}

TEST_CASE("Dropout masks are reproducible from the seed", "[nn][dropout]") {
  Dropout a(0.5, 123), b(0.5, 123), c(0.5, 124);
  Eigen::MatrixXf x = Eigen::MatrixXf::Ones(8, 8), y = x, w = x, ma, mb, mc;
  a.forward(x, ma, true);
  b.forward(y, mb, true);
  c.forward(w, mc, true);
  CHECK(ma == mb);
  CHECK(ma != mc);
}

TEST_CASE("Dense with dropout drops only in training mode", "[nn][dropout][dense]") {
  descent::nn::Dense<double, descent::nn::Identity, Dropout> layer(3, 50, {}, Dropout(0.5, 5));
  layer.weight().setOnes();
  const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(3, 20);
  CHECK((layer.forward(x).array() == 0.0).any());
  layer.eval();
  CHECK((layer.forward(x).array() == 3.0).all());
  layer.train();
  CHECK(layer.training());
}

TEST_CASE("Dropout validates p and names the value", "[nn][dropout]") {
  CHECK_THROWS_WITH(Dropout(1.0), "Dropout: p must be in [0, 1), got 1");
  CHECK_THROWS_WITH(Dropout(-0.1), "Dropout: p must be in [0, 1), got -0.1");
  CHECK_THROWS_AS(Dropout(std::nan("")), std::invalid_argument);
  CHECK_NOTHROW(Dropout(0.0));
  Dropout none(0.0, 3);
  Eigen::MatrixXd a = Eigen::MatrixXd::Constant(2, 2, 5.0), mask;
  none.forward(a, mask, true);
  CHECK((a.array() == 5.0).all());
}
