#include <catch2/catch.hpp>

#include <stdexcept>

#include "descent/schedules/polynomial.hpp"
#include "schedules/near.hpp"

using schedule_test::near;

TEST_CASE("Polynomial decays to end_lr and holds it, as Keras PolynomialDecay",
          "[schedules][polynomial]") {
  const descent::Polynomial s(/*total_steps=*/4, /*power=*/2.0, /*end_lr=*/0.01);
  // (0.1 - 0.01) * (1 - min(t, 4) / 4)^2 + 0.01
  CHECK(s.lr(0.1, 0) == near(0.1));       // 0.09 * 1 + 0.01
  CHECK(s.lr(0.1, 1) == near(0.060625));  // 0.09 * 0.75^2 + 0.01 = 0.050625 + 0.01
  CHECK(s.lr(0.1, 3) == near(0.015625));  // end - 1: 0.09 * 0.25^2 + 0.01 = 0.005625 + 0.01
  CHECK(s.lr(0.1, 4) == near(0.01));      // end: 0.09 * 0 + 0.01
  CHECK(s.lr(0.1, 5) == near(0.01));      // past the end: held
  CHECK(s.lr(0.1, 1000) == near(0.01));
}

TEST_CASE("Polynomial with end_lr 0 is PyTorch PolynomialLR", "[schedules][polynomial]") {
  const descent::Polynomial linear(4);
  // PolynomialLR(total_iters=4, power=1): 0.1 * (1 - min(t, 4) / 4)
  CHECK(linear.lr(0.1, 0) == near(0.1));
  CHECK(linear.lr(0.1, 1) == near(0.075));
  CHECK(linear.lr(0.1, 2) == near(0.05));
  CHECK(linear.lr(0.1, 3) == near(0.025));
  CHECK(linear.lr(0.1, 4) == 0.0);
  CHECK(linear.lr(0.1, 5) == 0.0);
  // The PolynomialLR docstring: lr 0.05, total_iters 50, power 0.9; after 1 step about 0.0490:
  // 0.05 * (1 - 1/50)^0.9 = 0.05 * 0.98^0.9 = 0.049099093...
  const descent::Polynomial docs(50, 0.9);
  CHECK(docs.lr(0.05, 1) == near(0.049099093329828765));
  CHECK(docs.lr(0.05, 50) == 0.0);
}

TEST_CASE("Polynomial rejects bad total_steps, power and end_lr", "[schedules][polynomial]") {
  CHECK_THROWS_MATCHES(descent::Polynomial(0), std::invalid_argument,
                       Catch::Message("Polynomial: total_steps must be > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::Polynomial(4, 0.0), std::invalid_argument,
                       Catch::Message("Polynomial: power must be finite and > 0, got 0"));
  CHECK_THROWS_MATCHES(descent::Polynomial(4, 1.0, -0.01), std::invalid_argument,
                       Catch::Message("Polynomial: end_lr must be finite and >= 0, got -0.01"));
}
