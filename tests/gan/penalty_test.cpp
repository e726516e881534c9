// The R1 gradient penalty of the GAN example: its input gradient against the network's own
// backward, its weight gradients against central finite differences, and its errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "../../examples/gan/penalty.hpp"
#include "../../examples/gan/trainer.hpp"
#include "../nn/gradient_check.hpp"
#include "short_config.hpp"

namespace {
using Net = descent::nn::Mlp<double>;
using descent::nn::Activation;
using descent::nn::ActivationKind;

// A 4 -> 6 -> 5 -> 1 discriminator like the example's (LeakyReLU 0.2 hidden, linear output),
// with nonzero biases so that no unit sits on its kink.
Net small_discriminator(descent::Rng& rng) {
  const Activation leaky(ActivationKind::leaky_relu, gan::kLeakySlope);
  Net d({4, 6, 5, 1}, {leaky, leaky, Activation()}, rng, descent::nn::Init::he_uniform);
  for (std::size_t l = 0; l < d.size(); ++l) {
    auto& b = d.layer(l).bias();
    for (Eigen::Index i = 0; i < b.size(); ++i) b[i] = 0.7 * rng.uniform() - 0.35;
  }
  return d;
}

// P for the first `cols` columns of x (a fresh forward; gradients written to scratch).
double penalty_of(Net& d, const Eigen::MatrixXd& x, Eigen::Index cols, double gamma) {
  gan::PenaltyBuffers<double> b;
  d.forward(x);
  return gan::add_r1_penalty(d, cols, gamma, gan::kLeakySlope, b);
}
}  // namespace

TEST_CASE("R1 penalty: u is D's input gradient and P = gamma/2 mean |u|^2", "[gan]") {
  descent::Rng rng(7);
  Net d = small_discriminator(rng);
  Eigen::MatrixXd x(4, 7);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.normal();
  d.forward(x);
  gan::PenaltyBuffers<double> b;
  const double p = gan::add_r1_penalty(d, 5, 3.0, gan::kLeakySlope, b);
  // dLogit/dx of each column, by the network's own backward with dL/dlogit = 1.
  d.forward(x);
  const Eigen::MatrixXd input_grad = d.backward(Eigen::MatrixXd::Ones(1, 7));
  REQUIRE(b.u.rows() == 4);
  REQUIRE(b.u.cols() == 5);
  CHECK(descent_test::relative_error(b.u, input_grad.leftCols(5)) < 1e-14);
  CHECK(p == Approx(0.5 * 3.0 * input_grad.leftCols(5).squaredNorm() / 5.0).epsilon(1e-14));
}

TEST_CASE("R1 penalty: weight gradients match finite differences, biases get none", "[gan]") {
  descent::Rng rng(11);
  Net d = small_discriminator(rng);
  Eigen::MatrixXd x(4, 9);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.normal();
  const Eigen::Index cols = 6;  // the last 3 columns (generated samples) are not penalized
  const double gamma = 2.5;

  d.forward(x);
  for (std::size_t l = 0; l < d.size(); ++l) {
    d.layer(l).weight_grad().setConstant(0.25);  // the penalty adds to what backward wrote
    d.layer(l).bias_grad().setConstant(-1.0);
  }
  gan::PenaltyBuffers<double> b;
  gan::add_r1_penalty(d, cols, gamma, gan::kLeakySlope, b);
  std::vector<Eigen::MatrixXd> analytic;  // read before the finite differences add more
  for (std::size_t l = 0; l < d.size(); ++l) {
    analytic.push_back(d.layer(l).weight_grad().array() - 0.25);
    CHECK((d.layer(l).bias_grad().array() == -1.0).all());
  }
  for (std::size_t l = 0; l < d.size(); ++l) {
    INFO("layer " << l);
    Eigen::MatrixXd& w = d.layer(l).weight();
    const Eigen::MatrixXd numeric =
        descent_test::numerical_gradient(w, [&] { return penalty_of(d, x, cols, gamma); });
    CHECK(analytic[l].norm() > 0.0);
    CHECK(descent_test::relative_error(analytic[l], numeric) < 1e-6);
  }
}

TEST_CASE("R1 penalty: off at gamma 0, and a network it cannot handle is an error", "[gan]") {
  descent::Rng rng(3);
  Net d = small_discriminator(rng);
  Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 3);
  d.forward(x);
  d.layer(0).weight_grad().setConstant(0.5);
  gan::PenaltyBuffers<double> b;
  CHECK(gan::add_r1_penalty(d, 3, 0.0, gan::kLeakySlope, b) == 0.0);
  CHECK((d.layer(0).weight_grad().array() == 0.5).all());

  Net single({4, 1}, {Activation()}, rng);
  single.forward(x);
  CHECK_THROWS_WITH(gan::add_r1_penalty(single, 3, 1.0, gan::kLeakySlope, b),
                    "gan: the R1 penalty needs a discriminator with a hidden layer and one "
                    "output unit");

  gan::Config c;
  CHECK_THROWS_WITH(gan::parse({"--r1", "-1"}, c), "gan: --r1 must be finite and >= 0, got -1");
  CHECK(gan::parse({"--r1", "0.5"}, c));
  CHECK(c.r1 == 0.5);
}

TEST_CASE("A short GAN run with the R1 penalty is finite and differs from the plain run", "[gan]") {
  gan::Config c = descent_test::short_gan_config("ring", 30);
  c.shards = 2;
  c.r1 = 0.0;
  const gan::Run plain = gan::train(c);
  c.r1 = 1.0;
  c.r1_every = 1;
  c.r1_end = 0.0;
  const gan::Run penalized = gan::train(c);
  CHECK(penalized.samples.allFinite());
  CHECK(penalized.samples != plain.samples);
  // The penalty only acts through D's update: the first D loss (before any update) is shared.
  CHECK(penalized.d_loss[0] == plain.d_loss[0]);
  c.threads = 2;  // threaded shards give the same bits with the penalty too
  CHECK(gan::train(c).samples == penalized.samples);
}

TEST_CASE("R1 schedules: annealed and lazy penalties act on the steps they name", "[gan]") {
  gan::Config c = descent_test::short_gan_config("grid", 32);
  c.r1 = 0.0;
  const gan::Run plain = gan::train(c);
  // Annealed to 0 at step 1 of 32: only step 0 is penalized, with weight 3.
  c.r1 = 3.0;
  c.r1_end = 1.0 / 32.0;
  c.r1_every = 1;
  const gan::Run annealed = gan::train(c);
  // Lazy, every 32nd step with 32 times 3/32: again only step 0, with weight 3.
  c.r1 = 3.0 / 32.0;
  c.r1_end = 0.0;
  c.r1_every = 32;
  const gan::Run lazy = gan::train(c);
  CHECK(annealed.samples != plain.samples);
  CHECK(lazy.samples == annealed.samples);
  CHECK(lazy.d_loss == annealed.d_loss);

  gan::Config e;
  CHECK_THROWS_WITH(gan::parse({"--r1-end", "1.5"}, e), "gan: --r1-end must be in [0, 1], got 1.5");
  CHECK_THROWS_WITH(gan::parse({"--r1-every", "0"}, e),
                    "gan: --r1-every expects an integer >= 1, got \"0\"");
}
