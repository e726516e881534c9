#pragma once
/// The learned state inside a schedule: the ReduceOnPlateau stages of a composed schedule
/// (Warmup<Inner>, Sequential<...>, nested to any depth), found at compile time, so that a
/// checkpoint saves and restores them wherever they sit.

#include <cstddef>
#include <utility>

#include "descent/schedules/reduce_on_plateau.hpp"
#include "descent/schedules/sequential.hpp"
#include "descent/schedules/warmup.hpp"

namespace descent {
namespace detail {

/// Whether schedule S holds a ReduceOnPlateau (itself or nested).
template <class S>
struct contains_plateau : std::false_type {};
template <>
struct contains_plateau<ReduceOnPlateau> : std::true_type {};
template <class Inner>
struct contains_plateau<Warmup<Inner>> : contains_plateau<Inner> {};
template <class... Stages>
struct contains_plateau<Sequential<Stages...>>
    : std::bool_constant<(contains_plateau<Stages>::value || ...)> {};

/// Calls f(plateau) for every ReduceOnPlateau in `schedule`, depth first in declaration order
/// (`Schedule` may be const).
template <class Schedule, class F>
void for_each_plateau(Schedule& schedule, F& f);

template <class Sequence, class F, std::size_t... I>
void for_each_plateau_in_stages(Sequence& sequence, F& f, std::index_sequence<I...>) {
  (for_each_plateau(sequence.template stage<I>(), f), ...);
}

template <class S>
struct schedule_stage_count : std::integral_constant<std::size_t, 0> {};
template <class... Stages>
struct schedule_stage_count<Sequential<Stages...>>
    : std::integral_constant<std::size_t, sizeof...(Stages)> {};
template <class S>
struct is_warmup : std::false_type {};
template <class Inner>
struct is_warmup<Warmup<Inner>> : std::true_type {};

template <class Schedule, class F>
void for_each_plateau(Schedule& schedule, F& f) {
  using S = std::remove_const_t<Schedule>;
  if constexpr (std::is_same<S, ReduceOnPlateau>::value) {
    f(schedule);
  } else if constexpr (is_warmup<S>::value) {
    for_each_plateau(schedule.inner(), f);
  } else if constexpr (schedule_stage_count<S>::value > 0) {
    for_each_plateau_in_stages(schedule, f,
                               std::make_index_sequence<schedule_stage_count<S>::value>());
  } else {
    static_cast<void>(schedule);
    static_cast<void>(f);
  }
}

}  // namespace detail
}  // namespace descent
