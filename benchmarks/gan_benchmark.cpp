// One GAN training iteration of the example's default networks at batch 256 (a discriminator
// step and a generator step: forward, loss, backward, optimizer step), against the same matrix
// products written as bare Eigen calls into preallocated matrices: the floor for that work.
// Latent 8, hidden 128, two hidden layers in each network, PacGAN packs of 4, Adam (float).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include <descent/descent.hpp>

namespace {

using Matrix = Eigen::MatrixXf;
constexpr Eigen::Index kBatch = 256, kPack = 4, kPacks = kBatch / kPack, kLatent = 8, kHidden = 128;

std::vector<descent::nn::Activation> activations(descent::nn::Activation hidden) {
  return {hidden, hidden, descent::nn::Activation(descent::nn::ActivationKind::identity)};
}

void BM_GanIteration(benchmark::State& state) {
  using descent::nn::Activation;
  using descent::nn::ActivationKind;
  Eigen::setNbThreads(1);
  descent::Rng rng(1);
  descent::nn::Mlp<float> g({kLatent, kHidden, kHidden, 2}, activations(ActivationKind::relu), rng,
                            descent::nn::Init::he_uniform);
  descent::nn::Mlp<float> d({2 * kPack, kHidden, kHidden, 1},
                            activations(Activation(ActivationKind::leaky_relu, 0.2)), rng,
                            descent::nn::Init::he_uniform);
  descent::Adam<float> g_opt(descent::AdamOptions(1e-3).betas(0.5, 0.999));
  descent::Adam<float> d_opt(descent::AdamOptions(1e-3).betas(0.5, 0.999));
  g.add_to(g_opt, "gen");
  d.add_to(d_opt, "disc");
  const Matrix real = Matrix::Random(2, kBatch), z = Matrix::Random(kLatent, kBatch);
  Matrix d_in(2 * kPack, 2 * kPacks), fake_in(2 * kPack, kPacks), d_grad, g_grad;
  Matrix d_targets(1, 2 * kPacks);
  d_targets.leftCols(kPacks).setOnes();
  d_targets.rightCols(kPacks).setZero();
  const Matrix ones = Matrix::Ones(1, kPacks);
  for (auto _ : state) {
    const Matrix& fake = g.forward(z);
    d_in.leftCols(kPacks) = Eigen::Map<const Matrix>(real.data(), 2 * kPack, kPacks);
    d_in.rightCols(kPacks) = Eigen::Map<const Matrix>(fake.data(), 2 * kPack, kPacks);
    double loss = descent::nn::bce_with_logits(d.forward(d_in), d_targets, d_grad);
    d.backward(d_grad, descent::nn::Need::parameters);
    d_opt.step();
    fake_in = Eigen::Map<const Matrix>(g.output().data(), 2 * kPack, kPacks);
    loss += descent::nn::bce_with_logits(d.forward(fake_in), ones, g_grad);
    const Matrix& grad_fake = d.backward(g_grad, descent::nn::Need::input);
    g.backward(Eigen::Map<const Matrix>(grad_fake.data(), 2, kBatch),
               descent::nn::Need::parameters);
    g_opt.step();
    benchmark::DoNotOptimize(loss);
  }
}

// The products of one iteration, bare: per layer, forward Y = W X; for a parameter backward,
// dW = dY X^T, and dX = W^T dY wherever the iteration needs the input gradient.
struct BareLayer {
  Matrix w, x, y, dy, dw, dx;
  BareLayer(Eigen::Index in, Eigen::Index out, Eigen::Index batch)
      : w(Matrix::Random(out, in)),
        x(Matrix::Random(in, batch)),
        y(out, batch),
        dy(Matrix::Random(out, batch)),
        dw(out, in),
        dx(in, batch) {}
  void forward() { y.noalias() = w * x; }
  void grad_weight() { dw.noalias() = dy * x.transpose(); }
  void grad_input() { dx.noalias() = w.transpose() * dy; }
};

std::vector<BareLayer> bare_net(Eigen::Index in, Eigen::Index out, Eigen::Index batch) {
  return {BareLayer(in, kHidden, batch), BareLayer(kHidden, kHidden, batch),
          BareLayer(kHidden, out, batch)};
}

void BM_GanIterationProductsFloor(benchmark::State& state) {
  Eigen::setNbThreads(1);
  std::vector<BareLayer> g = bare_net(kLatent, 2, kBatch);
  std::vector<BareLayer> d_step = bare_net(2 * kPack, 1, 2 * kPacks);
  std::vector<BareLayer> g_step = bare_net(2 * kPack, 1, kPacks);
  for (auto _ : state) {
    for (auto& l : g) l.forward();  // discriminator step
    for (auto& l : d_step) l.forward();
    for (auto& l : d_step) l.grad_weight();
    d_step[1].grad_input();
    d_step[2].grad_input();
    for (auto& l : g_step) l.forward();  // generator step
    for (auto& l : g_step) l.grad_input();
    for (auto& l : g) l.grad_weight();
    g[1].grad_input();
    g[2].grad_input();
    benchmark::DoNotOptimize(g[0].dw.data());
    benchmark::ClobberMemory();
  }
}

BENCHMARK(BM_GanIteration)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GanIterationProductsFloor)->Unit(benchmark::kMicrosecond);

}  // namespace
