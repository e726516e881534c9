#pragma once
// Twin runs for the strong-guarantee tests: two optimizers over identical blocks, one of which
// sees a failing call; afterwards both must step to bitwise identical parameters and state.

#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <vector>

namespace descent_test {

template <class Scalar>
using MatrixX = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <class Scalar>
using RowMajorMatrixX = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class Scalar>
using VectorX = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
template <class Scalar>
using RowVectorX = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;

/// True when `a` and `b` have the same shape and bitwise equal (NaN-free) elements.
template <class A, class B>
bool same_values(const A& a, const B& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

/// Every array of a rule's state (in visit order), widened to double (exact for float).
template <class State>
std::vector<Eigen::ArrayXd> state_arrays(const State& state) {
  std::vector<Eigen::ArrayXd> arrays;
  State::visit(state, [&](const char* /*name*/, const auto& array) {
    arrays.push_back(array.template cast<double>());
  });
  return arrays;
}

/// True when two states hold the same update count and bitwise equal arrays.
template <class State>
bool same_state(const State& a, const State& b) {
  const std::vector<Eigen::ArrayXd> x = state_arrays(a), y = state_arrays(b);
  if (a.steps != b.steps || x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!same_values(x[i], y[i])) return false;
  }
  return true;
}

/// Two blocks with fixed values: "w" (3x2 matrix) and "b" (vector of 4), gradients of mixed sign.
template <class Scalar>
struct TwoBlocks {
  MatrixX<Scalar> w{3, 2}, dw{3, 2};
  VectorX<Scalar> b{4}, db{4};

  TwoBlocks() {
    w << Scalar(0.5), Scalar(-1), Scalar(2), Scalar(0.25), Scalar(-3), Scalar(1.5);
    dw << Scalar(0.1), Scalar(-0.2), Scalar(0.3), Scalar(-0.4), Scalar(0.5), Scalar(-0.6);
    b << Scalar(1), Scalar(-2), Scalar(3), Scalar(-4);
    db << Scalar(-0.05), Scalar(0.15), Scalar(-0.25), Scalar(0.35);
  }
  template <class Optimizer>
  void add_to(Optimizer& opt) {
    opt.add("w", w, dw);
    opt.add("b", b, db);
  }
};

/// Two optimizers built alike over two TwoBlocks, each stepped once so state is non-trivial.
template <class Optimizer>
struct Twin {
  using Scalar = typename Optimizer::scalar_type;
  TwoBlocks<Scalar> blocks_a, blocks_b;
  Optimizer a, b;

  explicit Twin(const typename Optimizer::Options& options) : a(options), b(options) {
    blocks_a.add_to(a);
    blocks_b.add_to(b);
    a.step();
    b.step();
  }

  /// Steps both and checks they agree exactly: parameters, state and counters.
  void check_identical_after_step() {
    REQUIRE(a.num_blocks() == b.num_blocks());
    a.step();
    b.step();
    CHECK(a.step_count() == b.step_count());
    CHECK(a.lr() == b.lr());
    CHECK(same_values(blocks_a.w, blocks_b.w));
    CHECK(same_values(blocks_a.b, blocks_b.b));
    for (std::size_t i = 0; i < a.num_blocks(); ++i) CHECK(same_state(a.state(i), b.state(i)));
  }
};

}  // namespace descent_test
