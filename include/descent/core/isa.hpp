#pragma once
/// Instruction sets chosen at run time.
///
/// Eigen picks its SIMD width when a translation unit is compiled: with a distribution's default
/// flags (x86-64 baseline) that is SSE2, four floats per instruction, and an Adam step's division
/// and square root then cost more than moving its bytes. Every x86-64 CPU since 2011 has AVX, so
/// the kernels that are bound by arithmetic at SSE2 (Adam's) carry a second, AVX version of their
/// pass, compiled with a function-level target attribute, and pick it when the CPU supports AVX
/// and the build did not already enable it. Both versions perform the same IEEE operations in the
/// same order (no fused multiply-add), so they give bit-identical results; only the speed
/// differs.
///
/// `limit_isa(Isa::compiled)` turns the runtime choice off (benchmarks compare the two; tests
/// check the results are identical). Defining `DESCENT_NO_RUNTIME_ISA` before including descent
/// removes it at compile time.

#include <atomic>

#if !defined(DESCENT_NO_RUNTIME_ISA) && (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__)) && !defined(__AVX__)
#define DESCENT_RUNTIME_AVX 1
/// Marks a function compiled for AVX whatever the translation unit's flags are.
#define DESCENT_TARGET_AVX __attribute__((target("avx")))
#else
#define DESCENT_RUNTIME_AVX 0
#endif

namespace descent {

/// The instruction sets the kernels can choose at run time. `compiled`: whatever the build's
/// flags give Eigen (SSE2 on a default x86-64 build); `avx`: the AVX passes of the kernels that
/// have one.
enum class Isa { compiled = 0, avx = 1 };

inline const char* to_string(Isa isa) { return isa == Isa::avx ? "avx" : "compiled"; }

namespace detail {

inline bool cpu_has_avx() noexcept {
#if DESCENT_RUNTIME_AVX
  // libgcc / compiler-rt also check that the OS saves the YMM registers (XGETBV).
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx") != 0;
#else
  return false;
#endif
}

inline std::atomic<Isa>& isa_cap() noexcept {
  static std::atomic<Isa> cap{Isa::avx};
  return cap;
}

}  // namespace detail

/// The widest instruction set this build and this CPU allow at run time (`compiled` when the
/// build already targets AVX or wider, or on other architectures: there is nothing to add).
inline Isa supported_isa() noexcept {
  static const Isa supported = detail::cpu_has_avx() ? Isa::avx : Isa::compiled;
  return supported;
}

/// Caps the kernels' choice for all threads from the next step on; returns the previous cap.
/// For benchmarks and tests that compare the passes; results do not depend on it.
inline Isa limit_isa(Isa cap) noexcept { return detail::isa_cap().exchange(cap); }

/// The instruction set the kernels use now: the supported one, within the cap.
inline Isa active_isa() noexcept {
  const Isa cap = detail::isa_cap().load(std::memory_order_relaxed);
  const Isa supported = supported_isa();
  return static_cast<int>(cap) < static_cast<int>(supported) ? cap : supported;
}

}  // namespace descent
