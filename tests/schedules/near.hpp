#pragma once
// Tight comparison for schedule values: the closed forms are evaluated in double, so they agree
// with the hand-computed golden values to a few ulps.

#include <catch2/catch.hpp>

namespace schedule_test {

inline Approx near(double expected) { return Approx(expected).epsilon(1e-12).margin(1e-15); }

}  // namespace schedule_test
