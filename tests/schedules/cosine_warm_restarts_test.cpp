#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "descent/schedules/cosine_warm_restarts.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("CosineWarmRestarts with t_mult 1 restarts every t0 steps",
          "[schedules][warm_restarts]") {
  const descent::CosineWarmRestarts s(/*t0=*/3);
  // (1 + cos(pi * t_cur / 3)) / 2 with t_cur = t mod 3, base 1
  CHECK(s.lr(1.0, 0) == 1.0);
  CHECK(s.lr(1.0, 1) == near(0.75));  // (1 + cos(pi/3)) / 2 = (1 + 0.5) / 2
  CHECK(s.lr(1.0, 2) == near(0.25));  // restart - 1: (1 + cos(2 pi/3)) / 2 = (1 - 0.5) / 2
  CHECK(s.lr(1.0, 3) == 1.0);         // restart: back to base
  CHECK(s.lr(1.0, 4) == near(0.75));  // restart + 1
  CHECK(s.lr(1.0, 5) == near(0.25));
  CHECK(s.lr(1.0, 6) == 1.0);
  CHECK(s.lr(1.0, 3000) == 1.0);
}

TEST_CASE("CosineWarmRestarts with t_mult 2 doubles the period at each restart",
          "[schedules][warm_restarts]") {
  const descent::CosineWarmRestarts s(/*t0=*/2, /*t_mult=*/2);
  // periods 2, 4, 8, 16, ...: restarts at t = 0, 2, 6, 14, 30
  CHECK(s.lr(1.0, 0) == 1.0);
  CHECK(s.lr(1.0, 1) == near(0.5));                    // t_cur 1 of 2: (1 + cos(pi/2)) / 2
  CHECK(s.lr(1.0, 2) == 1.0);                          // restart
  CHECK(s.lr(1.0, 3) == near(0.8535533905932737));     // t_cur 1 of 4: (1 + cos(pi/4)) / 2
  CHECK(s.lr(1.0, 4) == near(0.5));                    // t_cur 2 of 4
  CHECK(s.lr(1.0, 5) == near(0.14644660940672627));    // t_cur 3 of 4: (1 + cos(3 pi/4)) / 2
  CHECK(s.lr(1.0, 6) == 1.0);                          // restart
  CHECK(s.lr(1.0, 7) == near(0.9619397662556434));     // t_cur 1 of 8: (1 + cos(pi/8)) / 2
  CHECK(s.lr(1.0, 13) == near(0.03806023374435663));   // t_cur 7 of 8: (1 + cos(7 pi/8)) / 2
  CHECK(s.lr(1.0, 14) == 1.0);                         // restart
  CHECK(s.lr(1.0, 29) == near(0.009607359798384785));  // t_cur 15 of 16: (1 + cos(15 pi/16)) / 2
  CHECK(s.lr(1.0, 30) == 1.0);                         // restart
  CHECK(s.lr(1.0, 31) == near(0.9975923633360985));    // t_cur 1 of 32: (1 + cos(pi/32)) / 2
}

TEST_CASE("CosineWarmRestarts with t_mult 3 and t0 1 restarts at 1, 4, 13, 40",
          "[schedules][warm_restarts]") {
  const descent::CosineWarmRestarts s(1, 3);
  CHECK(s.lr(1.0, 0) == 1.0);                           // period 1: only t_cur = 0
  CHECK(s.lr(1.0, 1) == 1.0);                           // restart, period 3
  CHECK(s.lr(1.0, 3) == near(0.25));                    // t_cur 2 of 3: (1 + cos(2 pi/3)) / 2
  CHECK(s.lr(1.0, 4) == 1.0);                           // restart, period 9
  CHECK(s.lr(1.0, 12) == near(0.03015368960704584));    // t_cur 8 of 9: (1 + cos(8 pi/9)) / 2
  CHECK(s.lr(1.0, 13) == 1.0);                          // restart, period 27
  CHECK(s.lr(1.0, 39) == near(0.0033808211290284884));  // t_cur 26 of 27
  CHECK(s.lr(1.0, 40) == 1.0);                          // restart, period 81
}

TEST_CASE("CosineWarmRestarts anneals to min_lr within each period", "[schedules][warm_restarts]") {
  const descent::CosineWarmRestarts s(2, 1, /*min_lr=*/0.1);
  CHECK(s.lr(1.0, 0) == 1.0);
  CHECK(s.lr(1.0, 1) == near(0.55));  // 0.1 + 0.9 * (1 + cos(pi/2)) / 2
  CHECK(s.lr(1.0, 2) == 1.0);
}

TEST_CASE("CosineWarmRestarts stays finite and in range for huge t", "[schedules][warm_restarts]") {
  const std::int64_t huge = std::numeric_limits<std::int64_t>::max();
  for (std::int64_t mult : {std::int64_t(2), std::int64_t(3), std::int64_t(1000)}) {
    const descent::CosineWarmRestarts s(1, mult);
    const double lr = s.lr(1.0, huge);
    CHECK(lr >= 0.0);
    CHECK(lr <= 1.0);
  }
}

TEST_CASE("CosineWarmRestarts rejects bad t0, t_mult and min_lr", "[schedules][warm_restarts]") {
  CHECK_THROWS_MATCHES(descent::CosineWarmRestarts(0), std::invalid_argument,
                       Catch::Message("CosineWarmRestarts: t0 must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::CosineWarmRestarts(5, 0), std::invalid_argument,
                       Catch::Message("CosineWarmRestarts: t_mult must be >= 1, got 0"));
  CHECK_THROWS_MATCHES(
      descent::CosineWarmRestarts(5, 1, -0.5), std::invalid_argument,
      Catch::Message("CosineWarmRestarts: min_lr must be finite and >= 0, got -0.5"));
}
