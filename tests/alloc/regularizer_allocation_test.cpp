// step() with every kind of regularizer allocates nothing: the coupled terms are expressions,
// the decay a scalar factor and the proximal step an in-place assignment.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/regularizers/regularizers.hpp>

using descent_test::NoAllocScope;

namespace {

// A block spanning several chunks plus a small one, ten steps under both guards.
template <class Optimizer>
void check_regularized_steps_allocate_nothing(Optimizer& opt) {
  using Scalar = typename Optimizer::scalar_type;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  Vector w = Vector::LinSpaced(5000, Scalar(-1), Scalar(1));
  Vector dw = Vector::Constant(5000, Scalar(0.25));
  Matrix m = Matrix::Constant(40, 30, Scalar(0.5)), dm = Matrix::Constant(40, 30, Scalar(-0.5));
  Vector b = Vector::Ones(7), db = Vector::Ones(7);
  opt.add("w", w, dw);
  opt.add("m", m, dm, descent::BlockOptions().lr_multiplier(0.5));
  opt.add("b", b, db, descent::BlockOptions().regularize(false));
  NoAllocScope scope;
  for (int i = 0; i < 10; ++i) REQUIRE_NOTHROW(opt.step());
  double penalty = 0.0;
  REQUIRE_NOTHROW(penalty = opt.penalty());
  CHECK(scope.new_calls_since_start() == 0);
  CHECK(penalty > 0.0);
}

}  // namespace

TEMPLATE_TEST_CASE("step() with L1, L2, WeightDecay and ProximalL1 performs no heap allocation",
                   "[alloc][regularizers]", float, double) {
  SECTION("Adam with every regularizer") {
    descent::Adam<TestType, descent::Constant, descent::L1, descent::L2, descent::WeightDecay,
                  descent::ProximalL1>
        opt(descent::AdamOptions(0.01), descent::Constant(), descent::L1(1e-3), descent::L2(1e-2),
            descent::WeightDecay(1e-2), descent::ProximalL1(1e-3));
    check_regularized_steps_allocate_nothing(opt);
  }
  SECTION("AdamW") {
    descent::AdamW<TestType> opt(descent::AdamOptions(0.01), descent::Constant(),
                                 descent::WeightDecay());
    check_regularized_steps_allocate_nothing(opt);
  }
  SECTION("SgdW with ProximalL1") {
    descent::SgdW<TestType, descent::Constant, descent::ProximalL1> opt(
        descent::SgdOptions(0.1), descent::Constant(), descent::WeightDecay(0.1),
        descent::ProximalL1(0.01));
    check_regularized_steps_allocate_nothing(opt);
  }
  SECTION("Nesterov with L1 and L2") {
    descent::Nesterov<TestType, descent::Constant, descent::L1, descent::L2> opt(
        descent::MomentumOptions(0.1), descent::Constant(), descent::L1(1e-3), descent::L2(1e-2));
    check_regularized_steps_allocate_nothing(opt);
  }
}
