#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/one_cycle.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

// total_steps 10, pct_start 0.3, base (= PyTorch max_lr) 1: initial = 1 / 25 = 0.04,
// min = 0.04 / 1e4 = 4e-6; phase ends 0.3 * 10 - 1 = 2 and 10 - 1 = 9.

TEST_CASE("OneCycle cosine rises to base then anneals to min, as OneCycleLR",
          "[schedules][one_cycle]") {
  const descent::OneCycle s(10);
  CHECK(s.lr(1.0, 0) == near(0.04));  // initial
  CHECK(s.lr(1.0, 1) == near(0.52));  // x = 1/2: 1 + (0.04 - 1) / 2 * (cos(pi/2) + 1)
  CHECK(s.lr(1.0, 2) == near(1.0));   // phase end: x = 1 -> max
  // x = (3 - 2) / (9 - 2) = 1/7: 4e-6 + (1 - 4e-6) / 2 * (cos(pi/7) + 1)
  CHECK(s.lr(1.0, 3) == near(0.9504846320134737));
  CHECK(s.lr(1.0, 9) == near(4e-6));  // last step: min
  // PyTorch at t = 10 extrapolates: x = 8/7, 4e-6 + 0.999996 / 2 * (cos(8 pi/7) + 1) = 0.0495;
  // past the end we hold the value at t = 9.
  CHECK(s.lr(1.0, 10) == near(4e-6));
  CHECK(s.lr(1.0, 1000) == near(4e-6));
}

TEST_CASE("OneCycle linear interpolates within each phase", "[schedules][one_cycle]") {
  const descent::OneCycle s(10, 0.3, descent::Anneal::linear);
  CHECK(s.lr(1.0, 0) == near(0.04));
  CHECK(s.lr(1.0, 1) == near(0.52));  // (1 - 0.04) * 0.5 + 0.04
  CHECK(s.lr(1.0, 2) == near(1.0));
  CHECK(s.lr(1.0, 3) == near(0.8571434285714286));   // (4e-6 - 1) * 1/7 + 1
  CHECK(s.lr(1.0, 8) == near(0.14286057142857145));  // (4e-6 - 1) * 6/7 + 1
  CHECK(s.lr(1.0, 9) == near(4e-6));
  CHECK(s.lr(1.0, 10) == near(4e-6));  // PyTorch: (4e-6 - 1) * 8/7 + 1 < 0; we hold
}

TEST_CASE("OneCycle three-phase returns to initial before annihilating", "[schedules][one_cycle]") {
  // phase ends 2, 2 * 0.3 * 10 - 2 = 4, 9
  const descent::OneCycle s(10, 0.3, descent::Anneal::linear, 25.0, 1e4, /*three_phase=*/true);
  CHECK(s.lr(1.0, 0) == near(0.04));
  CHECK(s.lr(1.0, 2) == near(1.0));
  CHECK(s.lr(1.0, 3) == near(0.52));                  // x = 1/2: (0.04 - 1) * 0.5 + 1
  CHECK(s.lr(1.0, 4) == near(0.04));                  // second phase end: initial
  CHECK(s.lr(1.0, 5) == near(0.032000799999999996));  // x = 1/5: (4e-6 - 0.04) * 0.2 + 0.04
  CHECK(s.lr(1.0, 9) == near(4e-6));
  CHECK(s.lr(1.0, 10) == near(4e-6));
}

TEST_CASE("OneCycle scales with base and uses div_factor and final_div_factor",
          "[schedules][one_cycle]") {
  const descent::OneCycle s(10, 0.3, descent::Anneal::cosine, 10.0, 100.0);
  // initial = 0.5 / 10 = 0.05, min = 0.05 / 100 = 5e-4
  CHECK(s.lr(0.5, 0) == near(0.05));
  CHECK(s.lr(0.5, 2) == near(0.5));
  CHECK(s.lr(0.5, 9) == near(5e-4));
}

TEST_CASE("OneCycle with a warm-up shorter than one step starts inside the second phase",
          "[schedules][one_cycle]") {
  // total 3, pct 0.3: first phase end 0.9 - 1 = -0.1, so t = 0 is already in phase 2:
  // x = (0 + 0.1) / (2 + 0.1) = 1/21, as in PyTorch.
  const descent::OneCycle s(3, 0.3, descent::Anneal::linear);
  const double x = (0.0 - (0.3 * 3.0 - 1.0)) / (2.0 - (0.3 * 3.0 - 1.0));
  CHECK(s.lr(1.0, 0) == near((4e-6 - 1.0) * x + 1.0));
  CHECK(s.lr(1.0, 2) == near(4e-6));
}

TEST_CASE("OneCycle rejects invalid settings", "[schedules][one_cycle]") {
  CHECK_THROWS_MATCHES(descent::OneCycle(0), std::invalid_argument,
                       Catch::Message("OneCycle: total_steps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::OneCycle(10, 1.5), std::invalid_argument,
                       Catch::Message("OneCycle: pct_start must be in [0, 1], got 1.5"));
  CHECK_THROWS_MATCHES(descent::OneCycle(10, -0.1), std::invalid_argument,
                       Catch::Message("OneCycle: pct_start must be in [0, 1], got -0.1"));
  CHECK_THROWS_MATCHES(descent::OneCycle(10, 0.1), std::invalid_argument,
                       Catch::Message("OneCycle: pct_start * total_steps must be != 1 (a warm-up "
                                      "of 0 steps), got 1"));
  CHECK_THROWS_MATCHES(descent::OneCycle(10, 0.3, descent::Anneal::cosine, 0.0),
                       std::invalid_argument,
                       Catch::Message("OneCycle: div_factor must be finite and > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::OneCycle(10, 0.3, descent::Anneal::cosine, 25.0, -1.0),
                       std::invalid_argument,
                       Catch::Message("OneCycle: final_div_factor must be finite and > 0, got -1"));
}

TEST_CASE("OneCycle with pct_start 1 warms up over every step and holds base",
          "[schedules][one_cycle]") {
  // two phases, first phase end 1 * 10 - 1 = 9 = the last step: the second phase is never used.
  const descent::OneCycle s(10, 1.0, descent::Anneal::linear);
  CHECK(s.lr(1.0, 0) == near(0.04));
  CHECK(s.lr(1.0, 3) == near(0.36));  // (1 - 0.04) * 3/9 + 0.04
  CHECK(s.lr(1.0, 9) == near(1.0));
  CHECK(s.lr(1.0, 10) == near(1.0));
}
