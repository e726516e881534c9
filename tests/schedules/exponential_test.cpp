#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

#include "descent/schedules/exponential.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("Exponential multiplies by gamma every step, as ExponentialLR",
          "[schedules][exponential]") {
  const descent::Exponential s(0.9);
  CHECK(s.lr(0.5, 0) == 0.5);                   // 0.5 * 0.9^0
  CHECK(s.lr(0.5, 1) == near(0.45));            // 0.5 * 0.9
  CHECK(s.lr(0.5, 2) == near(0.405));           // 0.5 * 0.81
  CHECK(s.lr(0.5, 10) == near(0.17433922005));  // 0.5 * 0.9^10 = 0.5 * 0.3486784401
}

TEST_CASE("Exponential rejects a non-positive or infinite gamma", "[schedules][exponential]") {
  CHECK_THROWS_MATCHES(descent::Exponential(0.0), std::invalid_argument,
                       Catch::Message("Exponential: gamma must be finite and > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::Exponential(std::numeric_limits<double>::infinity()),
                       std::invalid_argument,
                       Catch::Message("Exponential: gamma must be finite and > 0, got inf"));
  CHECK_THROWS_MATCHES(descent::Exponential(std::numeric_limits<double>::quiet_NaN()),
                       std::invalid_argument,
                       Catch::Message("Exponential: gamma must be finite and > 0, got nan"));
}
