#pragma once
/// Seeded weight initialization: Xavier/Glorot and He (Kaiming), uniform and normal.

#include <cmath>

#include <Eigen/Core>

#include "descent/random/rng.hpp"

namespace descent::nn {

// Weights are out x in (fan_out = rows, fan_in = cols), as in torch.nn.Linear and Dense.
// Xavier/Glorot (Glorot & Bengio, 2010): Var = gain^2 * 2 / (fan_in + fan_out).
// He/Kaiming (He et al., 2015), fan_in mode, for ReLU: Var = 2 / fan_in.
// Uniform draws are on [-bound, bound) with bound = sqrt(3 Var); normal draws have std sqrt(Var).
// Draws come from descent::Rng in the matrix's storage order: the same seed gives the same
// weights on every platform (uniform) or on the same platform (normal).

/// The initialization schemes.
enum class Init { xavier_uniform, xavier_normal, he_uniform, he_normal };

/// The name of a scheme ("he_normal").
inline const char* to_string(Init init) {
  switch (init) {
    case Init::xavier_uniform:
      return "xavier_uniform";
    case Init::xavier_normal:
      return "xavier_normal";
    case Init::he_uniform:
      return "he_uniform";
    case Init::he_normal:
      return "he_normal";
  }
  return "unknown";
}

/// The standard deviation a scheme gives a rows x cols (out x in) weight matrix.
inline double init_stddev(Init init, Eigen::Index rows, Eigen::Index cols, double gain = 1.0) {
  const double fan_in = double(cols), fan_out = double(rows);
  switch (init) {
    case Init::xavier_uniform:
    case Init::xavier_normal:
      return gain * std::sqrt(2.0 / (fan_in + fan_out));
    case Init::he_uniform:
    case Init::he_normal:
      return std::sqrt(2.0 / fan_in);
  }
  return 0.0;
}

/// Fills `w` (out x in) by `init`; `gain` scales the Xavier schemes (torch's `gain`).
template <class Derived>
void initialize(Eigen::MatrixBase<Derived>& w, Init init, Rng& rng, double gain = 1.0) {
  using S = typename Derived::Scalar;
  const double stddev = init_stddev(init, w.rows(), w.cols(), gain);
  const bool uniform = init == Init::xavier_uniform || init == Init::he_uniform;
  const double bound = std::sqrt(3.0) * stddev;
  Derived& m = w.derived();
  for (Eigen::Index j = 0; j < m.outerSize(); ++j) {
    for (Eigen::Index i = 0; i < m.innerSize(); ++i) {
      const double x = uniform ? rng.uniform(-bound, bound) : rng.normal(0.0, stddev);
      if (Derived::IsRowMajor) {
        m(j, i) = S(x);
      } else {
        m(i, j) = S(x);
      }
    }
  }
}

/// Xavier/Glorot uniform: U[-b, b), b = gain * sqrt(6 / (fan_in + fan_out)).
template <class Derived>
void xavier_uniform(Eigen::MatrixBase<Derived>& w, Rng& rng, double gain = 1.0) {
  initialize(w, Init::xavier_uniform, rng, gain);
}
/// Xavier/Glorot normal: N(0, gain^2 * 2 / (fan_in + fan_out)).
template <class Derived>
void xavier_normal(Eigen::MatrixBase<Derived>& w, Rng& rng, double gain = 1.0) {
  initialize(w, Init::xavier_normal, rng, gain);
}
/// He/Kaiming uniform: U[-b, b), b = sqrt(6 / fan_in).
template <class Derived>
void he_uniform(Eigen::MatrixBase<Derived>& w, Rng& rng) {
  initialize(w, Init::he_uniform, rng);
}
/// He/Kaiming normal: N(0, 2 / fan_in).
template <class Derived>
void he_normal(Eigen::MatrixBase<Derived>& w, Rng& rng) {
  initialize(w, Init::he_normal, rng);
}

}  // namespace descent::nn
