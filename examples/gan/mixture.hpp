#pragma once
// The GAN demo's data: 2-D Gaussian mixtures sampled on the fly, and the mode-coverage metrics
// (Metz et al., 2017; Lin et al., PacGAN, 2018). Shared by examples/gan.cpp and tests/gan/.

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <descent/random/rng.hpp>

namespace gan {

/// Equal-weight isotropic Gaussians in the plane: means as columns (2 x K), one stddev.
struct Mixture {
  std::string name;
  Eigen::Matrix2Xd means;
  double stddev = 0.0;
  Eigen::Index modes() const { return means.cols(); }
};

/// 8 Gaussians on the unit circle at angles 2 pi k / 8, std 0.01.
inline Mixture ring() {
  const double pi = 3.14159265358979323846;
  Mixture m{"ring", Eigen::Matrix2Xd(2, 8), 0.01};
  for (int k = 0; k < 8; ++k) {
    // 2 pi k / K, not a linspace over [0, 2 pi] (its endpoint repeats the first mode).
    m.means(0, k) = std::cos(2.0 * pi * k / 8.0);
    m.means(1, k) = std::sin(2.0 * pi * k / 8.0);
  }
  return m;
}

/// 25 Gaussians with means on {-4, -2, 0, 2, 4}^2, std 0.05.
inline Mixture grid() {
  Mixture m{"grid", Eigen::Matrix2Xd(2, 25), 0.05};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      m.means(0, 5 * i + j) = -4.0 + 2.0 * i;
      m.means(1, 5 * i + j) = -4.0 + 2.0 * j;
    }
  }
  return m;
}

/// "ring" or "grid"; anything else throws std::invalid_argument naming the value.
inline Mixture mixture_by_name(const std::string& name) {
  if (name == "ring") return ring();
  if (name == "grid") return grid();
  throw std::invalid_argument("gan: dataset must be ring or grid, got \"" + name + "\"");
}

/// Fills the columns of `out` (2 x n, already sized) with samples: a uniform mode, then
/// mean + stddev * N(0, I), all drawn from `rng`.
template <class M>
void sample(const Mixture& mixture, descent::Rng& rng, M& out) {
  using S = typename M::Scalar;
  for (Eigen::Index j = 0; j < out.cols(); ++j) {
    const auto k = Eigen::Index(rng.uniform_int(std::uint64_t(mixture.modes())));
    out(0, j) = S(mixture.means(0, k) + mixture.stddev * rng.normal());
    out(1, j) = S(mixture.means(1, k) + mixture.stddev * rng.normal());
  }
}

/// The mode-coverage protocol's numbers for a set of generated samples.
struct Coverage {
  Eigen::Index samples = 0;               ///< samples evaluated
  Eigen::Index modes_total = 0;           ///< K
  Eigen::Index modes_captured = 0;        ///< modes nearest to >= 1 high-quality sample
  Eigen::Index high_quality = 0;          ///< samples within 3 std of their nearest mean
  double high_quality_fraction = 0.0;     ///< high_quality / samples
  Eigen::Index min_mode_samples = 0;      ///< fewest high-quality samples of any mode
  double reverse_kl = 0.0;                ///< KL(q || uniform), q = high-quality samples per mode
  std::vector<Eigen::Index> mode_counts;  ///< high-quality samples per mode
};

/// Evaluates samples (2 x n): a sample is high quality when its distance to the nearest mode
/// mean is <= 3 stddev (inclusive; ties between means go to the lower index); a mode is captured
/// when it is the nearest mean of at least one high-quality sample. reverse_kl is
/// sum_k q_k log(q_k K) over modes with q_k > 0 (0 for uniform coverage, log K for one mode), and
/// +infinity when no sample is high quality (q is undefined).
template <class M>
Coverage coverage(const Mixture& mixture, const M& samples) {
  Coverage c;
  c.samples = samples.cols();
  c.modes_total = mixture.modes();
  c.mode_counts.assign(std::size_t(mixture.modes()), 0);
  const double radius = 3.0 * mixture.stddev;
  for (Eigen::Index j = 0; j < samples.cols(); ++j) {
    const double x = double(samples(0, j)), y = double(samples(1, j));
    Eigen::Index nearest = 0;
    double best = std::numeric_limits<double>::infinity();
    for (Eigen::Index k = 0; k < mixture.modes(); ++k) {
      const double dx = x - mixture.means(0, k), dy = y - mixture.means(1, k);
      const double d2 = dx * dx + dy * dy;
      if (d2 < best) {
        best = d2;
        nearest = k;
      }
    }
    if (std::sqrt(best) <= radius) {
      ++c.high_quality;
      ++c.mode_counts[std::size_t(nearest)];
    }
  }
  c.high_quality_fraction = c.samples > 0 ? double(c.high_quality) / double(c.samples) : 0.0;
  c.min_mode_samples = c.mode_counts.empty() ? 0 : c.mode_counts[0];
  c.reverse_kl = 0.0;
  for (Eigen::Index count : c.mode_counts) {
    if (count > 0) ++c.modes_captured;
    if (count < c.min_mode_samples) c.min_mode_samples = count;
    if (count > 0) {
      const double q = double(count) / double(c.high_quality);
      c.reverse_kl += q * std::log(q * double(c.modes_total));
    }
  }
  if (c.high_quality == 0) c.reverse_kl = std::numeric_limits<double>::infinity();
  return c;
}

}  // namespace gan
