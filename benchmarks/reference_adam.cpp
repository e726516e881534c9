// Compiled with -fno-math-errno (see CMakeLists.txt): std::sqrt then vectorizes.
#include "reference_adam.hpp"

#include <cmath>

namespace descent_bench {
namespace {
template <class S>
void adam_loop(S* __restrict p, const S* __restrict g, S* __restrict m, S* __restrict v,
               std::size_t n, S beta1, S beta2, S step_size, S inv_bc2_sqrt, S eps) {
  const S one_minus_beta1 = S(1) - beta1;
  const S one_minus_beta2 = S(1) - beta2;
  for (std::size_t i = 0; i < n; ++i) {
    const S gi = g[i];
    const S mi = beta1 * m[i] + one_minus_beta1 * gi;
    const S vi = beta2 * v[i] + one_minus_beta2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= step_size * mi / (std::sqrt(vi) * inv_bc2_sqrt + eps);
  }
}
}  // namespace

void reference_adam(float* p, const float* g, float* m, float* v, std::size_t n, float beta1,
                    float beta2, float step_size, float inv_bc2_sqrt, float eps) {
  adam_loop(p, g, m, v, n, beta1, beta2, step_size, inv_bc2_sqrt, eps);
}
void reference_adam(double* p, const double* g, double* m, double* v, std::size_t n, double beta1,
                    double beta2, double step_size, double inv_bc2_sqrt, double eps) {
  adam_loop(p, g, m, v, n, beta1, beta2, step_size, inv_bc2_sqrt, eps);
}

}  // namespace descent_bench
