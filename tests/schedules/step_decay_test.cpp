#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/step_decay.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("StepDecay multiplies by gamma every step_size steps, as StepLR",
          "[schedules][step_decay]") {
  const descent::StepDecay s(3, 0.5);
  // base * 0.5^floor(t / 3), base = 0.1
  CHECK(s.lr(0.1, 0) == 0.1);         // 0.1 * 0.5^0
  CHECK(s.lr(0.1, 2) == 0.1);         // boundary - 1: floor(2/3) = 0
  CHECK(s.lr(0.1, 3) == near(0.05));  // boundary: 0.1 * 0.5
  CHECK(s.lr(0.1, 4) == near(0.05));  // boundary + 1
  CHECK(s.lr(0.1, 5) == near(0.05));
  CHECK(s.lr(0.1, 6) == near(0.025));          // 0.1 * 0.5^2
  CHECK(s.lr(0.1, 30) == near(9.765625e-05));  // 0.1 * 0.5^10 = 0.1 / 1024
}

TEST_CASE("StepDecay with step_size 1 decays every step", "[schedules][step_decay]") {
  const descent::StepDecay s(1, 0.1);
  CHECK(s.lr(1.0, 0) == 1.0);
  CHECK(s.lr(1.0, 1) == near(0.1));
  CHECK(s.lr(1.0, 2) == near(0.01));
}

TEST_CASE("StepDecay rejects a non-positive step_size or gamma", "[schedules][step_decay]") {
  CHECK_THROWS_MATCHES(descent::StepDecay(0, 0.5), std::invalid_argument,
                       Catch::Message("StepDecay: step_size must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::StepDecay(-2, 0.5), std::invalid_argument,
                       Catch::Message("StepDecay: step_size must be > 0, got -2"));
  CHECK_THROWS_MATCHES(descent::StepDecay(2, 0.0), std::invalid_argument,
                       Catch::Message("StepDecay: gamma must be finite and > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::StepDecay(2, -0.5), std::invalid_argument,
                       Catch::Message("StepDecay: gamma must be finite and > 0, got -0.5"));
}
