// The mode-coverage metrics on hand-made sample sets, and the mixtures' geometry.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "../../examples/gan/mixture.hpp"

using Samples = Eigen::Matrix2Xd;

TEST_CASE("The ring has 8 distinct modes on the unit circle, the grid 25", "[gan]") {
  const gan::Mixture ring = gan::ring();
  REQUIRE(ring.modes() == 8);
  CHECK(ring.stddev == 0.01);
  for (Eigen::Index k = 0; k < 8; ++k) {
    CHECK(ring.means.col(k).norm() == Approx(1.0));
    // Neighbours are 2 sin(pi / 8) = 0.765367 apart: no repeated endpoint.
    CHECK((ring.means.col(k) - ring.means.col((k + 1) % 8)).norm() == Approx(0.7653668647));
  }
  const gan::Mixture grid = gan::grid();
  REQUIRE(grid.modes() == 25);
  CHECK(grid.stddev == 0.05);
  CHECK(grid.means.minCoeff() == -4.0);
  CHECK(grid.means.maxCoeff() == 4.0);
}

TEST_CASE("Samples drawn from a mixture are all high quality, every mode covered", "[gan]") {
  const gan::Mixture grid = gan::grid();
  descent::Rng rng(1);
  Samples s(2, 2500);
  gan::sample(grid, rng, s);
  const gan::Coverage c = gan::coverage(grid, s);
  CHECK(c.modes_captured == 25);
  // Within 3 std in 2-D: P(chi2_2 <= 9) = 1 - e^-4.5 = 0.98889.
  CHECK(c.high_quality_fraction > 0.975);
  CHECK(c.min_mode_samples > 60);  // fair share 100 (minus 1.1% low quality), binomial std ~10
  CHECK(c.reverse_kl < 0.02);
}

TEST_CASE("All modes hit evenly give full coverage and zero reverse KL", "[gan]") {
  const gan::Mixture ring = gan::ring();
  Samples s(2, 16);
  for (Eigen::Index j = 0; j < 16; ++j) s.col(j) = ring.means.col(j % 8);
  const gan::Coverage c = gan::coverage(ring, s);
  CHECK(c.modes_total == 8);
  CHECK(c.modes_captured == 8);
  CHECK(c.high_quality == 16);
  CHECK(c.high_quality_fraction == 1.0);
  CHECK(c.min_mode_samples == 2);
  CHECK(c.reverse_kl == Approx(0.0).margin(1e-12));
}

TEST_CASE("One mode captured gives reverse KL log K", "[gan]") {
  const gan::Mixture grid = gan::grid();
  Samples s(2, 10);
  for (Eigen::Index j = 0; j < 10; ++j) s.col(j) = grid.means.col(7);
  s(0, 9) = 0.9;  // far from every mean: low quality
  const gan::Coverage c = gan::coverage(grid, s);
  CHECK(c.modes_captured == 1);
  CHECK(c.high_quality == 9);
  CHECK(c.high_quality_fraction == 0.9);
  CHECK(c.min_mode_samples == 0);
  CHECK(c.mode_counts[7] == 9);
  CHECK(c.reverse_kl == Approx(std::log(25.0)));  // q = (1 on one mode): 1 * log(1 * 25)
}

TEST_CASE("No high-quality sample: nothing captured, reverse KL infinite", "[gan]") {
  const gan::Mixture ring = gan::ring();
  Samples s = Samples::Zero(2, 5);  // the centre is 1 (100 std) from every mean
  const gan::Coverage c = gan::coverage(ring, s);
  CHECK(c.modes_captured == 0);
  CHECK(c.high_quality == 0);
  CHECK(c.high_quality_fraction == 0.0);
  CHECK(c.min_mode_samples == 0);
  CHECK(c.reverse_kl == std::numeric_limits<double>::infinity());
}

TEST_CASE("A sample exactly 3 std from its mean is high quality; just beyond is not", "[gan]") {
  const gan::Mixture grid = gan::grid();  // std 0.05: 3 std = 0.15
  Samples s(2, 4);
  s.col(0) << 0.0, 0.15;    // mode (0, 0), distance 0.15
  s.col(1) << 2.15, 0.0;    // mode (2, 0), distance 2.15 - 2 = 0.1499999999999999
  s.col(2) << 0.0, 0.1501;  // distance 0.1501 > 0.15
  s.col(3) << 2.0, 2.0;     // on the mean of mode (2, 2)
  const gan::Coverage c = gan::coverage(grid, s);
  CHECK(c.high_quality == 3);
  CHECK(c.mode_counts[12] == 1);  // (0, 0) is mode 5 * 2 + 2
  CHECK(c.mode_counts[17] == 1);  // (2, 0) is mode 5 * 3 + 2
  CHECK(c.mode_counts[18] == 1);  // (2, 2) is mode 5 * 3 + 3
  CHECK(c.modes_captured == 3);
  // q = (1/3, 1/3, 1/3): KL = log(25 / 3).
  CHECK(c.reverse_kl == Approx(std::log(25.0 / 3.0)));
}
