// With callbacks off, the drivers allocate only when a run starts: the operator new count of a
// 10-epoch run equals that of a 1-epoch run, and Eigen's malloc guard stays silent after epoch 1.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/problems/problems.hpp>

using descent_test::new_calls;

namespace {

// Forbids Eigen's heap allocation from the second epoch to the end of the run (its hooks
// allocate nothing). Only used for the Eigen witness; the operator new counts run without it.
struct ForbidEigenMallocAfterFirstEpoch {
  void on_epoch_begin(const descent::Progress& p) {
    if (p.epoch == 1) Eigen::internal::set_is_malloc_allowed(false);
  }
  void on_end(descent::Result&) { Eigen::internal::set_is_malloc_allowed(true); }
};

// operator new calls of one call of `run`.
template <class Run>
std::size_t count_new(Run run) {
  const std::size_t start = new_calls;
  run();
  return new_calls - start;
}

}  // namespace

TEMPLATE_TEST_CASE("GD allocates nothing per iteration with callbacks off", "[alloc]", float,
                   double) {
  const descent::problems::Quadratic quadratic(50, 10.0);
  using Vector = Eigen::Matrix<TestType, Eigen::Dynamic, 1>;
  Vector x = quadratic.start<TestType>(), grad = Vector::Zero(50);
  auto f = [&] { return quadratic(x, grad); };
  auto run = [&](std::int64_t iterations, bool restore) {
    descent::Adam<TestType> opt(descent::AdamOptions(1e-3));
    opt.add("x", x, grad);
    descent::GD gd(descent::GDOptions()
                       .max_iterations(iterations)
                       .gradient_tolerance(0)
                       .restore_on_non_finite(restore));
    return count_new([&] { REQUIRE(gd.minimize(f, opt).iterations == iterations); });
  };
  for (bool restore : {true, false}) {
    CHECK(run(1, restore) == run(10, restore));
    CHECK(run(1, restore) == run(200, restore));
  }
  descent::Adam<TestType> opt(descent::AdamOptions(1e-3));
  opt.add("x", x, grad);
  ForbidEigenMallocAfterFirstEpoch guard;
  descent::GD gd(descent::GDOptions().max_iterations(100).gradient_tolerance(0));
  REQUIRE_NOTHROW(gd.minimize(f, opt, guard));
}

TEMPLATE_TEST_CASE("SGD allocates nothing per epoch or step with callbacks off", "[alloc]", float,
                   double) {
  const descent::problems::LeastSquares problem(200, 8, 2);
  using Vector = Eigen::Matrix<TestType, Eigen::Dynamic, 1>;
  auto run = [&](std::int64_t epochs, bool restore) {
    Vector w = Vector::Zero(8);
    descent::SGD sgd(
        descent::SGDOptions().epochs(epochs).batch_size(16).restore_on_non_finite(restore));
    const descent::Momentum<TestType> opt(descent::MomentumOptions(0.01).momentum(0.9));
    return count_new([&] { REQUIRE(sgd.minimize(problem, w, opt).epochs == epochs); });
  };
  for (bool restore : {true, false}) {
    CHECK(run(1, restore) == run(10, restore));
  }
  Vector w = Vector::Zero(8), dw = Vector::Zero(8);
  descent::Momentum<TestType> opt(descent::MomentumOptions(0.01).momentum(0.9));
  opt.add("w", w, dw);
  auto f = descent::separable(problem.num_examples(),
                              [&](const descent::Batch& batch) { return problem(w, dw, batch); });
  ForbidEigenMallocAfterFirstEpoch guard;
  descent::SGD sgd(descent::SGDOptions().epochs(10).batch_size(16));
  REQUIRE_NOTHROW(sgd.minimize(f, opt, guard));
}
