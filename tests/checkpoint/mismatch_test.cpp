// Loading checks names, shapes, scalar type, rule, schedule and policies, says exactly what
// differs, and (strict) loads nothing or (partial) loads the matching blocks.
#include <algorithm>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "checkpoint/harness.hpp"

namespace {

using Catch::Matchers::Contains;

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

template <class Opt>
std::string bytes_of(Opt& opt) {
  return descent::Checkpoint().add("gen", opt).to_bytes();
}

// Two blocks, "gen.dense1.weight" (rows x cols) and "gen.dense1.bias" (rows), trained 3 steps.
struct Layer {
  Eigen::MatrixXd w, gw;
  Eigen::VectorXd b, gb;
  Layer(Eigen::Index rows, Eigen::Index cols, double fill)
      : w(Eigen::MatrixXd::Constant(rows, cols, fill)),
        gw(Eigen::MatrixXd::Constant(rows, cols, 0.5)),
        b(Eigen::VectorXd::Constant(rows, fill)),
        gb(Eigen::VectorXd::Constant(rows, -0.5)) {}
  template <class Opt>
  void add_to(Opt& opt, const std::string& bias = "gen.dense1.bias") {
    opt.add("gen.dense1.weight", w, gw);
    opt.add(bias, b, gb);
  }
};

}  // namespace

TEST_CASE("A shape mismatch names the block and both shapes", "[checkpoint]") {
  Layer saved_layer(128, 2, 1.0), live_layer(128, 3, 2.0);
  descent::Adam<double> saved(descent::AdamOptions(0.1)), live(descent::AdamOptions(0.1));
  saved_layer.add_to(saved);
  live_layer.add_to(live);
  for (int i = 0; i < 3; ++i) saved.step();
  live.step();
  const std::string bytes = bytes_of(saved);
  const std::string expected =
      "block \"gen.dense1.weight\": saved shape 128x2, optimizer has 128x3";

  SECTION("strict: nothing is loaded") {
    const Layer before = live_layer;
    const auto adam_before = ckpt::state_arrays(live, "gen.dense1.bias");
    descent::Checkpoint checkpoint;
    checkpoint.add("gen", live);
    REQUIRE_THROWS_WITH(checkpoint.from_bytes(bytes), Contains(expected));
    REQUIRE(live.step_count() == 1);
    REQUIRE(live_layer.b == before.b);
    REQUIRE(live_layer.w == before.w);
    REQUIRE(live.state("gen.dense1.bias").steps == 1);
    REQUIRE(ckpt::state_arrays(live, "gen.dense1.bias")[0].matrix() == adam_before[0].matrix());
  }
  SECTION("partial: the bias is loaded, the weight reported") {
    descent::Checkpoint checkpoint;
    checkpoint.add("gen", live);
    const descent::CheckpointReport report =
        checkpoint.from_bytes(bytes, descent::LoadMode::partial);
    REQUIRE(report.problems == std::vector<std::string>{expected});
    REQUIRE(report.loaded == std::vector<std::string>{"gen.dense1.bias"});
    REQUIRE_FALSE(report.complete());
    REQUIRE(live_layer.b == saved_layer.b);
    REQUIRE(live.state("gen.dense1.bias").steps == 3);
    REQUIRE(live.step_count() == 3);
    REQUIRE((live_layer.w.array() == 2.0).all() == false);  // stepped once from 2.0, not loaded
    REQUIRE(live.state("gen.dense1.weight").steps == 1);
  }
}

