#pragma once
/// Instruction sets chosen at run time.
///
/// Eigen picks its SIMD width when a translation unit is compiled: with a distribution's default
/// flags (x86-64 baseline) that is SSE2, four floats per instruction, and an Adam step's division
/// and square root then cost more than moving its bytes. The kernels that are bound by
/// arithmetic (Adam's) therefore carry passes compiled with function-level target attributes
/// and pick the widest one the CPU supports, when the build did not already enable it:
///   - AVX (8 floats, 4 doubles): every x86-64 CPU since 2011;
///   - AVX-512F (16 floats, 8 doubles): Intel server parts since 2017, AMD since Zen 4. Where
///     the CPU divides and takes square roots 512 bits at a time (Zen 4/5, Ice Lake and later)
///     this halves the arithmetic of an in-cache step again.
/// Every pass performs the same IEEE operations in the same order with no fused multiply-add,
/// so they give bit-identical results; only the speed differs.
///
/// `limit_isa(Isa::avx)` or `limit_isa(Isa::compiled)` caps the runtime choice (benchmarks
/// compare the passes; tests check the results are identical; a user on a CPU whose clock drops
/// under 512-bit arithmetic may prefer AVX). Defining `DESCENT_NO_RUNTIME_ISA` before including
/// descent removes the runtime passes at compile time.

#include <atomic>

#if !defined(DESCENT_NO_RUNTIME_ISA) && (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__))
#if !defined(__AVX__)
#define DESCENT_RUNTIME_AVX 1
#endif
#if !defined(__AVX512F__)
#define DESCENT_RUNTIME_AVX512 1
#endif
#endif
#if !defined(DESCENT_RUNTIME_AVX)
#define DESCENT_RUNTIME_AVX 0
#endif
#if !defined(DESCENT_RUNTIME_AVX512)
#define DESCENT_RUNTIME_AVX512 0
#endif
/// Mark functions compiled for AVX / AVX-512F whatever the translation unit's flags are.
#define DESCENT_TARGET_AVX __attribute__((target("avx")))
#define DESCENT_TARGET_AVX512 __attribute__((target("avx512f")))

namespace descent {

/// The instruction sets the kernels can choose at run time, narrowest first. `compiled`: whatever
/// the build's flags give Eigen (SSE2 on a default x86-64 build); `avx`, `avx512`: the AVX and
/// AVX-512F passes of the kernels that have them.
enum class Isa { compiled = 0, avx = 1, avx512 = 2 };

inline const char* to_string(Isa isa) {
  switch (isa) {
    case Isa::avx:
      return "avx";
    case Isa::avx512:
      return "avx512";
    default:
      return "compiled";
  }
}

namespace detail {

/// The widest runtime pass this build has and this CPU supports. libgcc / compiler-rt also check
/// that the OS saves the wider registers (XGETBV).
inline Isa detect_isa() noexcept {
#if DESCENT_RUNTIME_AVX || DESCENT_RUNTIME_AVX512
  __builtin_cpu_init();
#endif
#if DESCENT_RUNTIME_AVX512
  if (__builtin_cpu_supports("avx512f") != 0) return Isa::avx512;
#endif
#if DESCENT_RUNTIME_AVX
  if (__builtin_cpu_supports("avx") != 0) return Isa::avx;
#endif
  return Isa::compiled;
}

inline std::atomic<Isa>& isa_cap() noexcept {
  static std::atomic<Isa> cap{Isa::avx512};
  return cap;
}

}  // namespace detail

/// The widest instruction set this build and this CPU allow at run time (`compiled` when the
/// build already targets AVX-512F, or on other architectures: there is nothing to add; a build
/// that targets AVX but not AVX-512F on a CPU with AVX-512F gets `avx512`, and capped at `avx`
/// it runs its compiled pass, which is already AVX).
inline Isa supported_isa() noexcept {
  static const Isa supported = detail::detect_isa();
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
