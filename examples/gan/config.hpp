#pragma once
// The GAN demo's settings, their defaults, and the command-line parser.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <descent/detail/format.hpp>

namespace gan {

/// Every setting of a run; the defaults are the configuration the README's table measures.
struct Config {
  std::string dataset = "ring";
  std::int64_t steps = 80000;  // generator (and discriminator) updates
  std::uint64_t seed = 1;
  std::string optimizer = "adam";  // adam, sgd, momentum, nesterov, rmsprop, adagrad
  double lr = 1e-3;
  double beta1 = 0.5, beta2 = 0.999;  // Adam; beta1 is also the momentum of momentum/nesterov
  std::string schedule = "linear";    // constant, linear, cosine
  double decay_start = 0.75;          // fraction of the steps after which the rate decays
  double l2 = 0.0, weight_decay = 0.0;
  double ema = 0.999;            // decay of the generator's weight average (0: off)
  double ema_start = 0.75;       // fraction of the steps after which the average starts
  double d_bias = 1.0;           // D's first-layer biases start uniform in [-X, X]
  double d_lr = 0.0;             // discriminator's base rate (0: same as lr)
  std::int64_t d_steps = 1;      // discriminator updates per generator update
  double label_smoothing = 0.0;  // D's target for real packs is 1 - this (one-sided)
  double r1 = 0.03;              // R1 gradient penalty weight gamma on D (0: off) at step 0
  double r1_end = 0.75;          // fraction of the steps at which it reaches 0 (0: constant)
  std::int64_t r1_every = 4;     // lazy R1: on every k-th D step only, with weight k * gamma
  std::int64_t batch = 64;       // samples per step and process (real and generated each)
  std::int64_t shards = 0;       // the batch is split into this many shards, gradients averaged
                                 // (0: 2 in a single process, 1 per process under mpirun)
  std::int64_t threads = 2;      // threads computing this process's shards (at most its shards)
  std::int64_t pack = 2;         // PacGAN: samples per discriminator input
  double noise = 0.2;            // instance noise std (in mean spacings) at step 0
  double noise_end = 0.75;       // fraction of the steps at which it reaches 0
  double d_gain = 1.0;           // D's inputs are the normalized data times this
  std::int64_t hidden = 128, latent = 8;
  std::int64_t d_hidden = 0;  // discriminator's hidden width (0: same as hidden)
  std::int64_t d_first = 0;   // discriminator's first hidden layer width (0: same as d_hidden)
  std::int64_t g_layers = 2, d_layers = 3;  // hidden layers of G and D
  std::int64_t eval_samples = 2500;
  std::string out = "";                  // file prefix for CSV/PNG ("" = gan_<dataset>)
  std::string checkpoint = "";           // saved every checkpoint_every steps and at the end
  std::int64_t checkpoint_every = 1000;  // steps between saves
  std::string resume = "";               // checkpoint to continue from
  std::int64_t stop_after = 0;           // stop (and save) after this step, 0 = run all steps
  std::string non_finite = "skip";       // NaN/Inf gradient: skip the step, or raise (stop)
  std::int64_t inject_nan = 0;           // put a NaN into G's gradient at this step (0 = never)
  bool files = true, json = false, progress = true;
};

/// The shards of the batch this process computes: --shards, or by default 2 in a single process
/// (when the batch splits into two halves of whole packs) and 1 per process under mpirun, so
/// that `mpirun -np K gan --batch N` is `gan --shards K --batch K*N`.
inline std::int64_t local_shards(const Config& c, int processes) {
  if (c.shards > 0) return c.shards;
  return processes == 1 && c.batch % (2 * c.pack) == 0 ? 2 : 1;
}

/// The --help text.
inline std::string usage() {
  return "usage: gan [options]\n"
         "  --dataset ring|grid    mixture to learn (default ring)\n"
         "  --steps N              training steps (default 80000)\n"
         "  --seed S               seed of every random draw (default 1)\n"
         "  --optimizer NAME       adam|sgd|momentum|nesterov|rmsprop|adagrad (default adam)\n"
         "  --lr X                 base learning rate, G and D (default 1e-3)\n"
         "  --beta1 X --beta2 X    Adam betas (default 0.5, 0.999); beta1 = momentum for\n"
         "                         momentum/nesterov/rmsprop\n"
         "  --schedule NAME        constant|linear|cosine (default linear: constant, then a\n"
         "                         linear decay to 0)\n"
         "  --decay-start F        fraction of the steps where the decay starts (default 0.75)\n"
         "  --l2 X                 coupled L2 on weights (default 0)\n"
         "  --weight-decay X       decoupled weight decay on weights (default 0)\n"
         "  --ema X                generator weight EMA decay, 0 = off (default 0.999)\n"
         "  --ema-start F          fraction of the steps where the EMA starts (default 0.75)\n"
         "  --d-bias X             D's first-layer biases start uniform in [-X, X] (default 1)\n"
         "  --d-lr X               discriminator base learning rate, 0 = --lr (default 0)\n"
         "  --d-steps N            discriminator updates per generator update (default 1)\n"
         "  --label-smoothing X    one-sided: D's target for real packs is 1 - X, in [0, 0.5)\n"
         "                         (default 0)\n"
         "  --r1 X                 R1 penalty (X/2) |grad D(real)|^2 on D, 0 = off (default 0.03)\n"
         "  --r1-end F             fraction of the steps where the penalty reaches 0, linearly;\n"
         "                         0 = constant (default 0.75)\n"
         "  --r1-every K           lazy R1: only every K-th D step, K times the weight\n"
         "                         (default 4)\n"
         "  --batch N              samples per step of this process (default 64)\n"
         "  --shards K             split the batch into K shards with their own random streams\n"
         "                         and average their gradients: what K processes under\n"
         "                         mpirun -np K with --batch N/K compute (default 0:\n"
         "                         2 in a single process, 1 per process under mpirun)\n"
         "  --threads N            compute the shards on N threads (at most the shards); the\n"
         "                         result is bit for bit the one-thread result (default 2)\n"
         "  --pack N               PacGAN packing: samples per D input (default 2)\n"
         "  --noise X              instance noise std at step 0, in mode spacings (default 0.2)\n"
         "  --noise-end F          fraction of the steps where the noise reaches 0 (default 0.75)\n"
         "  --d-gain X             D sees the data (scaled into [-1, 1]) times X (default 1)\n"
         "  --hidden N --latent N  hidden width (default 128), noise dimension (default 8)\n"
         "  --d-hidden N           discriminator hidden width, 0 = --hidden (default 0)\n"
         "  --d-first N            discriminator's first hidden layer width, 0 = --d-hidden\n"
         "                         (default 0)\n"
         "  --g-layers N --d-layers N  hidden layers of G and D (default 2, 3)\n"
         "  --checkpoint PATH      save the run to PATH (atomically) every --checkpoint-every\n"
         "                         steps and at the end\n"
         "  --checkpoint-every N   steps between checkpoints (default 1000)\n"
         "  --resume PATH          continue the run saved in PATH (same options, bit for bit)\n"
         "  --stop-after N         stop after step N (saving the checkpoint), as if interrupted\n"
         "  --non-finite ACTION    a NaN/Inf gradient: skip the step and go on, or raise: stop\n"
         "                         with the last checkpoint intact (default skip)\n"
         "  --inject-nan N         put a NaN into G's gradient at step N (tests the above)\n"
         "  --out PREFIX           output files PREFIX_samples.csv/.png, PREFIX_losses.csv/.png\n"
         "                         (default gan_<dataset>)\n"
         "  --no-files             write no files\n"
         "  --no-progress          no progress display\n"
         "  --json                 print one JSON object with the metrics (no progress display)\n"
         "  --help                 this text\n";
}

namespace detail {
inline double parse_double(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v == v)) {
    throw std::invalid_argument("gan: " + flag + " expects a number, got \"" + text + "\"");
  }
  return v;
}
inline std::int64_t parse_int(const std::string& flag, const std::string& text, std::int64_t min) {
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min) {
    throw std::invalid_argument("gan: " + flag + " expects an integer >= " + std::to_string(min) +
                                ", got \"" + text + "\"");
  }
  return v;
}
inline void require(bool ok, const std::string& flag, const std::string& rule, double v) {
  if (!ok) {
    throw std::invalid_argument("gan: " + flag + " must be " + rule + ", got " +
                                descent::detail::format_value(v));
  }
}
}  // namespace detail

