// Exact resume: N steps, save, load into a fresh optimizer over fresh parameters, M more steps
// equals N + M uninterrupted steps, bit for bit, for every rule, with a schedule.
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "checkpoint/harness.hpp"

namespace {

constexpr std::int64_t kBefore = 7;  // N
constexpr std::int64_t kAfter = 9;   // M

// `make()` builds the optimizer; each run gets a new one over a new model.
template <class S, class Make>
void check_exact_resume(Make make) {
  ckpt::Model<S> straight_model;
  auto straight = make();
  straight_model.add_to(straight);
  ckpt::train(straight, straight_model, 0, kBefore + kAfter);

  ckpt::Model<S> first_model;
  auto first = make();
  first_model.add_to(first);
  ckpt::train(first, first_model, 0, kBefore);
  const std::string bytes = descent::Checkpoint().add("opt", first).to_bytes();

  // Fresh objects whose values and state differ from the saved ones until the load.
  ckpt::Model<S> resumed_model(S(3));
  auto resumed = make();
  resumed_model.add_to(resumed);
  resumed.set_block_options("b", descent::BlockOptions());
  REQUIRE_FALSE(ckpt::same_bits(resumed_model.w, first_model.w));
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", resumed);
  const descent::CheckpointReport report = checkpoint.from_bytes(bytes);
  REQUIRE(report.complete());
  REQUIRE(report.loaded == std::vector<std::string>{"w", "b"});
  ckpt::require_same_optimizer(first, resumed);
  REQUIRE(ckpt::same_bits(resumed_model.w, first_model.w));

  ckpt::train(resumed, resumed_model, kBefore, kBefore + kAfter);
  REQUIRE(resumed_model.w == straight_model.w);
  REQUIRE(resumed_model.b == straight_model.b);
  ckpt::require_same_optimizer(straight, resumed);
}

// Both with a pure schedule (a cosine decay) and with ReduceOnPlateau's state; `policies` are
// the constructor's arguments after the schedule (AdamW's WeightDecay).
template <class S, template <class, class, class...> class Opt, class Options, class... Policies>
void check_rule(const Options& options, Policies... policies) {
  SECTION("with a cosine schedule") {
    check_exact_resume<S>(
        [&] { return Opt<S, descent::Cosine>(options, descent::Cosine(12, 1e-4), policies...); });
  }
  SECTION("with ReduceOnPlateau") {
    const auto plateau =
        descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(2).factor(0.5));
    check_exact_resume<S>(
        [&] { return Opt<S, descent::ReduceOnPlateau>(options, plateau, policies...); });
  }
}

}  // namespace

TEMPLATE_TEST_CASE("Sgd resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::Sgd>(descent::SgdOptions(0.05));
}

TEMPLATE_TEST_CASE("Momentum resumes bit for bit from a checkpoint", "[checkpoint]", float,
                   double) {
  check_rule<TestType, descent::Momentum>(
      descent::MomentumOptions(0.05).momentum(0.9).dampening(0.1));
}

TEMPLATE_TEST_CASE("Nesterov resumes bit for bit from a checkpoint", "[checkpoint]", float,
                   double) {
  check_rule<TestType, descent::Nesterov>(descent::MomentumOptions(0.05).momentum(0.8));
}

TEMPLATE_TEST_CASE("Adam resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::Adam>(descent::AdamOptions(0.05));
}

TEMPLATE_TEST_CASE("AMSGrad resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::Adam>(descent::AdamOptions(0.05).amsgrad(true));
}

TEMPLATE_TEST_CASE("RMSprop resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::RMSprop>(descent::RMSpropOptions(0.01));
}

TEMPLATE_TEST_CASE("Centered RMSprop with momentum resumes bit for bit from a checkpoint",
                   "[checkpoint]", float, double) {
  check_rule<TestType, descent::RMSprop>(
      descent::RMSpropOptions(0.01).centered(true).momentum(0.5));
}

TEMPLATE_TEST_CASE("Adagrad resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::Adagrad>(
      descent::AdagradOptions(0.1).lr_decay(0.01).initial_accumulator_value(0.1));
}

TEMPLATE_TEST_CASE("AdamW resumes bit for bit from a checkpoint", "[checkpoint]", float, double) {
  check_rule<TestType, descent::AdamW>(descent::AdamOptions(0.05), descent::WeightDecay(0.05));
}

