#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "descent/schedules/multi_step.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("MultiStep multiplies by gamma at each milestone, as MultiStepLR",
          "[schedules][multi_step]") {
  const descent::MultiStep s({2, 5}, 0.1);
  // base * 0.1^(number of milestones <= t), base = 1
  CHECK(s.lr(1.0, 0) == 1.0);
  CHECK(s.lr(1.0, 1) == 1.0);         // first milestone - 1
  CHECK(s.lr(1.0, 2) == near(0.1));   // first milestone
  CHECK(s.lr(1.0, 3) == near(0.1));   // first milestone + 1
  CHECK(s.lr(1.0, 4) == near(0.1));   // second milestone - 1
  CHECK(s.lr(1.0, 5) == near(0.01));  // second milestone: 0.1^2
  CHECK(s.lr(1.0, 6) == near(0.01));
  CHECK(s.lr(1.0, 1000) == near(0.01));  // past the last milestone: held
}

TEST_CASE("MultiStep is a copyable value type", "[schedules][multi_step]") {
  const descent::MultiStep a({3}, 0.5);
  descent::MultiStep b = a;
  b = descent::MultiStep({1}, 0.25);
  CHECK(a.lr(2.0, 3) == 1.0);  // 2 * 0.5
  CHECK(b.lr(2.0, 3) == 0.5);  // 2 * 0.25
  CHECK(a.milestones() == std::vector<std::int64_t>{3});
}

TEST_CASE("MultiStep rejects empty, non-positive or non-increasing milestones and bad gamma",
          "[schedules][multi_step]") {
  CHECK_THROWS_MATCHES(descent::MultiStep({}, 0.1), std::invalid_argument,
                       Catch::Message("MultiStep: milestones must not be empty"));
  CHECK_THROWS_MATCHES(descent::MultiStep({0, 3}, 0.1), std::invalid_argument,
                       Catch::Message("MultiStep: milestones[0] must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::MultiStep({-1}, 0.1), std::invalid_argument,
                       Catch::Message("MultiStep: milestones[0] must be > 0, got -1"));
  CHECK_THROWS_MATCHES(
      descent::MultiStep({3, 3}, 0.1), std::invalid_argument,
      Catch::Message("MultiStep: milestones[1] must be > 3 (milestones[0]), got 3"));
  CHECK_THROWS_MATCHES(
      descent::MultiStep({3, 7, 5}, 0.1), std::invalid_argument,
      Catch::Message("MultiStep: milestones[2] must be > 7 (milestones[1]), got 5"));
  CHECK_THROWS_MATCHES(descent::MultiStep({3}, 0.0), std::invalid_argument,
                       Catch::Message("MultiStep: gamma must be finite and > 0, got 0"));
}
