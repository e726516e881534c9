#pragma once
// Hand-written Adam, one plain loop over raw arrays, in its own translation unit compiled with
// -fno-math-errno so that it vectorizes: the reference the fused kernel is held against.
#include <cstddef>

namespace descent_bench {

void reference_adam(float* p, const float* g, float* m, float* v, std::size_t n, float beta1,
                    float beta2, float step_size, float inv_bc2_sqrt, float eps);
void reference_adam(double* p, const double* g, double* m, double* v, std::size_t n, double beta1,
                    double beta2, double step_size, double inv_bc2_sqrt, double eps);

}  // namespace descent_bench
