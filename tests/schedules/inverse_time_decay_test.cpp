#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/inverse_time_decay.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("InverseTimeDecay divides by 1 + rate * t / decay_steps, as Keras",
          "[schedules][inverse_time]") {
  const descent::InverseTimeDecay s(/*decay_rate=*/0.5, /*decay_steps=*/2.0);
  CHECK(s.lr(0.1, 0) == 0.1);               // 0.1 / (1 + 0)
  CHECK(s.lr(0.1, 1) == near(0.08));        // 0.1 / (1 + 0.5 * 0.5) = 0.1 / 1.25
  CHECK(s.lr(0.1, 2) == near(0.1 / 1.5));   // 0.1 / (1 + 0.5 * 1) = 0.0666...
  CHECK(s.lr(0.1, 3) == near(0.1 / 1.75));  // 0.1 / (1 + 0.5 * 1.5) = 0.0571428...
  CHECK(s.lr(0.1, 4) == near(0.05));        // 0.1 / (1 + 0.5 * 2)
}

TEST_CASE("InverseTimeDecay reproduces the Keras documentation example",
          "[schedules][inverse_time]") {
  // Keras: InverseTimeDecay(initial_learning_rate=0.1, decay_steps=1.0, decay_rate=0.5).
  const descent::InverseTimeDecay s(0.5, 1.0);
  CHECK(s.lr(0.1, 1) == near(0.1 / 1.5));  // 0.1 / (1 + 0.5 * 1)
  CHECK(s.lr(0.1, 2) == near(0.05));       // 0.1 / (1 + 0.5 * 2)
}

TEST_CASE("InverseTimeDecay with staircase decays only at multiples of decay_steps",
          "[schedules][inverse_time]") {
  const descent::InverseTimeDecay s(0.5, 2.0, /*staircase=*/true);
  CHECK(s.lr(0.1, 0) == 0.1);
  CHECK(s.lr(0.1, 1) == 0.1);              // floor(1/2) = 0
  CHECK(s.lr(0.1, 2) == near(0.1 / 1.5));  // floor(2/2) = 1
  CHECK(s.lr(0.1, 3) == near(0.1 / 1.5));
  CHECK(s.lr(0.1, 4) == near(0.05));  // floor(4/2) = 2: 0.1 / 2
}

TEST_CASE("InverseTimeDecay rejects a negative rate or non-positive decay_steps",
          "[schedules][inverse_time]") {
  CHECK_THROWS_MATCHES(
      descent::InverseTimeDecay(-0.5, 2.0), std::invalid_argument,
      Catch::Message("InverseTimeDecay: decay_rate must be finite and >= 0, got -0.5"));
  CHECK_THROWS_MATCHES(
      descent::InverseTimeDecay(0.5, 0.0), std::invalid_argument,
      Catch::Message("InverseTimeDecay: decay_steps must be finite and > 0, got 0"));
}
