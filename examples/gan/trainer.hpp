#pragma once
// The GAN demo's training loop: a dense generator and a PacGAN discriminator, trained with a
// descent optimizer; evaluation of the generator's (averaged) weights on fresh samples.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include <descent/averaging/ema.hpp>
#include <descent/checkpoint/checkpoint.hpp>
#include <descent/core/optimizer.hpp>
#include <descent/gradients/check_finite.hpp>
#include <descent/nn/losses.hpp>
#include <descent/nn/mlp.hpp>
#include <descent/random/rng.hpp>
#include <descent/regularizers/l2.hpp>
#include <descent/regularizers/weight_decay.hpp>
#include <descent/rules/adagrad.hpp>
#include <descent/rules/adam.hpp>
#include <descent/rules/momentum.hpp>
#include <descent/rules/rmsprop.hpp>
#include <descent/rules/sgd.hpp>

#include "config.hpp"
#include "mixture.hpp"
#include "penalty.hpp"
#include "progress.hpp"
#include "schedule.hpp"
#include "team.hpp"
#include "threads.hpp"

namespace gan {

/// The slope of D's LeakyReLU hidden layers (the R1 penalty reads its masks with it).
inline constexpr double kLeakySlope = 0.2;

/// 1 at step 0, falling linearly to 0 at `end_fraction` of `steps`, 0 after (the instance
/// noise's and the R1 penalty's annealing).
inline double linear_fade(std::int64_t t, double end_fraction, std::int64_t steps) {
  return std::max(0.0, 1.0 - double(t) / (end_fraction * double(steps)));
}

using Matrix = Eigen::MatrixXf;

/// What a run produced.
struct Run {
  Coverage coverage;                  // of the evaluated weights (the EMA when on)
  Coverage last_coverage;             // of the last weights, on the same latent draws
  Eigen::Matrix2Xf samples;           // the evaluated samples, in data coordinates
  std::vector<float> d_loss, g_loss;  // per step
  double seconds = 0.0;               // training time (evaluation excluded)
  double steps_per_second = 0.0;
  std::int64_t first_step = 0;     // 0, or the step a resumed run started from
  std::int64_t last_step = 0;      // steps done when training ended (< c.steps: --stop-after)
  std::int64_t skipped_steps = 0;  // optimizer steps skipped for a NaN/Inf gradient (G and D)
  int processes = 1;               // processes that trained it (mpirun -np)
  std::int64_t threads = 1;        // threads per process that computed its shards
  std::int64_t shards = 1;         // shards of every batch, over all processes
  bool evaluated() const { return samples.cols() > 0; }
};

/// The rule's options from the command line's settings.
template <class Rule>
typename Rule::Options rule_options(const Config& c, double lr) {
  using namespace descent;
  if constexpr (std::is_same_v<Rule, rules::Adam>) {
    return AdamOptions(lr).betas(c.beta1, c.beta2);
  } else if constexpr (std::is_same_v<Rule, rules::Momentum> ||
                       std::is_same_v<Rule, rules::Nesterov>) {
    return MomentumOptions(lr).momentum(c.beta1);
  } else if constexpr (std::is_same_v<Rule, rules::RMSprop>) {
    return RMSpropOptions(lr).alpha(c.beta2);
  } else {
    return typename Rule::Options(lr);
  }
}

// Widths {in, h, ..., h, out} of an MLP with `layers` hidden layers, and its activations.
inline std::vector<Eigen::Index> mlp_widths(Eigen::Index in, Eigen::Index h, std::int64_t layers,
                                            Eigen::Index out) {
  std::vector<Eigen::Index> w(std::size_t(layers) + 2, h);
  w.front() = in;
  w.back() = out;
  return w;
}
inline std::vector<descent::nn::Activation> mlp_activations(descent::nn::Activation hidden,
                                                            std::int64_t layers) {
  std::vector<descent::nn::Activation> a(std::size_t(layers) + 1, hidden);
  a.back() = descent::nn::Activation(descent::nn::ActivationKind::identity);
  return a;
}

// Adds noise_std * N(0, 1) to every element of `m` (instance noise, Sønderby et al., 2017).
inline void add_noise(Matrix& m, double noise_std, descent::Rng& rng) {
  if (noise_std <= 0.0) return;
  float* p = m.data();
  for (Eigen::Index i = 0; i < m.size(); ++i) p[i] += float(noise_std * rng.normal());
}

// Puts a NaN into G's first weight gradient (--inject-nan: exercises the non-finite policy).
inline void poison(descent::nn::Mlp<float>& g) {
  g.layer(0).weight_grad()(0, 0) = std::numeric_limits<float>::quiet_NaN();
}

/// "skip" or "raise" (--non-finite); anything else throws std::invalid_argument.
inline descent::NonFinite non_finite_by_name(const std::string& name) {
  if (name == "skip") return descent::NonFinite::skip;
  if (name == "raise") return descent::NonFinite::raise;
  throw std::invalid_argument("gan: --non-finite must be skip or raise, got \"" + name + "\"");
}

// Copies `from`'s weights and biases into `to` (same widths; no allocation).
inline void copy_parameters(const descent::nn::Mlp<float>& from, descent::nn::Mlp<float>& to) {
  for (std::size_t k = 0; k < from.size(); ++k) {
    to.layer(k).weight() = from.layer(k).weight();
    to.layer(k).bias() = from.layer(k).bias();
  }
}

// Replaces `net`'s gradients by the mean of its own and the copies', summed in shard order and
// then scaled, exactly as ShardMean does for shards computed one after the other.
inline void mean_gradients(descent::nn::Mlp<float>& net,
                           const std::vector<descent::nn::Mlp<float>>& copies) {
  const float inverse = 1.0f / float(copies.size() + 1);
  for (std::size_t k = 0; k < net.size(); ++k) {
    auto& layer = net.layer(k);
    for (const auto& copy : copies) {
      layer.weight_grad().array() += copy.layer(k).weight_grad().array();
      layer.bias_grad().array() += copy.layer(k).bias_grad().array();
    }
    layer.weight_grad() *= inverse;
    layer.bias_grad() *= inverse;
  }
}

/// The mean of an optimizer's gradients over the shards of a batch: add() after each shard's
/// backward pass, finish() writes the mean into the gradients (buffers allocated once).
template <class Opt>
class ShardMean {
 public:
  ShardMean(Opt& optimizer, std::int64_t shards) : optimizer_(optimizer), shards_(shards) {
    if (shards_ > 1) {
      for (std::size_t k = 0; k < optimizer.num_blocks(); ++k) {
        sums_.emplace_back(optimizer.gradient(k).size());
      }
    }
  }
  void add(std::int64_t shard) {
    if (shards_ == 1) return;
    for (std::size_t k = 0; k < sums_.size(); ++k) {
      if (shard == 0) {
        sums_[k] = optimizer_.gradient(k);
      } else {
        sums_[k] += optimizer_.gradient(k);
      }
    }
  }
  void finish() {
    if (shards_ == 1) return;
    const float inverse = 1.0f / float(shards_);
    for (std::size_t k = 0; k < sums_.size(); ++k) optimizer_.gradient(k) = sums_[k] * inverse;
  }