TEMPLATE_TEST_CASE("Adam with L2, global clipping and an EMA resumes bit for bit", "[checkpoint]",
                   float, double) {
  using S = TestType;
  using Opt = descent::Optimizer<S, descent::rules::Adam, descent::Cosine, descent::L2,
                                 descent::ClipGlobalNorm, descent::Ema>;
  check_exact_resume<S>([] {
    return Opt(descent::AdamOptions(0.05), descent::Cosine(12), descent::L2(0.01),
               descent::ClipGlobalNorm(0.5), descent::Ema(0.9, 2));
  });
}

TEST_CASE("A checkpoint restores the averages and their counts", "[checkpoint]") {
  using Opt = descent::Sgd<double, descent::Constant, descent::Polyak>;
  ckpt::Model<double> a, b(2.0);
  Opt saved(descent::SgdOptions(0.1), descent::Constant(), descent::Polyak(1));
  Opt loaded(descent::SgdOptions(0.1), descent::Constant(), descent::Polyak(1));
  a.add_to(saved);
  b.add_to(loaded);
  ckpt::train(saved, a, 0, 4);
  REQUIRE(saved.averaged_steps("w") == 3);
  descent::Checkpoint()
      .add("opt", loaded)
      .from_bytes(descent::Checkpoint().add("opt", saved).to_bytes());
  REQUIRE(loaded.averaged_steps("w") == 3);
  REQUIRE(loaded.average("w").matrix() == saved.average("w").matrix());
  REQUIRE(loaded.average("b").matrix() == saved.average("b").matrix());
}

TEST_CASE("A checkpoint restores the skipped-step count of CheckFinite(skip)", "[checkpoint]") {
  using Opt = descent::Sgd<double, descent::Constant, descent::CheckFinite>;
  ckpt::Model<double> a, b;
  Opt saved(descent::SgdOptions(0.1), descent::Constant(),
            descent::CheckFinite(descent::NonFinite::skip));
  Opt loaded(descent::SgdOptions(0.1), descent::Constant(),
             descent::CheckFinite(descent::NonFinite::skip));
  a.add_to(saved);
  b.add_to(loaded);
  ckpt::train(saved, a, 0, 2);
  a.gw(0, 0) = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_FALSE(saved.step());
  REQUIRE(saved.skipped_steps() == 1);
  descent::Checkpoint()
      .add("opt", loaded)
      .from_bytes(descent::Checkpoint().add("opt", saved).to_bytes());
  REQUIRE(loaded.skipped_steps() == 1);
  REQUIRE(loaded.step_count() == 2);
}

TEST_CASE("Loading restores the rule's settings, as PyTorch's load_state_dict does",
          "[checkpoint]") {
  ckpt::Model<double> a, b;
  descent::Adam<double> saved(descent::AdamOptions(0.02).betas(0.8, 0.99).eps(1e-6));
  descent::Adam<double> loaded(descent::AdamOptions(0.5));
  a.add_to(saved);
  b.add_to(loaded);
  descent::Checkpoint()
      .add("opt", loaded)
      .from_bytes(descent::Checkpoint().add("opt", saved).to_bytes());
  REQUIRE(loaded.options().lr() == 0.02);
  REQUIRE(loaded.options().beta1() == 0.8);
  REQUIRE(loaded.options().beta2() == 0.99);
  REQUIRE(loaded.options().eps() == 1e-6);
}

TEST_CASE("A checkpoint restores ReduceOnPlateau's internal state", "[checkpoint]") {
  using Opt = descent::Sgd<double, descent::ReduceOnPlateau>;
  const descent::ReduceOnPlateau plateau(
      descent::ReduceOnPlateauOptions().patience(1).cooldown(3).factor(0.5));
  ckpt::Model<double> a, b;
  Opt saved(descent::SgdOptions(0.1), plateau), loaded(descent::SgdOptions(0.1), plateau);
  a.add_to(saved);
  b.add_to(loaded);
  for (double metric : {5.0, 4.0, 4.5, 4.5, 4.5}) saved.schedule().report(metric);
  REQUIRE(saved.schedule().reductions() == 1);
  descent::Checkpoint()
      .add("opt", loaded)
      .from_bytes(descent::Checkpoint().add("opt", saved).to_bytes());
  REQUIRE(loaded.schedule().best() == 4.0);
  REQUIRE(loaded.schedule().num_bad_epochs() == saved.schedule().num_bad_epochs());
  REQUIRE(loaded.schedule().cooldown_counter() == saved.schedule().cooldown_counter());
  REQUIRE(loaded.schedule().cooldown_counter() > 0);
  REQUIRE(loaded.schedule().reductions() == 1);
  REQUIRE(loaded.schedule().last_epoch() == 5);
  REQUIRE(loaded.lr() == 0.05);
}

