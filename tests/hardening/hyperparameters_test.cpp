// Hostile input: negative, NaN and infinite hyperparameters everywhere a setting enters:
// constructors, set_options / set_lr, policies, schedules, block options, and a checkpoint
// carrying them. Each throws std::invalid_argument (CheckpointError for a checkpoint) naming
// the owner, the setting and the value, and changes nothing. (tests/core/validation_test.cpp
// covers the rules' ranges; this adds NaN and the other entry points.)
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

using Catch::Matchers::Contains;
using Catch::Matchers::Message;

namespace {
const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("NaN settings of every rule are refused with the setting's name", "[hardening]") {
  using IA = std::invalid_argument;
  CHECK_THROWS_MATCHES(descent::Adam<float>(descent::AdamOptions(kNan)), IA,
                       Message("Adam: lr must be finite and >= 0, got nan"));
  CHECK_THROWS_MATCHES(descent::Adam<float>(descent::AdamOptions().betas(kNan, 0.9)), IA,
                       Message("Adam: beta1 must be in [0, 1), got nan"));
  CHECK_THROWS_MATCHES(descent::Adam<float>(descent::AdamOptions().eps(kNan)), IA,
                       Message("Adam: eps must be finite and >= 0, got nan"));
  CHECK_THROWS_MATCHES(descent::RMSprop<double>(descent::RMSpropOptions().alpha(kNan)), IA,
                       Message("RMSprop: alpha must be in [0, 1), got nan"));
  CHECK_THROWS_MATCHES(descent::Adagrad<double>(descent::AdagradOptions().lr_decay(kNan)), IA,
                       Message("Adagrad: lr_decay must be finite and >= 0, got nan"));
  CHECK_THROWS_WITH(descent::Momentum<double>(descent::MomentumOptions().momentum(kNan)),
                    Contains("momentum") && Contains("nan"));
  CHECK_THROWS_WITH(descent::Momentum<double>(descent::MomentumOptions().dampening(kNan)),
                    Contains("dampening") && Contains("nan"));
}

TEST_CASE("set_lr and set_options refuse negative and NaN values, keeping the old ones",
          "[hardening]") {
  Eigen::ArrayXd p = Eigen::ArrayXd::Ones(2), g = Eigen::ArrayXd::Ones(2);
  descent::Adam<double> opt(descent::AdamOptions(0.1));
  opt.add("p", p, g);
  CHECK_THROWS_MATCHES(opt.set_lr(-1e-3), std::invalid_argument,
                       Message("Adam: lr must be finite and >= 0, got -0.001"));
  CHECK_THROWS_MATCHES(opt.set_lr(kInf), std::invalid_argument,
                       Message("Adam: lr must be finite and >= 0, got inf"));
  CHECK_THROWS_AS(opt.set_options(descent::AdamOptions(0.1).betas(0.9, -0.5)),
                  std::invalid_argument);
  CHECK(opt.base_lr() == 0.1);
  CHECK(opt.options().beta2() == 0.999);
  CHECK_THROWS_MATCHES(
      opt.set_block_options("p", descent::BlockOptions().lr_multiplier(kNan)),
      std::invalid_argument,
      Message("Adam: block \"p\": lr_multiplier must be finite and >= 0, got nan"));
  CHECK(opt.block("p").options().lr_multiplier() == 1.0);
  opt.step();
  CHECK(p[0] == Approx(0.9));  // the old settings: lr 0.1, first Adam step
}

TEST_CASE("Policies and schedules refuse negative and NaN settings", "[hardening]") {
  using IA = std::invalid_argument;
  CHECK_THROWS_MATCHES(descent::L2(-1.0), IA,
                       Message("L2: lambda must be finite and >= 0, got -1"));
  CHECK_THROWS_MATCHES(descent::L1(kNan), IA,
                       Message("L1: lambda must be finite and >= 0, got nan"));
  CHECK_THROWS_MATCHES(descent::WeightDecay(-0.01), IA,
                       Message("WeightDecay: decay must be finite and >= 0, got -0.01"));
  CHECK_THROWS_MATCHES(descent::ClipGlobalNorm(kNan), IA,
                       Message("ClipGlobalNorm: max_norm must be finite and > 0, got nan"));
  CHECK_THROWS_MATCHES(descent::ClipValue(-1.0), IA,
                       Message("ClipValue: clip must be finite and > 0, got -1"));
  CHECK_THROWS_MATCHES(descent::Ema(kNan), IA, Message("Ema: decay must be in [0, 1), got nan"));
  CHECK_THROWS_MATCHES(descent::Exponential(-0.5), IA,
                       Message("Exponential: gamma must be finite and > 0, got -0.5"));
  CHECK_THROWS_MATCHES(descent::Cosine(100, kNan), IA,
                       Message("Cosine: min_lr must be finite and >= 0, got nan"));
  CHECK_THROWS_MATCHES(descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().factor(kNan)), IA,
                       Message("ReduceOnPlateau: factor must be in [0, 1), got nan"));
}

TEST_CASE("A checkpoint carrying a NaN setting is refused, changing nothing", "[hardening]") {
  Eigen::ArrayXd p = Eigen::ArrayXd::Ones(2), g = Eigen::ArrayXd::Ones(2);
  descent::Adam<double> saved(descent::AdamOptions(0.1));
  saved.add("p", p, g);
  std::string bytes = descent::Checkpoint().add("opt", saved).to_bytes();
  // The setting "beta2" (u64 length 5, the name, then the f64 value) in the payload.
  std::string field("\x05\0\0\0\0\0\0\0beta2", 13);
  const std::size_t at = bytes.find(field);
  REQUIRE(at != std::string::npos);
  std::memcpy(&bytes[at + field.size()], &kNan, sizeof kNan);
  const std::string payload = bytes.substr(20, bytes.size() - 24);
  bytes = descent::detail::seal_checkpoint(payload);

  Eigen::ArrayXd q = Eigen::ArrayXd::Zero(2), h = g;
  descent::Adam<double> live(descent::AdamOptions(0.2));
  live.add("p", q, h);
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", live);
  CHECK_THROWS_MATCHES(checkpoint.from_bytes(bytes, descent::LoadMode::partial),
                       descent::CheckpointError,
                       Message("checkpoint: optimizer \"opt\": the saved settings are invalid: "
                               "Adam: beta2 must be in [0, 1), got nan"));
  CHECK(live.base_lr() == 0.2);
  CHECK((q == 0.0).all());
}
