// One GAN training iteration of the example's default networks at batch 256 (gan_iteration.hpp:
// a discriminator step and a generator step: forward, loss, backward, optimizer step), against
// the same matrix products written as bare Eigen calls into preallocated matrices: the floor for
// that work. Eigen's products run on one thread in both.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <vector>

#include "best_time.hpp"
#include "gan_iteration.hpp"

namespace {

using descent_bench::GanShape;
using Matrix = Eigen::MatrixXf;

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

std::vector<BareLayer> bare_net(Eigen::Index in, int layers, Eigen::Index out, Eigen::Index batch) {
  const std::vector<Eigen::Index> w = GanShape::widths(in, layers, out);
  std::vector<BareLayer> net;
  for (std::size_t l = 0; l + 1 < w.size(); ++l) net.emplace_back(w[l], w[l + 1], batch);
  return net;
}

// Every layer's input gradient but the first's (the network's input needs none).
void grad_inputs_above_first(std::vector<BareLayer>& net) {
  for (std::size_t l = 1; l < net.size(); ++l) net[l].grad_input();
}

// Counters iteration_s (also the time) and floor_s, interleaved (best_time.hpp).
void BM_GanIteration(benchmark::State& state) {
  Eigen::setNbThreads(1);
  descent_bench::GanIteration iteration(1);
  iteration();  // the first iteration sizes the buffers
  constexpr Eigen::Index rows = 2 * GanShape::pack;
  std::vector<BareLayer> g = bare_net(GanShape::latent, GanShape::g_layers, 2, GanShape::batch);
  std::vector<BareLayer> d_step = bare_net(rows, GanShape::d_layers, 1, 2 * GanShape::packs);
  std::vector<BareLayer> g_step = bare_net(rows, GanShape::d_layers, 1, GanShape::packs);
  const auto products = [&] {
    for (auto& l : g) l.forward();  // discriminator step
    for (auto& l : d_step) l.forward();
    for (auto& l : d_step) l.grad_weight();
    grad_inputs_above_first(d_step);
    for (auto& l : g_step) l.forward();  // generator step
    for (auto& l : g_step) l.grad_input();
    for (auto& l : g) l.grad_weight();
    grad_inputs_above_first(g);
    benchmark::DoNotOptimize(g[0].dw.data());
    benchmark::ClobberMemory();
  };
  // n = 1e6: one call per timed batch (an iteration takes milliseconds); no bytes counted.
  descent_bench::run_comparison(
      state, 1000000, 0.0,
      {{"iteration", [&] { benchmark::DoNotOptimize(iteration()); }}, {"floor", products}});
}

BENCHMARK(BM_GanIteration)->Unit(benchmark::kMicrosecond)->UseManualTime()->Iterations(1);

}  // namespace
