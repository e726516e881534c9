// A training step of the network module allocates nothing once the batch size is known:
// forward, loss, backward and the optimizer step reuse their buffers.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <descent/nn/dense.hpp>
#include <descent/nn/losses.hpp>
#include <descent/nn/mlp.hpp>
#include <descent/optimizers.hpp>

#include "gan_iteration.hpp"  // benchmarks/: the iteration that gan_benchmark.cpp times

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
  // The benchmarked iteration itself (benchmarks/gan_iteration.hpp): examples/gan's default
  // networks, PacGAN packs of 2, batch 256, a discriminator step then a generator step through
  // the discriminator. Sizes this large also exercise Eigen's matrix-product blocking buffers.
  descent_bench::GanIteration iteration(3);
  const double first = iteration();
  REQUIRE(std::isfinite(first));
  NoAllocScope scope;
  for (int i = 0; i < 3; ++i) REQUIRE(std::isfinite(iteration()));
  CHECK(scope.new_calls_since_start() == 0);
}
