// A short GAN run on the ring: finite losses, consistent metrics, reproducible from the seed.
#include <catch2/catch.hpp>
#include <cmath>

#include "../../examples/gan/trainer.hpp"
#include "short_config.hpp"

namespace {
gan::Config short_config() { return descent_test::short_gan_config("ring", 300); }
}  // namespace

TEST_CASE("A short GAN run on the ring has finite losses and consistent metrics", "[gan]") {
  const gan::Config c = short_config();
  const gan::Run run = gan::train(c);
  REQUIRE(run.d_loss.size() == 300);
  REQUIRE(run.g_loss.size() == 300);
  for (std::size_t t = 0; t < run.d_loss.size(); ++t) {
    INFO("step " << t);
    REQUIRE(std::isfinite(run.d_loss[t]));
    REQUIRE(std::isfinite(run.g_loss[t]));
  }
  CHECK(run.samples.cols() == 2500);
  CHECK(run.samples.allFinite());
  const gan::Coverage& v = run.coverage;
  CHECK(v.modes_total == 8);
  Eigen::Index total = 0;
  for (Eigen::Index count : v.mode_counts) total += count;
  CHECK(total == v.high_quality);
  CHECK(v.high_quality_fraction == double(v.high_quality) / 2500.0);
  CHECK(run.steps_per_second > 0.0);
}

TEST_CASE("A GAN run is reproducible from its seed, and another seed differs", "[gan]") {
  gan::Config c = short_config();
  c.steps = 50;
  const gan::Run a = gan::train(c), b = gan::train(c);
  CHECK(a.d_loss == b.d_loss);
  CHECK(a.samples == b.samples);
  c.seed = 2;
  CHECK(gan::train(c).samples != a.samples);
}

TEST_CASE("GAN options: unknown flags and bad values are clear errors", "[gan]") {
  gan::Config c;
  CHECK_THROWS_WITH(gan::parse({"--bogus"}, c), "gan: unknown option \"--bogus\" (see --help)");
  CHECK_THROWS_WITH(gan::parse({"--steps", "ten"}, c),
                    "gan: --steps expects an integer >= 1, got \"ten\"");
  CHECK_THROWS_WITH(gan::parse({"--lr"}, c), "gan: --lr needs a value");
  CHECK_THROWS_WITH(gan::parse({"--batch", "10", "--pack", "4"}, c),
                    "gan: --batch must be a multiple of --pack, got 10");
  CHECK_THROWS_WITH(gan::parse({"--batch", "12", "--pack", "2", "--shards", "4"}, c),
                    "gan: --batch must be a multiple of --pack times --shards, got 12");
  CHECK_THROWS_WITH(gan::parse({"--shards", "-1"}, c),
                    "gan: --shards expects an integer >= 0, got \"-1\"");
  CHECK_THROWS_WITH(gan::parse({"--threads", "0"}, c),
                    "gan: --threads expects an integer >= 1, got \"0\"");
  c = gan::Config();  // the parses above left a bad --batch in c
  CHECK_THROWS_WITH(gan::parse({"--label-smoothing", "0.5"}, c),
                    "gan: --label-smoothing must be in [0, 0.5), got 0.5");
  CHECK_THROWS_WITH(gan::parse({"--label-smoothing", "-0.1"}, c),
                    "gan: --label-smoothing must be in [0, 0.5), got -0.1");
  gan::Config d;
  d.optimizer = "lbfgs";
  CHECK_THROWS_WITH(gan::train(d),
                    "gan: --optimizer must be adam, sgd, momentum, nesterov, "
                    "rmsprop or adagrad, got \"lbfgs\"");
  gan::Config e;
  CHECK(gan::parse({"--dataset", "grid", "--seed", "3", "--json"}, e));
  CHECK(e.dataset == "grid");
  CHECK(e.seed == 3);
  CHECK_FALSE(e.progress);
  CHECK_FALSE(gan::parse({"--help"}, e));
}

TEST_CASE("One-sided label smoothing changes only the discriminator's real targets", "[gan]") {
  gan::Config c = short_config();
  c.steps = 20;
  const gan::Run plain = gan::train(c);
  REQUIRE(gan::parse({"--label-smoothing", "0.1"}, c));
  CHECK(c.label_smoothing == 0.1);
  const gan::Run smoothed = gan::train(c);
  // Same data, noise and initial weights: D's first loss moves by 0.1 x the real packs' logits
  // summed and divided by all packs (real and generated), and everything trained after it moves.
  CHECK(smoothed.d_loss[0] != plain.d_loss[0]);
  CHECK(smoothed.samples != plain.samples);
  c.label_smoothing = 0.0;
  CHECK(gan::train(c).samples == plain.samples);
}

TEST_CASE("A sharded GAN run averages its shards: one shard is the plain run", "[gan]") {
  gan::Config c = short_config();
  c.steps = 40;
  const gan::Run plain = gan::train(c);
  c.shards = 1;
  CHECK(gan::train(c).samples == plain.samples);
  // Two shards of 32: other data (shard 1 has its own generators), same batch in all.
  c.shards = 2;
  const gan::Run a = gan::train(c), b = gan::train(c);
  CHECK(a.samples == b.samples);
  CHECK(a.samples != plain.samples);
  CHECK(a.samples.allFinite());
  for (std::size_t t = 0; t < a.d_loss.size(); ++t) REQUIRE(std::isfinite(a.d_loss[t]));
}

TEST_CASE("Shards on threads give bit for bit the shards computed one after the other", "[gan]") {
  gan::Config c = short_config();
  c.steps = 60;
  c.shards = 2;
  const gan::Run serial = gan::train(c);
  c.threads = 2;
  const gan::Run threaded = gan::train(c);
  CHECK(threaded.d_loss == serial.d_loss);
  CHECK(threaded.g_loss == serial.g_loss);
  CHECK(threaded.samples == serial.samples);
  CHECK(threaded.last_coverage.high_quality == serial.last_coverage.high_quality);
  // Three shards on two threads (thread 0 computes shards 0 and 2), two D steps per G step,
  // the grid: the same as one thread.
  c.dataset = "grid";
  c.shards = 3;
  c.batch = 60;
  c.d_steps = 2;
  c.threads = 1;
  const gan::Run serial3 = gan::train(c);
  c.threads = 2;
  const gan::Run threaded3 = gan::train(c);
  CHECK(threaded3.d_loss == serial3.d_loss);
  CHECK(threaded3.g_loss == serial3.g_loss);
  CHECK(threaded3.samples == serial3.samples);
  // More threads than shards: one per shard.
  c.threads = 8;
  CHECK(gan::train(c).samples == serial3.samples);
}

TEST_CASE("By default a single process computes two shards on two threads", "[gan]") {
  gan::Config defaults;
  CHECK(gan::local_shards(defaults, 1) == 2);
  CHECK(gan::local_shards(defaults, 2) == 1);  // mpirun -np 2: one shard per process
  defaults.batch = 6;                          // 3 packs of 2 do not split in halves
  CHECK(gan::local_shards(defaults, 1) == 1);
  gan::Config c = short_config();
  c.steps = 40;
  c.shards = 2;
  const gan::Run serial = gan::train(c);
  c.shards = gan::Config().shards;
  c.threads = gan::Config().threads;
  const gan::Run by_default = gan::train(c);
  CHECK(by_default.shards == 2);
  CHECK(by_default.threads == 2);
  CHECK(by_default.samples == serial.samples);
  CHECK(by_default.d_loss == serial.d_loss);
}