/// Parses the arguments (without the program name); throws std::invalid_argument with a
/// message naming the flag and value for an unknown flag, a missing value or a bad value.
/// Returns false when --help was given.
inline bool parse(const std::vector<std::string>& args, Config& c) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw std::invalid_argument("gan: " + flag + " needs a value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") return false;
    if (flag == "--dataset")
      c.dataset = value();
    else if (flag == "--steps")
      c.steps = detail::parse_int(flag, value(), 1);
    else if (flag == "--seed")
      c.seed = std::uint64_t(detail::parse_int(flag, value(), 0));
    else if (flag == "--optimizer")
      c.optimizer = value();
    else if (flag == "--lr")
      c.lr = detail::parse_double(flag, value());
    else if (flag == "--beta1")
      c.beta1 = detail::parse_double(flag, value());
    else if (flag == "--beta2")
      c.beta2 = detail::parse_double(flag, value());
    else if (flag == "--schedule")
      c.schedule = value();
    else if (flag == "--decay-start")
      c.decay_start = detail::parse_double(flag, value());
    else if (flag == "--l2")
      c.l2 = detail::parse_double(flag, value());
    else if (flag == "--weight-decay")
      c.weight_decay = detail::parse_double(flag, value());
    else if (flag == "--ema")
      c.ema = detail::parse_double(flag, value());
    else if (flag == "--ema-start")
      c.ema_start = detail::parse_double(flag, value());
    else if (flag == "--d-bias")
      c.d_bias = detail::parse_double(flag, value());
    else if (flag == "--d-lr")
      c.d_lr = detail::parse_double(flag, value());
    else if (flag == "--d-steps")
      c.d_steps = detail::parse_int(flag, value(), 1);
    else if (flag == "--label-smoothing")
      c.label_smoothing = detail::parse_double(flag, value());
    else if (flag == "--r1")
      c.r1 = detail::parse_double(flag, value());
    else if (flag == "--r1-end")
      c.r1_end = detail::parse_double(flag, value());
    else if (flag == "--r1-every")
      c.r1_every = detail::parse_int(flag, value(), 1);
    else if (flag == "--d-hidden")
      c.d_hidden = detail::parse_int(flag, value(), 0);
    else if (flag == "--d-first")
      c.d_first = detail::parse_int(flag, value(), 0);
    else if (flag == "--g-layers")
      c.g_layers = detail::parse_int(flag, value(), 1);
    else if (flag == "--d-layers")
      c.d_layers = detail::parse_int(flag, value(), 1);
    else if (flag == "--batch")
      c.batch = detail::parse_int(flag, value(), 1);
    else if (flag == "--shards")
      c.shards = detail::parse_int(flag, value(), 0);
    else if (flag == "--threads")
      c.threads = detail::parse_int(flag, value(), 1);
    else if (flag == "--pack")
      c.pack = detail::parse_int(flag, value(), 1);
    else if (flag == "--noise")
      c.noise = detail::parse_double(flag, value());
    else if (flag == "--noise-end")
      c.noise_end = detail::parse_double(flag, value());
    else if (flag == "--d-gain")
      c.d_gain = detail::parse_double(flag, value());
    else if (flag == "--hidden")
      c.hidden = detail::parse_int(flag, value(), 1);
    else if (flag == "--latent")
      c.latent = detail::parse_int(flag, value(), 1);
    else if (flag == "--checkpoint")
      c.checkpoint = value();
    else if (flag == "--checkpoint-every")
      c.checkpoint_every = detail::parse_int(flag, value(), 1);
    else if (flag == "--resume")
      c.resume = value();
    else if (flag == "--stop-after")
      c.stop_after = detail::parse_int(flag, value(), 1);
    else if (flag == "--non-finite")
      c.non_finite = value();
    else if (flag == "--inject-nan")
      c.inject_nan = detail::parse_int(flag, value(), 1);
    else if (flag == "--out")
      c.out = value();
    else if (flag == "--no-files")
      c.files = false;
    else if (flag == "--no-progress")
      c.progress = false;
    else if (flag == "--json")
      c.json = true;
    else
      throw std::invalid_argument("gan: unknown option \"" + flag + "\" (see --help)");
  }
  detail::require(c.batch % c.pack == 0, "--batch", "a multiple of --pack", double(c.batch));
  detail::require(c.shards <= 1 || c.batch % (c.pack * c.shards) == 0, "--batch",
                  "a multiple of --pack times --shards", double(c.batch));
  detail::require(c.decay_start >= 0.0 && c.decay_start < 1.0, "--decay-start", "in [0, 1)",
                  c.decay_start);
  detail::require(c.d_gain > 0.0, "--d-gain", "> 0", c.d_gain);
  detail::require(c.noise >= 0.0, "--noise", ">= 0", c.noise);
  detail::require(c.noise_end > 0.0 && c.noise_end <= 1.0, "--noise-end", "in (0, 1]", c.noise_end);
  detail::require(c.ema_start >= 0.0 && c.ema_start < 1.0, "--ema-start", "in [0, 1)", c.ema_start);
  detail::require(c.d_lr >= 0.0, "--d-lr", ">= 0", c.d_lr);
  detail::require(c.d_bias >= 0.0, "--d-bias", ">= 0", c.d_bias);
  detail::require(c.r1 >= 0.0 && std::isfinite(c.r1), "--r1", "finite and >= 0", c.r1);
  detail::require(c.r1_end >= 0.0 && c.r1_end <= 1.0, "--r1-end", "in [0, 1]", c.r1_end);
  detail::require(c.label_smoothing >= 0.0 && c.label_smoothing < 0.5, "--label-smoothing",
                  "in [0, 0.5)", c.label_smoothing);
  if (c.non_finite != "skip" && c.non_finite != "raise") {
    throw std::invalid_argument("gan: --non-finite must be skip or raise, got \"" + c.non_finite +
                                "\"");
  }
  if (c.json) c.progress = false;
  return true;
}

}  // namespace gan
