#pragma once
/// An opt-in scope that flushes denormal floating-point numbers to zero on the calling thread.
///
/// Denormals (|x| < FLT_MIN = 1.2e-38 for float, 2.2e-308 for double) take a slow microcode path
/// on most CPUs, 10-100x slower per operation. Training produces them late in a run: moments of
/// gradients that have become tiny, squared gradients, decayed weights. With the scope active,
/// results that would be denormal become zero (flush-to-zero) and denormal inputs are read as
/// zero (denormals-are-zero), so a step keeps its speed. The price is the lost gradual
/// underflow, which no optimizer in this library relies on.
///
/// The floating-point control register is per thread: the scope affects only the thread that
/// creates it (with descent::openmp, the worker threads keep their own setting), and it
/// restores the previous setting when it ends. Supported on x86-64 (MXCSR FTZ and DAZ bits) and
/// AArch64 (FPCR.FZ); elsewhere it does nothing and `active()` is false.

#if defined(__x86_64__) || defined(_M_X64)
#include <xmmintrin.h>
#define DESCENT_FLUSH_DENORMALS_X86 1
#elif defined(__aarch64__)
#include <cstdint>
#define DESCENT_FLUSH_DENORMALS_ARM64 1
#endif

namespace descent {

/// Flush-to-zero and denormals-are-zero while alive (RAII), on the calling thread.
class FlushDenormals {
 public:
  FlushDenormals() noexcept {
#if defined(DESCENT_FLUSH_DENORMALS_X86)
    saved_ = _mm_getcsr();
    _mm_setcsr(saved_ | kFlushToZero | kDenormalsAreZero);
#elif defined(DESCENT_FLUSH_DENORMALS_ARM64)
    std::uint64_t fpcr = 0;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    saved_ = fpcr;
    fpcr |= std::uint64_t(1) << 24;  // FZ
    __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr));
#endif
  }
  ~FlushDenormals() {
#if defined(DESCENT_FLUSH_DENORMALS_X86)
    _mm_setcsr(saved_);
#elif defined(DESCENT_FLUSH_DENORMALS_ARM64)
    __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_));
#endif
  }
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

  /// Whether this platform supports the scope (otherwise it is a no-op).
  static constexpr bool active() {
#if defined(DESCENT_FLUSH_DENORMALS_X86) || defined(DESCENT_FLUSH_DENORMALS_ARM64)
    return true;
#else
    return false;
#endif
  }

 private:
#if defined(DESCENT_FLUSH_DENORMALS_X86)
  static constexpr unsigned kFlushToZero = 0x8000;     // MXCSR bit 15
  static constexpr unsigned kDenormalsAreZero = 0x40;  // MXCSR bit 6
  unsigned saved_ = 0;
#elif defined(DESCENT_FLUSH_DENORMALS_ARM64)
  std::uint64_t saved_ = 0;
#endif
};

}  // namespace descent