TEST_CASE("A checkpoint restores ReduceOnPlateau stages nested in Warmup and Sequential",
          "[checkpoint]") {
  // Warmup over 2 steps, then a Sequential: ReduceOnPlateau (patience 1) until step 10 of its
  // clock, then a second ReduceOnPlateau (factor 0.25). Both stages learn from reports.
  using Stages = descent::Sequential<descent::ReduceOnPlateau, descent::ReduceOnPlateau>;
  using Schedule = descent::Warmup<Stages>;
  using Opt = descent::Sgd<double, Schedule>;
  const auto make = [] {
    return Schedule(
        2,
        Stages(
            {10},
            descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(1).factor(0.5)),
            descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(0).factor(0.25))));
  };
  ckpt::Model<double> a, b, c;
  Opt saved(descent::SgdOptions(0.1), make()), loaded(descent::SgdOptions(0.1), make()),
      straight(descent::SgdOptions(0.1), make());
  a.add_to(saved);
  b.add_to(loaded);
  c.add_to(straight);
  auto report = [](Opt& opt, std::int64_t t) {
    opt.schedule().inner().stage<0>().report(ckpt::plateau_metric(t));
    opt.schedule().inner().stage<1>().report(ckpt::plateau_metric(t));
  };
  for (std::int64_t t = 0; t < 8; ++t) {
    a.gradient(t);
    saved.step();
    report(saved, t);
    c.gradient(t);
    straight.step();
    report(straight, t);
  }
  // Metrics 10, 9, 8, 7, 6.5, then 6.5 stalls: stage 0 (patience 1) reduces once (at the 2nd
  // bad report), stage 1 (patience 0) at each of the 3 bad reports.
  REQUIRE(saved.schedule().inner().stage<0>().reductions() == 1);
  REQUIRE(saved.schedule().inner().stage<1>().reductions() == 3);
  REQUIRE(saved.lr() == 0.1 * 0.5);  // step 8 = Sequential step 6: stage 0, one halving

  descent::Checkpoint()
      .add("opt", loaded)
      .from_bytes(descent::Checkpoint().add("opt", saved).to_bytes());
  REQUIRE(loaded.schedule().inner().stage<0>().reductions() == 1);
  REQUIRE(loaded.schedule().inner().stage<1>().reductions() == 3);
  REQUIRE(loaded.schedule().inner().stage<1>().best() == 6.5);
  REQUIRE(loaded.lr() == saved.lr());
  ckpt::require_same_optimizer(saved, loaded);
  REQUIRE(b.w == a.w);

  // Exact resume: 12 more steps (crossing the milestone into stage 1) match a straight run.
  for (std::int64_t t = 8; t < 20; ++t) {
    b.gradient(t);
    loaded.step();
    report(loaded, t);
    c.gradient(t);
    straight.step();
    report(straight, t);
  }
  ckpt::require_same_optimizer(straight, loaded);
  // Stage 1: 15 bad reports, but cuts stop at 0.1 * 0.25^12, where the next one would lower the
  // rate by less than eps = 1e-8 (PyTorch's rule).
  REQUIRE(loaded.lr() == 0.1 * std::pow(0.25, 12));
  REQUIRE(ckpt::same_bits(b.w, c.w));
  REQUIRE(ckpt::same_bits(b.b, c.b));

  // A fresh composed schedule against a checkpoint of a pure one is refused, naming both.
  descent::Sgd<double, descent::Warmup<descent::Constant>> pure(
      descent::SgdOptions(0.1), descent::Warmup<descent::Constant>(2, descent::Constant()));
  ckpt::Model<double> d;
  d.add_to(pure);
  Opt fresh(descent::SgdOptions(0.1), make());
  ckpt::Model<double> e;
  e.add_to(fresh);
  REQUIRE_THROWS_WITH(
      descent::Checkpoint()
          .add("opt", fresh)
          .from_bytes(descent::Checkpoint().add("opt", pure).to_bytes()),
      Catch::Contains("saved schedule is a function of the step, the optimizer's is a "
                      "composition holding ReduceOnPlateau"));
}
