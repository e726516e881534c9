#pragma once
// Shared by the checkpoint tests: a two-block model with a deterministic gradient, a training
// loop, and comparisons of every piece of optimizer state.

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace ckpt {

/// A weight matrix and a bias, filled with `fill` + a pattern, with their gradients.
template <class S>
struct Model {
  Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic> w, gw;
  Eigen::Matrix<S, Eigen::Dynamic, 1> b, gb;
  explicit Model(S fill = S(0), Eigen::Index rows = 3, Eigen::Index cols = 4)
      : w(rows, cols), gw(rows, cols), b(rows), gb(rows) {
    for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = fill + S(0.25) * S(i % 5) - S(0.5);
    for (Eigen::Index i = 0; i < b.size(); ++i) b[i] = fill - S(0.125) * S(i);
    gw.setZero();
    gb.setZero();
  }
  template <class Opt>
  void add_to(Opt& opt, const std::string& prefix = "") {
    opt.add(prefix + "w", w, gw);
    opt.add(prefix + "b", b, gb, descent::BlockOptions().regularize(false).lr_multiplier(0.5));
  }
  /// The gradient of step t: a function of the parameters and t only.
  void gradient(std::int64_t t) {
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      gw.data()[i] = S(0.5) * w.data()[i] - S(0.3) + S(0.01) * S(std::sin(double(t) + double(i)));
    }
    for (Eigen::Index i = 0; i < b.size(); ++i) {
      gb[i] = b[i] * S(t % 3) + S(0.2) * S(std::cos(double(t * 7 + i)));
    }
  }
};

/// A metric for reduce-on-plateau: improves for 4 reports, then stalls (so reductions happen).
inline double plateau_metric(std::int64_t t) { return t < 4 ? 10.0 - double(t) : 6.5; }

/// Steps t in [from, to): gradient, step, and a metric for a ReduceOnPlateau schedule.
template <class Opt, class M>
void train(Opt& opt, M& model, std::int64_t from, std::int64_t to) {
  for (std::int64_t t = from; t < to; ++t) {
    model.gradient(t);
    opt.step();
    if constexpr (std::is_same<typename Opt::schedule_type, descent::ReduceOnPlateau>::value) {
      opt.schedule().report(plateau_metric(t));
    }
  }
}

/// Every state array of a block, in visit order.
template <class Opt>
std::vector<typename Opt::Array> state_arrays(const Opt& opt, const std::string& name) {
  std::vector<typename Opt::Array> arrays;
  auto state = opt.state(name);
  Opt::State::visit(state, [&](const char*, const typename Opt::Array& a) { arrays.push_back(a); });
  return arrays;
}

/// Bitwise-equal arrays (NaNs in the same places count as equal).
template <class A, class B>
bool same_bits(const A& a, const B& b) {
  if (a.size() != b.size()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const auto x = a.data()[i], y = b.data()[i];
    if (!(x == y) && !(std::isnan(x) && std::isnan(y))) return false;
  }
  return true;
}

/// Everything observable of an optimizer (state, counters, rate), compared exactly.
template <class Opt>
void require_same_optimizer(const Opt& a, const Opt& b) {
  REQUIRE(a.step_count() == b.step_count());
  REQUIRE(a.skipped_steps() == b.skipped_steps());
  REQUIRE(a.lr() == b.lr());
  REQUIRE(a.num_blocks() == b.num_blocks());
  for (std::size_t i = 0; i < a.num_blocks(); ++i) {
    const std::string name = a.block(i).name();
    INFO("block " << name);
    REQUIRE(a.state(name).steps == b.state(name).steps);
    const auto sa = state_arrays(a, name), sb = state_arrays(b, name);
    REQUIRE(sa.size() == sb.size());
    for (std::size_t k = 0; k < sa.size(); ++k) REQUIRE(same_bits(sa[k], sb[k]));
    REQUIRE(a.block(name).options().lr_multiplier() == b.block(name).options().lr_multiplier());
    REQUIRE(a.block(name).options().regularize() == b.block(name).options().regularize());
  }
}

/// A snapshot of an optimizer and its model, to check that a failed load changed nothing.
template <class Opt, class M>
struct Snapshot {
  std::vector<std::vector<typename Opt::Array>> states;
  std::vector<std::int64_t> steps;
  std::int64_t step_count, skipped;
  double lr;
  M model;
  Snapshot(const Opt& opt, const M& m)
      : step_count(opt.step_count()), skipped(opt.skipped_steps()), lr(opt.lr()), model(m) {
    for (std::size_t i = 0; i < opt.num_blocks(); ++i) {
      states.push_back(state_arrays(opt, opt.block(i).name()));
      steps.push_back(opt.state(i).steps);
    }
  }
  void require_unchanged(const Opt& opt, const M& m) const {
    REQUIRE(opt.step_count() == step_count);
    REQUIRE(opt.skipped_steps() == skipped);
    REQUIRE(opt.lr() == lr);
    REQUIRE(same_bits(m.w, model.w));
    REQUIRE(same_bits(m.b, model.b));
    for (std::size_t i = 0; i < opt.num_blocks(); ++i) {
      REQUIRE(opt.state(i).steps == steps[i]);
      const auto now = state_arrays(opt, opt.block(i).name());
      for (std::size_t k = 0; k < now.size(); ++k) REQUIRE(same_bits(now[k], states[i][k]));
    }
  }
};

}  // namespace ckpt
