#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/constant.hpp"
#include "descent/schedules/cosine.hpp"
#include "descent/schedules/one_cycle.hpp"
#include "descent/schedules/reduce_on_plateau.hpp"
#include "descent/schedules/step_decay.hpp"
#include "descent/schedules/warmup.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("Warmup with start_factor 0 rises linearly from 0 and the first step has rate 0",
          "[schedules][warmup]") {
  const descent::Warmup<descent::Constant> s(4, descent::Constant());
  // 0.1 * (0 + 1 * t / 4) for t < 4, then 0.1
  CHECK(s.lr(0.1, 0) == 0.0);
  CHECK(s.lr(0.1, 1) == near(0.025));
  CHECK(s.lr(0.1, 3) == near(0.075));  // end - 1
  CHECK(s.lr(0.1, 4) == 0.1);          // end: the inner schedule at its t = 0
  CHECK(s.lr(0.1, 5) == 0.1);
}

TEST_CASE("Warmup with start_factor > 0 is LinearLR then the inner schedule from its step 0",
          "[schedules][warmup]") {
  // SequentialLR([LinearLR(start_factor=0.5, end_factor=1, total_iters=2),
  // CosineAnnealingLR(T_max=4)],
  //              milestones=[2]), base 0.1
  const descent::Warmup<descent::Cosine> s(2, descent::Cosine(4), 0.5);
  CHECK(s.lr(0.1, 0) == near(0.05));                 // 0.1 * 0.5
  CHECK(s.lr(0.1, 1) == near(0.075));                // 0.1 * (0.5 + 0.5 * 1/2)
  CHECK(s.lr(0.1, 2) == near(0.1));                  // cosine at its t = 0
  CHECK(s.lr(0.1, 3) == near(0.08535533905932738));  // cosine t = 1: 0.1 * (1 + cos(pi/4)) / 2
  CHECK(s.lr(0.1, 6) == 0.0);                        // cosine t = 4: its end
  CHECK(s.lr(0.1, 7) == 0.0);                        // past the end: held
}

TEST_CASE("Warmup with start_factor 1 is the inner schedule delayed", "[schedules][warmup]") {
  const descent::Warmup<descent::StepDecay> s(3, descent::StepDecay(1, 0.5), 1.0);
  CHECK(s.lr(0.2, 0) == 0.2);
  CHECK(s.lr(0.2, 2) == 0.2);
  CHECK(s.lr(0.2, 3) == 0.2);        // inner t = 0
  CHECK(s.lr(0.2, 4) == near(0.1));  // inner t = 1: 0.2 * 0.5
}

TEST_CASE("Warmup with 0 steps is the inner schedule", "[schedules][warmup]") {
  const descent::Warmup<descent::StepDecay> s(0, descent::StepDecay(2, 0.5));
  CHECK(s.lr(0.2, 0) == 0.2);
  CHECK(s.lr(0.2, 2) == near(0.1));
}

TEST_CASE("Warmup rises to the inner schedule's first rate, not to base", "[schedules][warmup]") {
  // OneCycle starts at base / div_factor = 1 / 25 = 0.04.
  const descent::Warmup<descent::OneCycle> s(2, descent::OneCycle(10));
  CHECK(s.lr(1.0, 0) == 0.0);
  CHECK(s.lr(1.0, 1) == near(0.02));  // 0.04 * 1/2
  CHECK(s.lr(1.0, 2) == near(0.04));  // OneCycle at its t = 0
}

TEST_CASE("Warmup deduces its inner type and exposes the inner schedule", "[schedules][warmup]") {
  descent::Warmup w(1, descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(0)));
  w.inner().report(1.0);
  w.inner().report(2.0);  // worse than 1 with patience 0: reduce by 0.1
  CHECK(w.lr(1.0, 5) == near(0.1));
  CHECK(w.lr(1.0, 0) == near(0.0));  // warm-up toward the inner's current rate
}

TEST_CASE("Warmup rejects negative steps and a start_factor outside [0, 1]",
          "[schedules][warmup]") {
  using W = descent::Warmup<descent::Constant>;
  CHECK_THROWS_MATCHES(W(-1, descent::Constant()), std::invalid_argument,
                       Catch::Message("Warmup: warmup_steps must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(W(5, descent::Constant(), 1.5), std::invalid_argument,
                       Catch::Message("Warmup: start_factor must be in [0, 1], got 1.5"));
  CHECK_THROWS_MATCHES(W(5, descent::Constant(), -0.1), std::invalid_argument,
                       Catch::Message("Warmup: start_factor must be in [0, 1], got -0.1"));
}
