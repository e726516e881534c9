#pragma once
// Shared helpers of the rule tests: tolerances, the kinds of block a rule is run on, and runners
// that compare an optimizer's trajectory with expected values or with a scalar reference.

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace rule_test {

/// Values of a block, flattened in storage order, in double.
using Values = std::vector<double>;
/// Values after each step (or the gradient of each step).
using Trajectory = std::vector<Values>;

/// Relative tolerance of a hand-computed value: a few ulps of the block's scalar.
template <class S>
constexpr double tolerance() {
  return std::is_same<S, float>::value ? 1e-6 : 1e-12;
}

/// `expected` as a Catch Approx with the scalar's tolerance (relative, and absolute near 0).
template <class S>
Approx approx(double expected) {
  return Approx(expected).epsilon(tolerance<S>()).margin(tolerance<S>());
}

/// Looser tolerance for long runs against the double reference: float rounding accumulates.
template <class S>
Approx approx_long(double expected) {
  const double tol = std::is_same<S, float>::value ? 1e-5 : 1e-12;
  return Approx(expected).epsilon(tol).margin(tol);
}

/// Copies `values` into `n` consecutive scalars at `data`.
template <class S>
void fill(S* data, const Values& values) {
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = S(values[i]);
}

/// Reads `n` consecutive scalars at `data` back as doubles.
template <class S>
Values read(const S* data, std::size_t n) {
  Values out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = double(data[i]);
  return out;
}

// The kinds of block a rule is run on; each owns a value and a gradient of n elements.
template <class S>
struct DynamicMatrix {
  static constexpr const char* name = "dynamic 2x2 matrix";
  Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> value, gradient;
  explicit DynamicMatrix(Eigen::Index n) : value(2, n / 2), gradient(2, n / 2) {}
};
template <class S>
struct DynamicVector {
  static constexpr const char* name = "dynamic vector";
  Eigen::Matrix<S, Eigen::Dynamic, 1> value, gradient;
  explicit DynamicVector(Eigen::Index n) : value(n), gradient(n) {}
};
template <class S>
struct FixedVector3 {
  static constexpr const char* name = "fixed Matrix<S, 3, 1>";
  Eigen::Matrix<S, 3, 1> value, gradient;
  explicit FixedVector3(Eigen::Index /*n*/) {}
};
template <class S>
struct FixedArray22 {
  static constexpr const char* name = "fixed Array<S, 2, 2>";
  Eigen::Array<S, 2, 2> value, gradient;
  explicit FixedArray22(Eigen::Index /*n*/) {}
};
template <class S>
struct MappedVector {
  static constexpr const char* name = "Map over std::vector";
  std::vector<S> value_storage, gradient_storage;
  Eigen::Map<Eigen::Matrix<S, Eigen::Dynamic, 1>> value, gradient;
  explicit MappedVector(Eigen::Index n)
      : value_storage(std::size_t(n)),
        gradient_storage(std::size_t(n)),
        value(value_storage.data(), n),
        gradient(gradient_storage.data(), n) {}
  MappedVector(const MappedVector&) = delete;
  MappedVector& operator=(const MappedVector&) = delete;
};

/// Registers a fresh block of kind `Kind` holding `init` in `make()`'s optimizer, runs one step
/// per gradient of `gradients`, and returns the values after each step.
template <template <class> class Kind, class MakeOptimizer>
Trajectory run_on(MakeOptimizer make, const Values& init, const Trajectory& gradients) {
  auto opt = make();
  using S = typename decltype(opt)::scalar_type;
  const auto n = Eigen::Index(init.size());
  Kind<S> block(n);
  REQUIRE(block.value.size() == n);
  fill(block.value.data(), init);
  opt.add("p", block.value, block.gradient);
  Trajectory out;
  for (const Values& g : gradients) {
    fill(block.gradient.data(), g);
    opt.step();
    out.push_back(read(block.value.data(), init.size()));
  }
  return out;
}

/// Checks `actual` against `expected` element by element, step by step.
template <class S>
void check_trajectory(const std::string& what, const Trajectory& actual,
                      const Trajectory& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t t = 0; t < expected.size(); ++t) {
    REQUIRE(actual[t].size() == expected[t].size());
    for (std::size_t i = 0; i < expected[t].size(); ++i) {
      INFO(what << ", after step " << t + 1 << ", element " << i);
      CHECK(actual[t][i] == approx<S>(expected[t][i]));
    }
  }
}

