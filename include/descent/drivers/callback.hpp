#pragma once
/// The callback concept and how drivers call hooks (detected at compile time, absent ones cost
/// nothing).

#include <initializer_list>
#include <tuple>
#include <type_traits>
#include <utility>

#include "descent/drivers/result.hpp"

namespace descent {

/// A callback is any object with some of these member functions (all optional):
///   on_begin(const Progress&)        before the first step
///   on_epoch_begin(const Progress&)  before each epoch (GD: each iteration)
///   on_step(const Progress&)         after each optimizer step
///   on_epoch_end(const Progress&)    after each epoch, with the epoch's loss
///   on_end(Result&)                  once, after the run; may amend the result
/// Each may also take the optimizer as a second argument (`(const Progress&, Optimizer&)`,
/// `(Result&, Optimizer&)`), typically a template. Hooks return void, bool (false stops) or
/// Continue; on_end's return value is ignored. Every callback's hook runs; the run stops if any
/// asks to (the first callback that asked decides the reason).
namespace detail {

template <class R>
constexpr Continue as_continue(R value) {
  if constexpr (std::is_same<R, bool>::value) {
    return value ? Continue::yes : Continue::stop;
  } else {
    static_assert(std::is_same<R, Continue>::value,
                  "descent: a callback hook returns void, bool or descent::Continue");
    return value;
  }
}

// For each hook: detection of the (arg) and (arg, optimizer) forms and a caller.
#define DESCENT_DETAIL_HOOK(hook)                                                                 \
  template <class C, class A, class = void>                                                       \
  struct has_##hook##_1 : std::false_type {};                                                     \
  template <class C, class A>                                                                     \
  struct has_##hook##_1<C, A, std::void_t<decltype(std::declval<C&>().hook(std::declval<A&>()))>> \
      : std::true_type {};                                                                        \
  template <class C, class A, class O, class = void>                                              \
  struct has_##hook##_2 : std::false_type {};                                                     \
  template <class C, class A, class O>                                                            \
  struct has_##hook##_2<                                                                          \
      C, A, O,                                                                                    \
      std::void_t<decltype(std::declval<C&>().hook(std::declval<A&>(), std::declval<O&>()))>>     \
      : std::true_type {};                                                                        \
  template <class C, class A, class O>                                                            \
  Continue call_##hook(C& callback, A& arg, O& opt) {                                             \
    if constexpr (has_##hook##_2<C, A, O>::value) {                                               \
      using R = decltype(callback.hook(arg, opt));                                                \
      if constexpr (std::is_void<R>::value) {                                                     \
        callback.hook(arg, opt);                                                                  \
        return Continue::yes;                                                                     \
      } else {                                                                                    \
        return as_continue<R>(callback.hook(arg, opt));                                           \
      }                                                                                           \
    } else if constexpr (has_##hook##_1<C, A>::value) {                                           \
      using R = decltype(callback.hook(arg));                                                     \
      if constexpr (std::is_void<R>::value) {                                                     \
        callback.hook(arg);                                                                       \
        return Continue::yes;                                                                     \
      } else {                                                                                    \
        return as_continue<R>(callback.hook(arg));                                                \
      }                                                                                           \
    } else {                                                                                      \
      static_cast<void>(callback);                                                                \
      static_cast<void>(arg);                                                                     \
      static_cast<void>(opt);                                                                     \
      return Continue::yes;                                                                       \
    }                                                                                             \
  }

DESCENT_DETAIL_HOOK(on_begin)
DESCENT_DETAIL_HOOK(on_epoch_begin)
DESCENT_DETAIL_HOOK(on_step)
DESCENT_DETAIL_HOOK(on_epoch_end)
DESCENT_DETAIL_HOOK(on_end)
#undef DESCENT_DETAIL_HOOK

/// The first request to stop among `results`, or Continue::yes.
inline Continue first_stop(std::initializer_list<Continue> results) {
  for (Continue c : results) {
    if (c != Continue::yes) return c;
  }
  return Continue::yes;
}

/// The callbacks of one run, held by reference, and the optimizer they may receive.
template <class Opt, class... Callbacks>
class CallbackSet {
 public:
  explicit CallbackSet(Opt& opt, Callbacks&... callbacks) : opt_(opt), callbacks_(callbacks...) {}

  Continue begin(const Progress& p) {
    return each([&](auto& c) { return call_on_begin(c, p, opt_); });
  }
  Continue epoch_begin(const Progress& p) {
    return each([&](auto& c) { return call_on_epoch_begin(c, p, opt_); });
  }
  Continue step(const Progress& p) {
    return each([&](auto& c) { return call_on_step(c, p, opt_); });
  }
  Continue epoch_end(const Progress& p) {
    return each([&](auto& c) { return call_on_epoch_end(c, p, opt_); });
  }
  void end(Result& result) {
    each([&](auto& c) { return call_on_end(c, result, opt_); });
  }

 private:
  template <class F>
  Continue each(F&& f) {
    if constexpr (sizeof...(Callbacks) == 0) {
      static_cast<void>(f);
      return Continue::yes;
    } else {
      return std::apply([&](auto&... c) { return first_stop({f(c)...}); }, callbacks_);
    }
  }

  Opt& opt_;
  std::tuple<Callbacks&...> callbacks_;
};

}  // namespace detail
}  // namespace descent
