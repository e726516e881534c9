#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <type_traits>

#include "descent/schedules/constant.hpp"
#include "descent/schedules/cosine.hpp"
#include "descent/schedules/exponential.hpp"
#include "descent/schedules/reduce_on_plateau.hpp"
#include "descent/schedules/sequential.hpp"
#include "descent/schedules/step_decay.hpp"
#include "descent/schedules/warmup.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("Sequential runs each schedule on its own clock from its milestone, as SequentialLR",
          "[schedules][sequential]") {
  const descent::Sequential<descent::Warmup<descent::Constant>, descent::StepDecay,
                            descent::Exponential>
      s({3, 5}, descent::Warmup<descent::Constant>(3, descent::Constant()),
        descent::StepDecay(1, 0.5), descent::Exponential(0.9));
  // base 1; warm-up t/3 on [0, 3), StepDecay(1, 0.5) at t - 3 on [3, 5), Exponential(0.9) at t - 5
  CHECK(s.lr(1.0, 0) == 0.0);
  CHECK(s.lr(1.0, 1) == near(1.0 / 3.0));
  CHECK(s.lr(1.0, 2) == near(2.0 / 3.0));  // first milestone - 1
  CHECK(s.lr(1.0, 3) == 1.0);              // first milestone: StepDecay at its t = 0
  CHECK(s.lr(1.0, 4) == near(0.5));        // StepDecay t = 1; second milestone - 1
  CHECK(s.lr(1.0, 5) == 1.0);              // second milestone: Exponential at its t = 0
  CHECK(s.lr(1.0, 6) == near(0.9));        // Exponential t = 1
  CHECK(s.lr(1.0, 7) == near(0.81));
  CHECK(s.lr(1.0, 25) == near(0.12157665459056935));  // 0.9^20
}

TEST_CASE("Sequential restarts the next schedule at the milestone as the SequentialLR docstring",
          "[schedules][sequential]") {
  // SequentialLR([ConstantLR(factor=0.1, total_iters=20), ExponentialLR(gamma=0.9)],
  // milestones=[20]) with base 0.05 gives 0.05, 0.045, 0.0405 at t = 20, 21, 22: ExponentialLR from
  // its own t = 0.
  const descent::Sequential s(std::array<std::int64_t, 1>{20}, descent::StepDecay(1, 0.1),
                              descent::Exponential(0.9));
  CHECK(s.lr(0.05, 19) == near(0.05 * std::pow(0.1, 19)));  // StepDecay at its t = 19
  CHECK(s.lr(0.05, 20) == near(0.05));
  CHECK(s.lr(0.05, 21) == near(0.045));
  CHECK(s.lr(0.05, 22) == near(0.0405));
}

TEST_CASE("Sequential of one schedule is that schedule", "[schedules][sequential]") {
  const descent::Sequential<descent::Cosine> s(std::array<std::int64_t, 0>{}, descent::Cosine(4));
  const descent::Cosine c(4);
  for (std::int64_t t = 0; t < 8; ++t) CHECK(s.lr(0.1, t) == c.lr(0.1, t));
}

TEST_CASE("Sequential deduces its schedules and gives access to each stage",
          "[schedules][sequential]") {
  descent::Sequential s(std::array<std::int64_t, 1>{2}, descent::Constant(),
                        descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(0)));
  static_assert(
      std::is_same<decltype(s),
                   descent::Sequential<descent::Constant, descent::ReduceOnPlateau>>::value,
      "class template argument deduction");
  s.stage<1>().report(1.0);
  s.stage<1>().report(2.0);  // reduce by 0.1
  CHECK(s.lr(1.0, 1) == 1.0);
  CHECK(s.lr(1.0, 2) == near(0.1));
  CHECK(s.milestones()[0] == 2);
}

TEST_CASE("Sequential rejects non-positive or non-increasing milestones",
          "[schedules][sequential]") {
  using S = descent::Sequential<descent::Constant, descent::Constant, descent::Constant>;
  const descent::Constant c;
  CHECK_THROWS_MATCHES(S({0, 3}, c, c, c), std::invalid_argument,
                       Catch::Message("Sequential: milestones[0] must be > 0, got 0"));
  CHECK_THROWS_MATCHES(
      S({4, 4}, c, c, c), std::invalid_argument,
      Catch::Message("Sequential: milestones[1] must be > 4 (milestones[0]), got 4"));
  CHECK_THROWS_MATCHES(
      S({4, 2}, c, c, c), std::invalid_argument,
      Catch::Message("Sequential: milestones[1] must be > 4 (milestones[0]), got 2"));
}