/// Runs the scenario on every kind of block of init's size (2x2 matrix and Array<S, 2, 2> for 4
/// elements, Matrix<S, 3, 1> for 3, dynamic vector and Map always) and checks each trajectory.
template <class S, class MakeOptimizer>
void check_steps(MakeOptimizer make, const Values& init, const Trajectory& gradients,
                 const Trajectory& expected) {
  static_assert(std::is_same<S, typename decltype(make())::scalar_type>::value,
                "the scenario's scalar differs from the optimizer's");
  check_trajectory<S>(DynamicVector<S>::name, run_on<DynamicVector>(make, init, gradients),
                      expected);
  check_trajectory<S>(MappedVector<S>::name, run_on<MappedVector>(make, init, gradients), expected);
  if (init.size() == 4) {
    check_trajectory<S>(DynamicMatrix<S>::name, run_on<DynamicMatrix>(make, init, gradients),
                        expected);
    check_trajectory<S>(FixedArray22<S>::name, run_on<FixedArray22>(make, init, gradients),
                        expected);
  }
  if (init.size() == 3) {
    check_trajectory<S>(FixedVector3<S>::name, run_on<FixedVector3>(make, init, gradients),
                        expected);
  }
}

/// The trajectory of a scalar reference `step(p, g)` (which keeps its own state) from `init`.
template <class Reference>
Trajectory reference_trajectory(Reference step, Values p, const Trajectory& gradients) {
  Trajectory out;
  for (const Values& g : gradients) {
    step(p, g);
    out.push_back(p);
  }
  return out;
}

/// Elements of the long block: more than two ranges (core/chunks.hpp; the traversal of plain
/// configurations) and so many chunks (the traversal under a proximal step or an average), and
/// a multiple of neither.
template <class S>
constexpr Eigen::Index long_size = 2 * descent::range_elements<S> + 1031;

/// Runs `make()`'s optimizer for three steps on a vector of long_size elements whose values and
/// gradients differ element by element, and checks every element after every step against
/// `reference` (a scalar implementation of the formula, in double), so that a kernel that
/// mishandles chunk or range offsets, or their tails, fails.
template <class MakeOptimizer, class Reference>
void check_long_block(MakeOptimizer make, Reference reference) {
  auto opt = make();
  using S = typename decltype(opt)::scalar_type;
  constexpr Eigen::Index long_size = rule_test::long_size<S>;
  Eigen::Matrix<S, Eigen::Dynamic, 1> value(long_size), gradient(long_size);
  for (Eigen::Index i = 0; i < long_size; ++i) {
    value(i) = S(std::sin(0.37 * double(i)) + 0.25);
  }
  Values p = read(value.data(), std::size_t(long_size));
  opt.add("long", value, gradient);
  for (int t = 1; t <= 3; ++t) {
    for (Eigen::Index i = 0; i < long_size; ++i) {
      gradient(i) = S(std::cos(0.11 * double(i) + double(t)) * double(1 + i % 7));
    }
    const Values g = read(gradient.data(), std::size_t(long_size));
    reference(p, g);
    opt.step();
    // Report the first mismatching element of the step, and how many there are.
    Eigen::Index mismatches = 0, first = -1;
    for (Eigen::Index i = 0; i < long_size; ++i) {
      if (double(value(i)) != approx_long<S>(p[std::size_t(i)])) {
        if (mismatches++ == 0) first = i;
      }
    }
    INFO("after step " << t << ": " << mismatches << " mismatching elements, first at " << first
                       << " (chunks of " << descent::chunk_elements<S> << ", ranges of "
                       << descent::range_elements<S> << " elements)");
    CHECK(mismatches == 0);
    if (first >= 0) CHECK(double(value(first)) == approx_long<S>(p[std::size_t(first)]));
  }
}

}  // namespace rule_test