 private:
  Opt& optimizer_;
  std::int64_t shards_;
  std::vector<Eigen::ArrayXf> sums_;
};

/// Trains G and D for c.steps steps with the optimizer `Rule` and evaluates G on
/// c.eval_samples samples. Data parallel: the batch of every step is made of shards, each
/// drawn from its own generators; this process computes c.shards of them, and the team's other
/// processes the rest (gradients and losses are averaged over all shards).
template <class Rule>
Run train(const Config& c, const Team& team = Team()) {
  const Mixture mixture = mixture_by_name(c.dataset);
  // Networks see the data divided by `scale` (coordinates within [-1, 1]).
  const double scale = mixture.means.cwiseAbs().maxCoeff();
  double spacing = 1e300;  // smallest distance between two means, the unit of --noise
  for (Eigen::Index i = 0; i < mixture.modes(); ++i) {
    for (Eigen::Index j = i + 1; j < mixture.modes(); ++j) {
      spacing = std::min(spacing, (mixture.means.col(i) - mixture.means.col(j)).norm());
    }
  }
  // D sees the normalized data times `gain` (--d-gain, default 1): a larger gain widens the
  // modes as D's first layer sees them (on the ring, gain 8 made the result worse).
  const float gain = float(c.d_gain);
  descent::Rng master(c.seed);
  descent::Rng init_rng(master.next()), data_rng(master.next()), noise_rng(master.next()),
      eval_rng(master.next());
  // Shard s of every batch draws its data and noise from data_rngs[s] and noise_rngs[s]; shard
  // 0's are the single-process generators, so one shard is exactly the undistributed run.
  const std::int64_t local = local_shards(c, team.ranks()), total = local * team.ranks(),
                     first = local * team.rank();
  std::vector<descent::Rng> data_rngs{data_rng}, noise_rngs{noise_rng};
  descent::Rng shard_master(master.next());
  for (std::int64_t s = 1; s < total; ++s) {
    data_rngs.emplace_back(shard_master.next());
    noise_rngs.emplace_back(shard_master.next());
  }
  using descent::nn::Activation;
  using descent::nn::ActivationKind;
  const Activation relu(ActivationKind::relu), leaky(ActivationKind::leaky_relu, kLeakySlope);
  const Eigen::Index n = c.batch / local, m = c.pack, packs = n / m, h = c.hidden;
  const Eigen::Index dh = c.d_hidden > 0 ? c.d_hidden : h;
  descent::nn::Mlp<float> g(mlp_widths(c.latent, h, c.g_layers, 2),
                            mlp_activations(relu, c.g_layers), init_rng,
                            descent::nn::Init::he_uniform);
  std::vector<Eigen::Index> d_widths = mlp_widths(2 * m, dh, c.d_layers, 1);
  if (c.d_first > 0) d_widths[1] = c.d_first;
  descent::nn::Mlp<float> d(d_widths, mlp_activations(leaky, c.d_layers), init_rng,
                            descent::nn::Init::he_uniform);

  const std::int64_t decay_start = std::int64_t(c.decay_start * double(c.steps));
  const Schedule schedule(Schedule::kind_by_name(c.schedule), decay_start, c.steps);
  const descent::CheckFinite check(non_finite_by_name(c.non_finite));
  descent::Optimizer<float, Rule, Schedule, descent::L2, descent::WeightDecay, descent::Ema,
                     descent::CheckFinite>
      g_opt(rule_options<Rule>(c, c.lr), schedule, descent::L2(c.l2),
            descent::WeightDecay(c.weight_decay),
            descent::Ema(c.ema, std::int64_t(c.ema_start * double(c.steps))), check);
  descent::Optimizer<float, Rule, Schedule, descent::L2, descent::WeightDecay, descent::CheckFinite>
      d_opt(rule_options<Rule>(c, c.d_lr > 0.0 ? c.d_lr : c.lr), schedule, descent::L2(c.l2),
            descent::WeightDecay(c.weight_decay), check);
  if (c.d_bias > 0.0) {
    auto& b = d.layer(0).bias();
    for (Eigen::Index i = 0; i < b.size(); ++i)
      b[i] = float(c.d_bias * (2.0 * init_rng.uniform() - 1.0));
  }
  g.add_to(g_opt, "gen");
  d.add_to(d_opt, "disc");
  // Collective: every process checks it built the same networks, then takes rank 0's weights.
  const std::function<void()> average_g = team.averager(g_opt), average_d = team.averager(d_opt);
  ShardMean<decltype(g_opt)> g_mean(g_opt, local);
  ShardMean<decltype(d_opt)> d_mean(d_opt, local);

  // Everything a run's future depends on: both optimizers (parameters, moments, EMA, step and
  // skip counters) and the generators still to be drawn from. A resumed run continues bit for
  // bit where the saved one was.
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", g_opt).add("disc", d_opt);
  // Every shard's generators, whichever process draws from them (shared before each save).
  for (std::int64_t s = 0; s < total; ++s) {
    const std::string suffix = s == 0 ? "" : "." + std::to_string(s);
    checkpoint.add_rng("data" + suffix, data_rngs[std::size_t(s)])
        .add_rng("noise" + suffix, noise_rngs[std::size_t(s)]);
  }
  checkpoint.add_rng("eval", eval_rng);
  const auto save = [&] {
    for (std::int64_t s = 0; s < total; ++s) {
      team.share(data_rngs[std::size_t(s)], int(s / local));
      team.share(noise_rngs[std::size_t(s)], int(s / local));
    }
    team.save(checkpoint, c.checkpoint);
  };
  Run run;
  run.processes = team.ranks();
  run.shards = total;
  if (!c.resume.empty()) {
    team.load(checkpoint, c.resume);  // strict: another network, rule or schedule is an error
    run.first_step = g_opt.step_count() + g_opt.skipped_steps();  // one G step per iteration
    if (run.first_step > c.steps) {
      throw std::invalid_argument("gan: --resume " + c.resume + " is at step " +
                                  std::to_string(run.first_step) + ", past --steps " +
                                  std::to_string(c.steps));
    }
  }
  const std::int64_t last = c.stop_after > 0 ? std::min(c.stop_after, c.steps) : c.steps;

  // Each shard's buffers, networks and latent draws: shard 0 trains g and d themselves; with
  // threads, every other shard has its own copies of both networks (parameters copied from g
  // and d before each phase, gradients combined into g's and d's in shard order afterwards).
  struct Shard {
    Matrix real, d_in, fake_in, d_grad, g_grad, z;
    PenaltyBuffers<float> penalty;  // --r1
  };
  std::vector<Shard> shards(static_cast<std::size_t>(local));
  for (Shard& b : shards) {
    b.real.resize(2, n);
    b.d_in.resize(2 * m, 2 * packs);
    b.fake_in.resize(2 * m, packs);
    b.z.resize(c.latent, n);
  }
  ShardThreads threads(c.threads, local);
  const bool threaded = threads.threads() > 1;
  run.threads = threads.threads();
  std::vector<descent::nn::Mlp<float>> g_copies, d_copies;  // shards 1.. when threaded
  if (threaded) {
    g_copies.assign(std::size_t(local - 1), g);
    d_copies.assign(std::size_t(local - 1), d);
  }
  const auto g_of = [&](std::int64_t s) -> descent::nn::Mlp<float>& {
    return s == 0 || !threaded ? g : g_copies[std::size_t(s - 1)];
  };
  const auto d_of = [&](std::int64_t s) -> descent::nn::Mlp<float>& {
    return s == 0 || !threaded ? d : d_copies[std::size_t(s - 1)];
  };
  Matrix d_targets(1, 2 * packs);
  // Real packs: 1 (or 1 - label smoothing, one-sided: Salimans et al. 2016), generated: 0.
  d_targets.leftCols(packs).setConstant(float(1.0 - c.label_smoothing));
  d_targets.rightCols(packs).setZero();
  std::vector<double> shard_loss(std::size_t(local), 0.0);
  double noise_std = 0.0;
  double r1 = 0.0;  // the R1 weight of the current step

  // One discriminator step's forward and backward on shard s (fresh data and latent draws).
  auto d_shard = [&](std::int64_t s) {
    Shard& b = shards[std::size_t(s)];
    descent::nn::Mlp<float>& gs = g_of(s);
    descent::nn::Mlp<float>& ds = d_of(s);
    if (threaded && s > 0) copy_parameters(g, gs), copy_parameters(d, ds);
    descent::Rng& data = data_rngs[std::size_t(first + s)];
    sample(mixture, data, b.real);
    b.real /= float(scale);
    for (Eigen::Index i = 0; i < b.z.size(); ++i) b.z.data()[i] = float(data.normal());
    const Matrix& fake = gs.forward(b.z);
    // PacGAN: m consecutive samples (columns) form one discriminator input of 2m rows, which
    // in column-major storage is the same memory seen as 2m x (n / m).
    b.d_in.leftCols(packs) = gain * Eigen::Map<const Matrix>(b.real.data(), 2 * m, packs);
    b.d_in.rightCols(packs) = gain * Eigen::Map<const Matrix>(fake.data(), 2 * m, packs);
    add_noise(b.d_in, gain * noise_std, noise_rngs[std::size_t(first + s)]);
    shard_loss[std::size_t(s)] =
        descent::nn::bce_with_logits(ds.forward(b.d_in), d_targets, b.d_grad);
    ds.backward(b.d_grad, descent::nn::Need::parameters);
    if (r1 > 0.0) add_r1_penalty(ds, packs, r1, kLeakySlope, b.penalty);  // on the real packs
  };
  // The generator's forward and backward on shard s, through the updated discriminator. A
  // shard's own generator still holds the forward of its latent draws (G has not changed since);
  // serially, g holds the last shard's, so the others are recomputed (the same values).
  auto g_shard = [&](std::int64_t s) {
    Shard& b = shards[std::size_t(s)];
    descent::nn::Mlp<float>& gs = g_of(s);
    descent::nn::Mlp<float>& ds = d_of(s);
    if (threaded && s > 0) copy_parameters(d, ds);
    const Matrix& fake = threaded || local == 1 ? gs.output() : gs.forward(b.z);
    b.fake_in = gain * Eigen::Map<const Matrix>(fake.data(), 2 * m, packs);
    add_noise(b.fake_in, gain * noise_std, noise_rngs[std::size_t(first + s)]);
    shard_loss[std::size_t(s)] =
        descent::nn::bce_with_logits(ds.forward(b.fake_in), Matrix::Ones(1, packs), b.g_grad);
    const Matrix& grad_fake = ds.backward(b.g_grad, descent::nn::Need::input);
    gs.backward(gain * Eigen::Map<const Matrix>(grad_fake.data(), 2, n),
                descent::nn::Need::parameters);
  };
  // Runs `job` on every shard and leaves the mean of their gradients in `net`'s (serially, the
  // ShardMean; threaded, the same sums in the same order from the copies) and returns the mean
  // of their losses.
  const auto all_shards = [&](auto& job, auto& mean, descent::nn::Mlp<float>& net,
                              std::vector<descent::nn::Mlp<float>>& copies) {
    if (threaded) {
      threads.run(job);
      mean_gradients(net, copies);
    } else {
      for (std::int64_t s = 0; s < local; ++s) {
        job(s);
        mean.add(s);
      }
      mean.finish();
    }
    double loss = 0.0;
    for (double l : shard_loss) loss += l;
    return loss / double(local);
  };

  run.d_loss.reserve(std::size_t(std::max<std::int64_t>(last - run.first_step, 0)));
  run.g_loss.reserve(run.d_loss.capacity());
  Progress progress(c.steps, c.progress && team.root(), run.first_step);
  const auto start = std::chrono::steady_clock::now();
  std::int64_t saved_at = run.first_step;
  std::int64_t t = run.first_step;
  try {
    for (; t < last; ++t) {
      noise_std = c.noise * spacing / scale * linear_fade(t, c.noise_end, c.steps);
      // Lazy R1 (Karras et al., 2020): every r1_every-th step, r1_every times the weight.
      r1 = t % c.r1_every != 0 ? 0.0 : double(c.r1_every) * c.r1;
      if (c.r1_end > 0.0) r1 *= linear_fade(t, c.r1_end, c.steps);
      double losses[2] = {0.0, 0.0};  // D's and G's, mean over the shards
      for (std::int64_t k = 0; k < c.d_steps; ++k) {
        losses[0] = all_shards(d_shard, d_mean, d, d_copies);
        average_d();
        d_opt.step();
      }

      // Non-saturating generator loss: -log D(G(z)), through the updated D.
      losses[1] = all_shards(g_shard, g_mean, g, g_copies);
      if (t + 1 == c.inject_nan && first == 0) poison(g);  // one process: the others get it too
      average_g();
      g_opt.step();
      team.mean(losses, 2);
      const double d_loss = losses[0], g_loss = losses[1];

      run.d_loss.push_back(float(d_loss));
      run.g_loss.push_back(float(g_loss));
      progress.step(t + 1, d_loss, g_loss);
      if (!c.checkpoint.empty() && (t + 1) % c.checkpoint_every == 0) {
        save();
        saved_at = t + 1;
      }
    }
  } catch (const descent::NonFiniteGradient& e) {
    const std::string last_saved =
        c.checkpoint.empty()
            ? std::string("no checkpoint (--checkpoint PATH keeps one)")
            : "the last checkpoint, " + c.checkpoint + ", holds step " + std::to_string(saved_at);
    throw std::runtime_error("gan: training stopped at step " + std::to_string(t + 1) + ": " +
                             e.what() + "; " + last_saved);
  }
  run.last_step = t;
  run.skipped_steps = g_opt.skipped_steps() + d_opt.skipped_steps();
  if (!c.checkpoint.empty() && saved_at != t) save();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.steps_per_second = run.seconds > 0.0 ? double(t - run.first_step) / run.seconds : 0.0;
  if (t < c.steps) return run;  // --stop-after: no evaluation

  // Evaluate the averaged generator weights (the EMA), then put the trained ones back; the
  // last weights are evaluated on the same latent draws for comparison.
  Matrix z_eval(c.latent, c.eval_samples);
  for (Eigen::Index i = 0; i < z_eval.size(); ++i) z_eval.data()[i] = float(eval_rng.normal());
  run.last_coverage = coverage(mixture, Eigen::Matrix2Xf(g.forward(z_eval) * float(scale)));
  if (c.ema > 0.0) g_opt.swap_averages();
  run.samples = g.forward(z_eval) * float(scale);
  if (c.ema > 0.0) g_opt.swap_averages();
  run.coverage = coverage(mixture, run.samples);
  return run;
}

/// Dispatches on c.optimizer; throws std::invalid_argument for an unknown name.
inline Run train(const Config& c, const Team& team = Team()) {
  using namespace descent::rules;
  if (c.optimizer == "adam") return train<Adam>(c, team);
  if (c.optimizer == "sgd") return train<Sgd>(c, team);
  if (c.optimizer == "momentum") return train<Momentum>(c, team);
  if (c.optimizer == "nesterov") return train<Nesterov>(c, team);
  if (c.optimizer == "rmsprop") return train<RMSprop>(c, team);
  if (c.optimizer == "adagrad") return train<Adagrad>(c, team);
  throw std::invalid_argument(
      "gan: --optimizer must be adam, sgd, momentum, nesterov, rmsprop "
      "or adagrad, got \"" +
      c.optimizer + "\"");
}

}  // namespace gan
