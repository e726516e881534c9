#pragma once
/// Sequential<Schedules...>: schedules one after another, switching at milestones (PyTorch
/// SequentialLR).

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include "descent/schedules/checks.hpp"

namespace descent {

/// With milestones m_1 < ... < m_{K-1} (and m_0 = 0), schedule k runs on [m_k, m_{k+1}) with
/// its own clock starting at 0:  lr(t) = schedule_k.lr(base, t - m_k), k = #{i : m_i <= t};
/// the last schedule runs forever. This is SequentialLR(schedulers, milestones), in which the
/// scheduler that takes over at a milestone starts from its own step 0. Dispatch is a
/// compile-time index over the pack: no virtual calls, no allocation.
template <class... Schedules>
class Sequential {
  static_assert(sizeof...(Schedules) >= 1, "descent::Sequential needs at least one schedule");

 public:
  using Milestones = std::array<std::int64_t, sizeof...(Schedules) - 1>;

  /// `milestones`: one fewer than the schedules, positive and strictly increasing.
  explicit Sequential(const Milestones& milestones, Schedules... schedules)
      : milestones_(milestones), schedules_(std::move(schedules)...) {
    detail::require_milestones("Sequential", milestones_.data(), milestones_.size());
  }

  double lr(double base_lr, std::int64_t t) const {
    assert(t >= 0);
    std::size_t k = 0;
    while (k < milestones_.size() && milestones_[k] <= t) ++k;
    return lr_at<0>(k, base_lr, t);
  }

  const Milestones& milestones() const { return milestones_; }
  /// The I-th schedule (e.g. to report a metric to a ReduceOnPlateau stage).
  template <std::size_t I>
  auto& stage() {
    return std::get<I>(schedules_);
  }
  template <std::size_t I>
  const auto& stage() const {
    return std::get<I>(schedules_);
  }

 private:
  template <std::size_t I>
  double lr_at(std::size_t k, double base_lr, std::int64_t t) const {
    if constexpr (I + 1 < sizeof...(Schedules)) {
      if (k != I) return lr_at<I + 1>(k, base_lr, t);
    }
    if constexpr (I == 0) {
      return std::get<0>(schedules_).lr(base_lr, t);
    } else {
      return std::get<I>(schedules_).lr(base_lr, t - milestones_[I - 1]);
    }
  }

  Milestones milestones_;
  std::tuple<Schedules...> schedules_;
};

}  // namespace descent
