#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "descent/schedules/reduce_on_plateau.hpp"
#include "schedules/near.hpp"

using descent::PlateauMode;
using descent::ReduceOnPlateau;
using descent::ReduceOnPlateauOptions;
using descent::ThresholdMode;
using schedule_test::near;

TEST_CASE("ReduceOnPlateau reduces after more than patience reports without improvement",
          "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(2).factor(0.5).threshold(0.1));
  CHECK(s.best() == std::numeric_limits<double>::infinity());
  CHECK(s.lr(1.0, 0) == 1.0);
  s.report(10.0);  // 10 < inf: best 10
  CHECK(s.best() == 10.0);
  CHECK(s.num_bad_epochs() == 0);
  s.report(9.5);  // 9.5 < 10 * (1 - 0.1) = 9 ? no: bad 1
  s.report(9.1);  // no: bad 2 (not > patience 2)
  CHECK(s.num_bad_epochs() == 2);
  CHECK(s.lr(1.0, 3) == 1.0);
  s.report(9.0);  // 9.0 < 9.0 ? no: bad 3 > 2: reduce, bad 0
  CHECK(s.num_bad_epochs() == 0);
  CHECK(s.reductions() == 1);
  CHECK(s.lr(1.0, 4) == 0.5);
  s.report(8.0);  // 8 < 9: best 8
  CHECK(s.best() == 8.0);
  CHECK(s.last_epoch() == 5);
  CHECK(s.lr(1.0, 5) == 0.5);
}

TEST_CASE("ReduceOnPlateau ignores bad reports during cooldown", "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(0).cooldown(2).factor(0.5));
  s.report(5.0);  // best 5
  s.report(6.0);  // bad 1 > 0: reduce, cooldown_counter = 2
  CHECK(s.lr(1.0, 0) == 0.5);
  CHECK(s.cooldown_counter() == 2);
  s.report(7.0);  // bad 1; in cooldown: counter 1, bad 0
  CHECK(s.cooldown_counter() == 1);
  CHECK(s.num_bad_epochs() == 0);
  s.report(7.0);  // bad 1; in cooldown: counter 0, bad 0
  CHECK(s.lr(1.0, 0) == 0.5);
  s.report(7.0);  // bad 1 > 0: reduce
  CHECK(s.lr(1.0, 0) == 0.25);
}

TEST_CASE("ReduceOnPlateau in max mode with an absolute threshold", "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions()
                        .mode(PlateauMode::max)
                        .threshold_mode(ThresholdMode::absolute)
                        .threshold(0.5)
                        .patience(1));
  CHECK(s.best() == -std::numeric_limits<double>::infinity());
  s.report(1.0);  // 1 > -inf + 0.5: best 1
  s.report(1.4);  // 1.4 > 1.5 ? no: bad 1
  s.report(1.6);  // 1.6 > 1.5: best 1.6, bad 0
  CHECK(s.best() == 1.6);
  s.report(1.6);  // bad 1
  s.report(1.0);  // bad 2 > 1: reduce by the default factor 0.1
  CHECK(s.lr(1.0, 0) == near(0.1));
}

TEST_CASE("ReduceOnPlateau relative thresholds in max mode and absolute in min mode",
          "[schedules][plateau]") {
  ReduceOnPlateau max_rel(ReduceOnPlateauOptions().mode(PlateauMode::max).threshold(0.1));
  max_rel.report(10.0);
  max_rel.report(11.0);  // 11 > 10 * 1.1 = 11 ? no
  CHECK(max_rel.best() == 10.0);
  max_rel.report(11.5);  // yes
  CHECK(max_rel.best() == 11.5);

  ReduceOnPlateau min_abs(
      ReduceOnPlateauOptions().threshold_mode(ThresholdMode::absolute).threshold(1.0));
  min_abs.report(10.0);
  min_abs.report(9.0);  // 9 < 10 - 1 ? no
  CHECK(min_abs.best() == 10.0);
  min_abs.report(8.5);  // yes
  CHECK(min_abs.best() == 8.5);
}

TEST_CASE("ReduceOnPlateau counts a NaN metric as not better, as PyTorch", "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(1));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.report(nan);  // NaN < inf is false: bad 1, best stays inf
  CHECK(s.num_bad_epochs() == 1);
  CHECK(std::isinf(s.best()));
  s.report(1.0);  // best 1
  s.report(nan);  // bad 1
  s.report(nan);  // bad 2 > 1: reduce
  CHECK(s.best() == 1.0);
  CHECK(s.lr(1.0, 0) == near(0.1));
}

