#pragma once
// One GAN training iteration of examples/gan's default networks, as benchmarked by
// gan_benchmark.cpp and checked for allocation by tests/alloc/nn_allocation_test.cpp: a
// discriminator step (real and generated packs) then a generator step through the discriminator.
// Latent 8, hidden width 128, G with two hidden layers (ReLU), D with three (LeakyReLU 0.2),
// PacGAN packs of 2, Adam (float). The example's extras around the iteration (the lazy R1 penalty
// on every 4th D step, instance noise, schedules) are left out: the work is the library's
// forward, loss, backward and step.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <descent/descent.hpp>

namespace descent_bench {

struct GanShape {
  static constexpr Eigen::Index batch = 256, pack = 2, packs = batch / pack, latent = 8,
                                hidden = 128;
  static constexpr int g_layers = 2, d_layers = 3;  // hidden layers

  /// Layer widths of a network with `layers` hidden layers of `hidden` units.
  static std::vector<Eigen::Index> widths(Eigen::Index in, int layers, Eigen::Index out) {
    std::vector<Eigen::Index> w{in};
    w.insert(w.end(), std::size_t(layers), hidden);
    w.push_back(out);
    return w;
  }
};

class GanIteration {
 public:
  using Matrix = Eigen::MatrixXf;

  explicit GanIteration(std::uint64_t seed)
      : rng_(seed),
        g_(GanShape::widths(GanShape::latent, GanShape::g_layers, 2),
           activations(descent::nn::ActivationKind::relu, GanShape::g_layers), rng_,
           descent::nn::Init::he_uniform),
        d_(GanShape::widths(2 * GanShape::pack, GanShape::d_layers, 1),
           activations(descent::nn::Activation(descent::nn::ActivationKind::leaky_relu, 0.2),
                       GanShape::d_layers),
           rng_, descent::nn::Init::he_uniform),
        g_opt_(descent::AdamOptions(1e-3).betas(0.5, 0.999)),
        d_opt_(descent::AdamOptions(1e-3).betas(0.5, 0.999)),
        real_(Matrix::Random(2, GanShape::batch)),
        z_(Matrix::Random(GanShape::latent, GanShape::batch)),
        d_in_(2 * GanShape::pack, 2 * GanShape::packs),
        fake_in_(2 * GanShape::pack, GanShape::packs),
        d_targets_(1, 2 * GanShape::packs),
        ones_(Matrix::Ones(1, GanShape::packs)) {
    g_.add_to(g_opt_, "gen");
    d_.add_to(d_opt_, "disc");
    d_targets_.leftCols(GanShape::packs).setOnes();
    d_targets_.rightCols(GanShape::packs).setZero();
  }

  /// One iteration; returns the sum of the two losses.
  double operator()() {
    constexpr Eigen::Index rows = 2 * GanShape::pack, packs = GanShape::packs;
    const Matrix& fake = g_.forward(z_);
    d_in_.leftCols(packs) = Eigen::Map<const Matrix>(real_.data(), rows, packs);
    d_in_.rightCols(packs) = Eigen::Map<const Matrix>(fake.data(), rows, packs);
    double loss = descent::nn::bce_with_logits(d_.forward(d_in_), d_targets_, d_grad_);
    d_.backward(d_grad_, descent::nn::Need::parameters);
    d_opt_.step();
    fake_in_ = Eigen::Map<const Matrix>(g_.output().data(), rows, packs);
    loss += descent::nn::bce_with_logits(d_.forward(fake_in_), ones_, g_grad_);
    const Matrix& grad_fake = d_.backward(g_grad_, descent::nn::Need::input);
    g_.backward(Eigen::Map<const Matrix>(grad_fake.data(), 2, GanShape::batch),
                descent::nn::Need::parameters);
    g_opt_.step();
    return loss;
  }

 private:
  static std::vector<descent::nn::Activation> activations(descent::nn::Activation hidden,
                                                          int layers) {
    std::vector<descent::nn::Activation> a(std::size_t(layers), hidden);
    a.emplace_back(descent::nn::ActivationKind::identity);
    return a;
  }

  descent::Rng rng_;
  descent::nn::Mlp<float> g_, d_;
  descent::Adam<float> g_opt_, d_opt_;
  Matrix real_, z_, d_in_, fake_in_, d_targets_, ones_, d_grad_, g_grad_;
};

}  // namespace descent_bench
