#pragma once
// The live objects the checkpoint fuzzer loads into, and the seed corpus is saved from: a float
// Adam with AMSGrad and an EMA, a double Momentum under ReduceOnPlateau with L2 (and a zero-size
// block), and a generator, in one Checkpoint or as single optimizers.

#include <cstdint>
#include <string>

#include <descent/descent.hpp>

namespace fuzz {

using AdamOpt = descent::Adam<float, descent::Cosine, descent::Ema>;
using MomentumOpt = descent::Momentum<double, descent::ReduceOnPlateau, descent::L2>;

/// The objects of one load: parameters, gradients, optimizers, a generator and the checkpoints.
struct Live {
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(2, 3, 0.5f), gw = Eigen::MatrixXf::Zero(2, 3);
  Eigen::VectorXf b = Eigen::VectorXf::Constant(2, -0.25f), gb = Eigen::VectorXf::Zero(2);
  Eigen::VectorXd u = Eigen::VectorXd::LinSpaced(3, -1.0, 1.0), gu = Eigen::VectorXd::Zero(3);
  Eigen::MatrixXd empty = Eigen::MatrixXd(0, 3), gempty = Eigen::MatrixXd(0, 3);
  AdamOpt adam{descent::AdamOptions(0.01).amsgrad(true), descent::Cosine(100), descent::Ema(0.9)};
  MomentumOpt momentum{descent::MomentumOptions(0.1).momentum(0.9),
                       descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(1)),
                       descent::L2(1e-3)};
  descent::Rng rng{17};

  Live() {
    adam.add("adam.w", w, gw);
    adam.add("adam.b", b, gb, descent::BlockOptions().regularize(false).lr_multiplier(0.5));
    momentum.add("momentum.u", u, gu);
    momentum.add("momentum.empty", empty, gempty);
  }

  /// `steps` deterministic steps of both optimizers, with a plateau report each, and draws.
  void train(int steps) {
    for (int t = 0; t < steps; ++t) {
      gw.setConstant(float(t) * 0.1f - 0.2f);
      gb.setConstant(0.3f);
      gu = u * 0.5;
      adam.step();
      momentum.step();
      momentum.schedule().report(t < 2 ? 1.0 : 2.0);
      rng.normal();
    }
  }

  /// Both optimizers and the generator, as the fuzzer's first configuration loads them.
  descent::Checkpoint all() {
    descent::Checkpoint checkpoint;
    checkpoint.add("adam", adam).add("momentum", momentum).add_rng("rng", rng);
    return checkpoint;
  }
};

/// One optimizer under the name save_checkpoint uses.
template <class Opt>
descent::Checkpoint single(Opt& opt) {
  descent::Checkpoint checkpoint;
  checkpoint.add("optimizer", opt);
  return checkpoint;
}

}  // namespace fuzz
