// A training step of the network module allocates nothing once the batch size is known:
// forward, loss, backward and the optimizer step reuse their buffers.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <descent/nn/dense.hpp>
#include <descent/nn/losses.hpp>
#include <descent/nn/mlp.hpp>
#include <descent/optimizers.hpp>

using descent_test::NoAllocScope;

TEMPLATE_TEST_CASE("An Mlp training step allocates nothing after the first at a batch size",
                   "[alloc][nn]", float, double) {
  using Matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  using descent::nn::ActivationKind;
  descent::Rng rng(1);
  descent::nn::Mlp<TestType, descent::nn::Dropout> net(
      {6, 48, 40, 1}, {ActivationKind::relu, ActivationKind::tanh, ActivationKind::identity}, rng,
      descent::nn::Init::he_uniform, descent::nn::Dropout(0.25));
  descent::Adam<TestType> opt(descent::AdamOptions(1e-3));
  net.add_to(opt, "net");
  Matrix x = Matrix::Random(6, 32), y = Matrix::Zero(1, 32), grad;
  auto step = [&] {
    const double loss = descent::nn::bce_with_logits(net.forward(x), y, grad);
    net.backward(grad);
    opt.step();
    return loss;
  };
  step();  // sizes every buffer for batch 32
  NoAllocScope scope;
  for (int i = 0; i < 5; ++i) REQUIRE_NOTHROW(step());
  // A frozen network passing gradients through (a GAN's discriminator) allocates nothing either.
  REQUIRE_NOTHROW(net.backward(grad, descent::nn::Need::input));
  CHECK(scope.new_calls_since_start() == 0);
}

TEMPLATE_TEST_CASE("Dense layers and every loss allocate nothing at a fixed batch size",
                   "[alloc][nn]", float, double) {
  using Matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  descent::nn::Dense<TestType, descent::nn::Sigmoid> layer(5, 3);
  descent::Rng rng(2);
  layer.initialize(descent::nn::Init::xavier_uniform, rng);
  descent::Sgd<TestType> opt(descent::SgdOptions(0.1));
  layer.add_to(opt, "dense");
  Matrix x = Matrix::Random(5, 16), y = Matrix::Ones(3, 16), grad;
  auto step = [&] {
    double loss = descent::nn::bce(layer.forward(x), y, grad);
    loss += descent::nn::mse(layer.output(), y, grad);
    loss += descent::nn::bce_with_logits(layer.output(), Matrix::Zero(3, 16), grad);
    layer.backward(grad);
    opt.step();
    return loss;
  };
  step();
  NoAllocScope scope;
  for (int i = 0; i < 3; ++i) REQUIRE_NOTHROW(step());
  CHECK(scope.new_calls_since_start() == 0);
}

TEST_CASE("A GAN iteration at the example's sizes allocates nothing after the first",
          "[alloc][nn]") {
  // The benchmarked iteration (benchmarks/gan_benchmark.cpp): latent 8, hidden 128, PacGAN packs
  // of 4, batch 256, a discriminator step then a generator step through the discriminator.
  // Sizes this large also exercise Eigen's matrix-product blocking buffers.
  using Matrix = Eigen::MatrixXf;
  using descent::nn::Activation;
  using descent::nn::ActivationKind;
  const Eigen::Index batch = 256, pack = 4, packs = batch / pack;
  descent::Rng rng(3);
  const Activation relu(ActivationKind::relu), leaky(ActivationKind::leaky_relu, 0.2),
      identity(ActivationKind::identity);
  descent::nn::Mlp<float> g({8, 128, 128, 2}, {relu, relu, identity}, rng);
  descent::nn::Mlp<float> d({2 * pack, 128, 128, 1}, {leaky, leaky, identity}, rng);
  descent::Adam<float> g_opt(descent::AdamOptions(1e-3).betas(0.5, 0.999));
  descent::Adam<float> d_opt(descent::AdamOptions(1e-3).betas(0.5, 0.999));
  g.add_to(g_opt, "gen");
  d.add_to(d_opt, "disc");
  const Matrix real = Matrix::Random(2, batch), z = Matrix::Random(8, batch);
  const Matrix ones = Matrix::Ones(1, packs);
  Matrix d_in(2 * pack, 2 * packs), fake_in(2 * pack, packs), d_grad, g_grad;
  Matrix targets(1, 2 * packs);
  targets << Matrix::Ones(1, packs), Matrix::Zero(1, packs);
  auto iteration = [&] {
    const Matrix& fake = g.forward(z);
    d_in.leftCols(packs) = Eigen::Map<const Matrix>(real.data(), 2 * pack, packs);
    d_in.rightCols(packs) = Eigen::Map<const Matrix>(fake.data(), 2 * pack, packs);
    double loss = descent::nn::bce_with_logits(d.forward(d_in), targets, d_grad);
    d.backward(d_grad, descent::nn::Need::parameters);
    d_opt.step();
    fake_in = Eigen::Map<const Matrix>(g.output().data(), 2 * pack, packs);
    loss += descent::nn::bce_with_logits(d.forward(fake_in), ones, g_grad);
    const Matrix& grad_fake = d.backward(g_grad, descent::nn::Need::input);
    g.backward(Eigen::Map<const Matrix>(grad_fake.data(), 2, batch), descent::nn::Need::parameters);
    g_opt.step();
    return loss;
  };
  iteration();
  NoAllocScope scope;
  for (int i = 0; i < 3; ++i) REQUIRE_NOTHROW(iteration());
  CHECK(scope.new_calls_since_start() == 0);
}