TEST_CASE("ReduceOnPlateau applies min_lr to the reduced rate and then stops",
          "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(0).min_lr(0.02));
  s.report(1.0);
  s.report(2.0);  // reduce: max(1 * 0.1, 0.02) = 0.1
  CHECK(s.lr(1.0, 0) == near(0.1));
  s.report(3.0);  // reduce: max(0.1 * 0.1, 0.02) = 0.02
  CHECK(s.lr(1.0, 0) == 0.02);
  s.report(4.0);  // max(0.002, 0.02) = 0.02: no change
  CHECK(s.lr(1.0, 0) == 0.02);
  CHECK(s.reductions() == 3);
  // A base below min_lr is not raised (PyTorch's new lr would be larger, so it is skipped).
  CHECK(s.lr(0.01, 0) == 0.01);
}

TEST_CASE("ReduceOnPlateau skips reductions smaller than eps", "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(0).factor(0.5).eps(1e-8));
  s.report(0.0);
  for (int i = 0; i < 40; ++i) s.report(1.0);  // 40 reductions triggered
  CHECK(s.reductions() == 40);
  // From base 1: 2^-k while the cut 2^-(k+1) exceeds 1e-8, i.e. up to k = 26 (2^-27 = 7.45e-9).
  CHECK(s.lr(1.0, 0) == std::ldexp(1.0, -26));
  // From base 1e-8: the first cut 5e-9 is not > 1e-8, so nothing changes.
  CHECK(s.lr(1e-8, 0) == 1e-8);
}

TEST_CASE("ReduceOnPlateau rates equal PyTorch's repeated multiplication bit for bit",
          "[schedules][plateau]") {
  ReduceOnPlateau s(ReduceOnPlateauOptions().patience(0));
  s.report(1.0);
  for (int i = 0; i < 3; ++i) s.report(2.0);
  CHECK(s.lr(0.3, 0) == ((0.3 * 0.1) * 0.1) * 0.1);
}

TEST_CASE("ReduceOnPlateau state round-trips exactly through set_state", "[schedules][plateau]") {
  const ReduceOnPlateauOptions options =
      ReduceOnPlateauOptions().patience(1).cooldown(2).factor(0.5);
  ReduceOnPlateau a(options);
  for (double m : {3.0, 2.0, 2.5, 2.6, 2.7}) a.report(m);
  ReduceOnPlateau b(options);
  b.set_state(a.state());
  CHECK(b.best() == a.best());
  CHECK(b.num_bad_epochs() == a.num_bad_epochs());
  CHECK(b.cooldown_counter() == a.cooldown_counter());
  CHECK(b.reductions() == a.reductions());
  CHECK(b.last_epoch() == 5);
  for (double m : {2.8, 2.9, 3.0, 1.0, 1.5, 1.6}) {
    a.report(m);
    b.report(m);
    CHECK(b.lr(0.1, 0) == a.lr(0.1, 0));
    CHECK(b.num_bad_epochs() == a.num_bad_epochs());
    CHECK(b.cooldown_counter() == a.cooldown_counter());
  }
}

TEST_CASE("ReduceOnPlateau rejects invalid options and states", "[schedules][plateau]") {
  using O = ReduceOnPlateauOptions;
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().factor(1.0)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: factor must be in [0, 1), got 1"));
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().factor(-0.5)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: factor must be in [0, 1), got -0.5"));
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().patience(-1)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: patience must be >= 0, got -1"));
  CHECK_THROWS_MATCHES(
      ReduceOnPlateau(O().threshold(-1e-4)), std::invalid_argument,
      Catch::Message("ReduceOnPlateau: threshold must be finite and >= 0, got -0.0001"));
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().cooldown(-2)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: cooldown must be >= 0, got -2"));
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().min_lr(-1.0)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: min_lr must be finite and >= 0, got -1"));
  CHECK_THROWS_MATCHES(ReduceOnPlateau(O().eps(-1e-8)), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: eps must be finite and >= 0, got -1e-08"));

  ReduceOnPlateau s(O().cooldown(3));
  descent::ReduceOnPlateauState bad;
  bad.num_bad_epochs = -1;
  CHECK_THROWS_MATCHES(s.set_state(bad), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: num_bad_epochs must be >= 0, got -1"));
  bad = descent::ReduceOnPlateauState();
  bad.cooldown_counter = 4;
  CHECK_THROWS_MATCHES(
      s.set_state(bad), std::invalid_argument,
      Catch::Message("ReduceOnPlateau: cooldown_counter must be <= cooldown, got 4"));
  bad = descent::ReduceOnPlateauState();
  bad.reductions = -3;
  CHECK_THROWS_MATCHES(s.set_state(bad), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: reductions must be >= 0, got -3"));
  bad = descent::ReduceOnPlateauState();
  bad.last_epoch = -1;
  CHECK_THROWS_MATCHES(s.set_state(bad), std::invalid_argument,
                       Catch::Message("ReduceOnPlateau: last_epoch must be >= 0, got -1"));
  CHECK(s.reductions() == 0);  // a rejected state changes nothing
}
