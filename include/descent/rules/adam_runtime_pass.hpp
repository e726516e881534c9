#pragma once
/// The choice among Adam's runtime passes (AVX-512F, AVX; see core/isa.hpp) for one chunk.

#include <Eigen/Core>

#include "descent/core/isa.hpp"
#include "descent/rules/adam_avx.hpp"
#include "descent/rules/adam_avx512.hpp"

namespace descent::detail {

/// Runs Adam's pass for `isa` over n elements when this build has one for it and returns true;
/// returns false when the compiled pass must run (`isa` is `compiled`, or the build already
/// targets `isa`).
template <bool AmsGrad, class Scalar, class Kernel>
bool adam_runtime_pass([[maybe_unused]] Isa isa, [[maybe_unused]] const Kernel& k,
                       [[maybe_unused]] Scalar* value, [[maybe_unused]] const Scalar* grad,
                       [[maybe_unused]] Scalar* m, [[maybe_unused]] Scalar* v,
                       [[maybe_unused]] Scalar* v_max, [[maybe_unused]] Eigen::Index n) {
#if DESCENT_RUNTIME_AVX512
  if (isa == Isa::avx512) {
    avx512::adam_pass<AmsGrad, Scalar>(k, value, grad, m, v, v_max, n);
    return true;
  }
#endif
#if DESCENT_RUNTIME_AVX
  if (isa == Isa::avx) {
    avx::adam_pass<AmsGrad, Scalar>(k, value, grad, m, v, v_max, n);
    return true;
  }
#endif
  return false;
}

}  // namespace descent::detail
