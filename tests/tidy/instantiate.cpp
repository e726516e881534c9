// Not a test: the translation unit scripts/tidy.sh gives clang-tidy. It includes every public
// header (the script adds the ones the umbrella header leaves out) and instantiates the
// templates, so the checks see the code users compile, not only the non-template parts.
#include <cstdint>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/problems/problems.hpp>

namespace tidy {

// Registration, a step, a checkpoint round trip and a load report.
template <class Opt>
std::string exercise(Opt& opt) {
  using Scalar = typename Opt::scalar_type;
  Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic> w(3, 2), gw(3, 2);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> b(3), gb(3);
  w.setOnes();
  b.setZero();
  gw.setConstant(Scalar(0.5));
  gb.setConstant(Scalar(-0.5));
  opt.add("w", w, gw);
  opt.add("b", b, gb, descent::BlockOptions().regularize(false).lr_multiplier(0.5));
  opt.step();
  opt.zero_grad();
  descent::Rng rng(3);
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", opt).add_rng("rng", rng);
  const std::string bytes = checkpoint.to_bytes();
  const descent::CheckpointReport report = checkpoint.from_bytes(bytes, descent::LoadMode::partial);
  return bytes + (report.complete() ? "" : report.problems.front());
}

std::size_t run_all() {
  std::size_t total = 0;
  descent::Sgd<float> sgd(descent::SgdOptions(0.1));
  total += exercise(sgd).size();
  descent::Momentum<double, descent::Cosine, descent::L2> momentum(
      descent::MomentumOptions(0.1).momentum(0.9), descent::Cosine(100), descent::L2(1e-3));
  total += exercise(momentum).size();
  descent::Nesterov<float, descent::StepDecay, descent::ClipValue> nesterov(
      descent::MomentumOptions(0.1).momentum(0.9), descent::StepDecay(10, 0.5),
      descent::ClipValue(1.0));
  total += exercise(nesterov).size();
  descent::Adam<double, descent::ReduceOnPlateau, descent::Ema> adam(
      descent::AdamOptions(1e-3).amsgrad(true), descent::ReduceOnPlateau(), descent::Ema(0.9));
  total += exercise(adam).size();
  using Warm = descent::Warmup<descent::Cosine>;
  descent::Adam<float, Warm, descent::L1, descent::ClipGlobalNorm, descent::CheckFinite,
                descent::Polyak>
      composed(descent::AdamOptions(1e-3), Warm(10, descent::Cosine(100)), descent::L1(1e-4),
               descent::ClipGlobalNorm(1.0), descent::CheckFinite(descent::NonFinite::skip),
               descent::Polyak());
  total += exercise(composed).size();
  descent::RMSprop<double, descent::OneCycle, descent::ProximalL1, descent::ClipNorm> rmsprop(
      descent::RMSpropOptions(1e-2).centered(true).momentum(0.5), descent::OneCycle(100),
      descent::ProximalL1(1e-4), descent::ClipNorm(1.0));
  total += exercise(rmsprop).size();
  descent::AdamW<double> adamw(descent::AdamOptions(1e-3));
  total += exercise(adamw).size();
  descent::Adagrad<float, descent::Exponential, descent::WeightDecay> adagrad(
      descent::AdagradOptions(1e-2), descent::Exponential(0.99), descent::WeightDecay(1e-2));
  total += exercise(adagrad).size();

  // Drivers over the bundled problems, with every callback.
  descent::problems::Rosenbrock rosenbrock(2);
  Eigen::VectorXd x = rosenbrock.start<double>();
  descent::GD gd(descent::GDOptions().max_iterations(10));
  descent::LossHistory history;
  std::ostringstream out;
  descent::Result r =
      gd.minimize(rosenbrock, x, descent::Adam<double>(), history, descent::PrintEvery(5, out),
                  descent::EarlyStopping(3), descent::ProgressBar(out, false));
  total += std::size_t(r.iterations);
  descent::problems::LogisticRegression data(64, 4, 1);
  Eigen::VectorXf theta = Eigen::VectorXf::Zero(data.dimension());
  descent::SGD driver(descent::SGDOptions().epochs(2).batch_size(16).seed(7));
  r = driver.minimize(data, theta, descent::Momentum<float>(descent::MomentumOptions(0.01)));
  total += std::size_t(r.iterations);
  descent::problems::LeastSquares squares(32, 3);
  Eigen::VectorXd v = Eigen::VectorXd::Zero(3);
  r = driver.minimize(squares, v, descent::Sgd<double>(descent::SgdOptions(0.01)));
  total += std::size_t(r.iterations);

  // Layers and a network, forward and backward, with dropout.
  descent::Rng rng(1);
  descent::nn::Mlp<float, descent::nn::Dropout> mlp(
      {4, 8, 1}, {descent::nn::ActivationKind::relu, descent::nn::ActivationKind::sigmoid}, rng,
      descent::nn::Init::he_uniform, descent::nn::Dropout(0.2, 5));
  descent::Adam<float, descent::Constant, descent::L2> opt(descent::AdamOptions(1e-2),
                                                           descent::Constant(), descent::L2(1e-4));
  mlp.add_to(opt, "mlp");
  const Eigen::MatrixXf input = Eigen::MatrixXf::Ones(4, 5), target = Eigen::MatrixXf::Zero(1, 5);
  Eigen::MatrixXf grad;
  const double loss = descent::nn::bce(mlp.forward(input), target, grad);
  mlp.backward(grad);
  opt.step();
  descent::nn::Dense<double, descent::nn::Tanh> dense(3, 2);
  dense.initialize(descent::nn::Init::xavier_normal, rng);
  const Eigen::MatrixXd in = Eigen::MatrixXd::Ones(3, 4), want = Eigen::MatrixXd::Zero(2, 4);
  Eigen::MatrixXd dense_grad;
  const double mse = descent::nn::mse(dense.forward(in), want, dense_grad);
  dense.backward(dense_grad, descent::nn::Need::parameters);
  return total + std::size_t(loss + mse);
}

// The distributed module (scripts/tidy.sh passes MPI's include directories).
std::size_t run_distributed() {
  Eigen::VectorXf x = Eigen::VectorXf::Ones(8), g = Eigen::VectorXf::Zero(8);
  descent::Adam<float> opt;
  opt.add("x", x, g);
  descent::dist::GradientAverager<descent::Adam<float>> averager(
      opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(16));
  averager.average();
  opt.step();
  descent::dist::check_consistent(opt);
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", opt);
  descent::dist::save_checkpoint(checkpoint, "tidy.ckpt");
  descent::dist::load_checkpoint(checkpoint, "tidy.ckpt");
  return std::size_t(descent::dist::checksum(opt) % 7) + averager.num_buckets();
}

}  // namespace tidy

int main() {
  try {
    const descent::dist::Environment mpi;
    return tidy::run_all() + tidy::run_distributed() > 0 ? 0 : 1;
  } catch (const std::exception&) {
    return 1;
  }
}