TEST_CASE("Renamed blocks are reported on both sides", "[checkpoint]") {
  Layer saved_layer(4, 2, 1.0), live_layer(4, 2, 2.0);
  descent::Momentum<double> saved(descent::MomentumOptions(0.1)),
      live(descent::MomentumOptions(0.1));
  saved_layer.add_to(saved);
  live_layer.add_to(live, "gen.dense1.b");
  saved.step();
  const std::string bytes = bytes_of(saved);
  const std::string missing = "block \"gen.dense1.b\": not in the checkpoint";
  const std::string extra = "block \"gen.dense1.bias\": in the checkpoint, not in the optimizer";
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", live);

  SECTION("strict") {
    REQUIRE_THROWS_AS(checkpoint.from_bytes(bytes), descent::CheckpointError);
    REQUIRE_THROWS_WITH(checkpoint.from_bytes(bytes), Contains(missing) && Contains(extra));
    REQUIRE((live_layer.w.array() == 2.0).all());
    REQUIRE(live.step_count() == 0);
  }
  SECTION("partial") {
    const auto report = checkpoint.from_bytes(bytes, descent::LoadMode::partial);
    REQUIRE(report.problems.size() == 2);
    REQUIRE(has(report.problems, missing));
    REQUIRE(has(report.problems, extra));
    REQUIRE(report.loaded == std::vector<std::string>{"gen.dense1.weight"});
    REQUIRE(live_layer.w == saved_layer.w);
    REQUIRE((live_layer.b.array() == 2.0).all());
  }
}

TEST_CASE("A checkpoint of another scalar type is refused in both modes", "[checkpoint]") {
  Eigen::MatrixXd wd = Eigen::MatrixXd::Ones(2, 2), gd = wd;
  Eigen::MatrixXf wf = Eigen::MatrixXf::Zero(2, 2), gf = wf;
  descent::Adam<double> saved;
  descent::Adam<float> live;
  saved.add("w", wd, gd);
  live.add("w", wf, gf);
  saved.step();
  const std::string bytes = bytes_of(saved);
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", live);
  for (descent::LoadMode mode : {descent::LoadMode::strict, descent::LoadMode::partial}) {
    REQUIRE_THROWS_WITH(
        checkpoint.from_bytes(bytes, mode),
        Contains("optimizer \"gen\": saved scalar type double, optimizer has float"));
    REQUIRE((wf.array() == 0.0f).all());
    REQUIRE(live.step_count() == 0);
  }
}

TEST_CASE("A checkpoint of another rule is refused in both modes", "[checkpoint]") {
  Layer saved_layer(2, 2, 1.0), live_layer(2, 2, 2.0);
  descent::Adam<double> saved;
  descent::RMSprop<double> live;
  saved_layer.add_to(saved);
  live_layer.add_to(live);
  saved.step();
  const std::string bytes = bytes_of(saved);
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", live);
  for (descent::LoadMode mode : {descent::LoadMode::strict, descent::LoadMode::partial}) {
    REQUIRE_THROWS_WITH(checkpoint.from_bytes(bytes, mode),
                        Contains("optimizer \"gen\": saved rule Adam, optimizer has RMSprop"));
    REQUIRE((live_layer.w.array() == 2.0).all());
  }
}

TEST_CASE("A different structural setting (AMSGrad) is refused in both modes", "[checkpoint]") {
  Layer saved_layer(2, 2, 1.0), live_layer(2, 2, 2.0);
  descent::Adam<double> saved(descent::AdamOptions().amsgrad(true)), live;
  saved_layer.add_to(saved);
  live_layer.add_to(live);
  saved.step();
  const std::string bytes = bytes_of(saved);
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", live);
  for (descent::LoadMode mode : {descent::LoadMode::strict, descent::LoadMode::partial}) {
    REQUIRE_THROWS_WITH(
        checkpoint.from_bytes(bytes, mode),
        Contains("optimizer \"gen\": amsgrad: saved 1, optimizer has 0 (structural settings"));
    REQUIRE_FALSE(live.options().amsgrad());
    REQUIRE((live_layer.w.array() == 2.0).all());
  }
}

TEST_CASE("A different schedule or policy is reported; partial loads the blocks", "[checkpoint]") {
  Layer saved_layer(2, 2, 1.0), live_layer(2, 2, 2.0);
  descent::Sgd<double, descent::Cosine, descent::L2> saved(descent::SgdOptions(0.1),
                                                           descent::Cosine(12), descent::L2(0.01));
  descent::Sgd<double, descent::Cosine, descent::L2> live(descent::SgdOptions(0.1),
                                                          descent::Cosine(20), descent::L2(0.02));
  saved_layer.add_to(saved);
  live_layer.add_to(live);
  saved.step();
  const std::string bytes = bytes_of(saved);
  const std::string policies =
      "optimizer \"gen\": saved policies [L2(lambda=0.01)], optimizer has [L2(lambda=0.02)]";
  descent::Checkpoint checkpoint;
  checkpoint.add("gen", live);
  REQUIRE_THROWS_WITH(checkpoint.from_bytes(bytes),
                      Contains("saved schedule differs") && Contains(policies));
  REQUIRE((live_layer.w.array() == 2.0).all());
  const auto report = checkpoint.from_bytes(bytes, descent::LoadMode::partial);
  REQUIRE(report.problems.size() == 2);
  REQUIRE(has(report.problems, policies));
  REQUIRE(live_layer.w == saved_layer.w);
  REQUIRE(live.step_count() == 1);
}

