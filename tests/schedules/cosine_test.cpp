#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/cosine.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("Cosine anneals from base to min_lr over total_steps, as CosineAnnealingLR",
          "[schedules][cosine]") {
  const descent::Cosine s(/*total_steps=*/4, /*min_lr=*/0.01);
  // 0.01 + (0.1 - 0.01) * (1 + cos(pi * t / 4)) / 2
  CHECK(s.lr(0.1, 0) == near(0.1));                   // cos(0) = 1
  CHECK(s.lr(0.1, 1) == near(0.08681980515339463));   // 0.01 + 0.09 * (1 + 0.70710678) / 2
  CHECK(s.lr(0.1, 2) == near(0.055));                 // 0.01 + 0.09 * 0.5
  CHECK(s.lr(0.1, 3) == near(0.023180194846605363));  // end - 1: 0.01 + 0.09 * (1 - 0.70710678) / 2
  CHECK(s.lr(0.1, 4) == 0.01);                        // end: cos(pi) = -1, exactly min_lr
}

TEST_CASE("Cosine holds min_lr past total_steps where PyTorch climbs back", "[schedules][cosine]") {
  const descent::Cosine s(4, 0.01);
  // CosineAnnealingLR would give 0.01 + 0.09 * (1 + cos(5 pi / 4)) / 2 = 0.0231802 at t = 5,
  // and 0.1 again at t = 8 (period 2 * T_max). We hold the end value.
  CHECK(s.lr(0.1, 5) == 0.01);
  CHECK(s.lr(0.1, 8) == 0.01);
  CHECK(s.lr(0.1, 1000000) == 0.01);
}

TEST_CASE("Cosine with the default min_lr ends at 0", "[schedules][cosine]") {
  const descent::Cosine s(4);
  CHECK(s.lr(0.1, 1) == near(0.08535533905932738));  // 0.1 * (1 + cos(pi / 4)) / 2
  CHECK(s.lr(0.1, 4) == 0.0);
  CHECK(s.lr(0.1, 5) == 0.0);
}

TEST_CASE("Cosine rejects non-positive total_steps and negative min_lr", "[schedules][cosine]") {
  CHECK_THROWS_MATCHES(descent::Cosine(0), std::invalid_argument,
                       Catch::Message("Cosine: total_steps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::Cosine(10, -1e-3), std::invalid_argument,
                       Catch::Message("Cosine: min_lr must be finite and >= 0, got -0.001"));
}
