// Mlp: construction from widths, gradients of a whole stack against finite differences,
// registration, dropout only on hidden layers, training with an optimizer, errors.
#include <catch2/catch.hpp>
#include <descent/nn/losses.hpp>
#include <descent/nn/mlp.hpp>
#include <descent/optimizers.hpp>

#include "nn/gradient_check.hpp"

using descent::nn::Activation;
using descent::nn::ActivationKind;
using descent::nn::Mlp;
using Matrix = Eigen::MatrixXd;

TEST_CASE("Mlp backward matches finite differences through every layer", "[nn][mlp]") {
  descent::Rng rng(5);
  Mlp<double> net({3, 6, 5, 2},
                  {Activation(ActivationKind::tanh), Activation(ActivationKind::leaky_relu, 0.2),
                   Activation(ActivationKind::sigmoid)},
                  rng, descent::nn::Init::xavier_normal);
  for (std::size_t k = 0; k < net.size(); ++k) net.layer(k).bias().setRandom();
  Matrix x = Matrix::Random(3, 7);
  const Matrix y = (Matrix::Random(2, 7).array() + 1.0) / 2.0;
  Matrix grad, scratch;
  auto loss = [&] { return descent::nn::bce(net.forward(x), y, scratch); };
  descent::nn::bce(net.forward(x), y, grad);
  net.backward(grad);
  const Matrix dx = net.grad_input();
  for (std::size_t k = 0; k < net.size(); ++k) {
    INFO("layer " << k);
    const Matrix dw = net.layer(k).weight_grad(), db = net.layer(k).bias_grad();
    CHECK(descent_test::relative_error(
              dw, descent_test::numerical_gradient(net.layer(k).weight(), loss)) < 1e-6);
    CHECK(descent_test::relative_error(
              db, descent_test::numerical_gradient(net.layer(k).bias(), loss)) < 1e-6);
  }
  CHECK(descent_test::relative_error(dx, descent_test::numerical_gradient(x, loss)) < 1e-6);
}

TEST_CASE("Mlp registers every block with a prefix and biases unregularized", "[nn][mlp]") {
  descent::Rng rng(1);
  Mlp<float> net({2, 4, 1}, {ActivationKind::relu, ActivationKind::identity}, rng);
  CHECK(net.parameter_count() == 2 * 4 + 4 + 4 * 1 + 1);
  descent::Adam<float> opt;
  net.add_to(opt, "gen");
  CHECK(opt.block("gen.0.weight").rows() == 4);
  CHECK(opt.block("gen.1.weight").cols() == 4);
  CHECK(opt.block("gen.0.weight").options().regularize());
  CHECK_FALSE(opt.block("gen.1.bias").options().regularize());
}

TEST_CASE("Mlp applies dropout to hidden layers only, and not in eval mode", "[nn][mlp]") {
  descent::Rng rng(2);
  Mlp<double, descent::nn::Dropout> net({4, 64, 64},
                                        {ActivationKind::relu, ActivationKind::identity}, rng,
                                        descent::nn::Init::he_uniform, descent::nn::Dropout(0.5));
  const Matrix x = Matrix::Random(4, 8);
  net.forward(x);
  CHECK((net.layer(0).output().array() == 0.0).count() > 0);
  CHECK_FALSE(net.layer(1).training());  // the output layer never drops
  net.eval();
  const Matrix a = net.forward(x);
  CHECK(a == net.forward(x));  // deterministic without dropout
}

TEST_CASE("An Mlp trained with Adam fits XOR", "[nn][mlp]") {
  descent::Rng rng(8);
  Mlp<double> net({2, 8, 1}, {ActivationKind::tanh, ActivationKind::identity}, rng);
  descent::Adam<double> opt(descent::AdamOptions(0.05));
  net.add_to(opt, "net");
  Matrix x(2, 4), y(1, 4), grad;
  x << 0, 0, 1, 1, 0, 1, 0, 1;
  y << 0, 1, 1, 0;
  double loss = 0.0;
  for (int t = 0; t < 500; ++t) {
    loss = descent::nn::bce_with_logits(net.forward(x), y, grad);
    net.backward(grad, descent::nn::Need::parameters);
    opt.step();
  }
  CHECK(loss < 0.05);
  CHECK(((net.forward(x).array() > 0.0).cast<double>() == y.array()).all());
}

TEST_CASE("Mlp rejects inconsistent widths and activations", "[nn][mlp]") {
  descent::Rng rng(1);
  CHECK_THROWS_WITH((Mlp<double>({3}, {}, rng)),
                    "Mlp: widths must hold at least 2 values (in, out), got 1");
  CHECK_THROWS_WITH((Mlp<double>({3, 4, 1}, {ActivationKind::relu}, rng)),
                    "Mlp: expected one activation per layer (2), got 1");
  CHECK_THROWS_WITH((Mlp<double>({3, 0}, {ActivationKind::relu}, rng)),
                    "Dense: out must be >= 1, got 0");
}