TEST_CASE("ReduceOnPlateau against another schedule, and different plateau settings",
          "[checkpoint]") {
  Layer a(2, 2, 1.0), b(2, 2, 2.0), c(2, 2, 3.0);
  descent::Sgd<double, descent::ReduceOnPlateau> plateau(
      descent::SgdOptions(0.1), descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions()));
  descent::Sgd<double, descent::ReduceOnPlateau> other_plateau(
      descent::SgdOptions(0.1),
      descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().factor(0.5)));
  descent::Sgd<double> constant(descent::SgdOptions(0.1));
  a.add_to(plateau);
  b.add_to(other_plateau);
  c.add_to(constant);
  plateau.schedule().report(1.0);
  descent::Checkpoint to_constant, to_other;
  to_constant.add("gen", constant);
  to_other.add("gen", other_plateau);
  REQUIRE_THROWS_WITH(
      to_constant.from_bytes(bytes_of(plateau)),
      Contains("saved schedule is ReduceOnPlateau, the optimizer's is a function of "
               "the step"));
  REQUIRE_THROWS_WITH(to_other.from_bytes(bytes_of(plateau)),
                      Contains("factor: saved 0.1, optimizer has 0.5"));
  REQUIRE(other_plateau.schedule().last_epoch() == 0);
  const auto report = to_other.from_bytes(bytes_of(plateau), descent::LoadMode::partial);
  REQUIRE(report.problems.size() == 1);
  REQUIRE(other_plateau.schedule().last_epoch() == 0);  // the schedule's state is not taken
  REQUIRE(b.w == a.w);
}

TEST_CASE("Missing and extra optimizers and generators are reported", "[checkpoint]") {
  Layer a(2, 2, 1.0), b(2, 2, 2.0);
  descent::Sgd<double> saved(descent::SgdOptions(0.1)), live(descent::SgdOptions(0.1));
  a.add_to(saved);
  b.add_to(live);
  descent::Rng saved_rng(1), live_rng(2), extra_rng(3);
  saved_rng.next();
  const std::string bytes =
      descent::Checkpoint().add("gen", saved).add_rng("dropout", saved_rng).to_bytes();
  descent::Checkpoint checkpoint;
  checkpoint.add("disc", live).add_rng("shuffle", extra_rng);
  REQUIRE_THROWS_WITH(checkpoint.from_bytes(bytes),
                      Contains("optimizer \"disc\": not in the checkpoint") &&
                          Contains("optimizer \"gen\": in the checkpoint, not added") &&
                          Contains("generator \"shuffle\": not in the checkpoint") &&
                          Contains("generator \"dropout\": in the checkpoint, not added"));
  descent::Checkpoint matching;
  matching.add("gen", live).add_rng("dropout", live_rng);
  REQUIRE(matching.from_bytes(bytes).complete());
  REQUIRE(live_rng == saved_rng);
  REQUIRE(b.w == a.w);
}

TEST_CASE("Checkpoint names must be distinct and non-empty", "[checkpoint]") {
  descent::Sgd<double> opt;
  descent::Rng rng;
  descent::Checkpoint checkpoint;
  checkpoint.add("a", opt);
  REQUIRE_THROWS_AS(checkpoint.add("a", opt), std::invalid_argument);
  REQUIRE_THROWS_AS(checkpoint.add_rng("a", rng), std::invalid_argument);
  REQUIRE_THROWS_AS(checkpoint.add_rng("", rng), std::invalid_argument);
}
