// step() allocates nothing: neither through operator new nor through Eigen's malloc.
#include "alloc/alloc_guard.hpp"

#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <vector>

using descent_test::EigenAssertion;
using descent_test::NoAllocScope;

TEST_CASE("The guards detect allocation, so their silence means something", "[alloc]") {
  SECTION("an Eigen temporary under the guard throws") {
    Eigen::ArrayXf a = Eigen::ArrayXf::Ones(100);
    NoAllocScope scope;
    CHECK_THROWS_AS(Eigen::ArrayXf(a * 2.0f), EigenAssertion);
  }
  SECTION("operator new is counted") {
    NoAllocScope scope;
    std::vector<int> v(10);
    CHECK(scope.new_calls_since_start() == 1);
  }
}

namespace {

// Registers a matrix, a vector and a fixed-size block spanning several chunks, fills gradients,
// and checks that ten steps allocate nothing.
template <class Optimizer>
void check_steps_allocate_nothing(Optimizer& opt) {
  using Scalar = typename Optimizer::scalar_type;
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  Matrix w = Matrix::Constant(70, 50, Scalar(0.5)), dw = Matrix::Constant(70, 50, Scalar(0.25));
  Vector b = Vector::Constant(3000, Scalar(-1)), db = Vector::Constant(3000, Scalar(0.5));
  Eigen::Matrix<Scalar, 3, 2> f = Eigen::Matrix<Scalar, 3, 2>::Ones(), df = f;
  opt.add("w", w, dw);
  opt.add("b", b, db, descent::BlockOptions().regularize(false).lr_multiplier(0.5));
  opt.add("f", f, df);
  NoAllocScope scope;
  for (int i = 0; i < 10; ++i) REQUIRE_NOTHROW(opt.step());
  REQUIRE_NOTHROW(opt.zero_grad());
  CHECK(scope.new_calls_since_start() == 0);
}

}  // namespace

TEMPLATE_TEST_CASE("step() performs no heap allocation for every rule", "[alloc]", float, double) {
  SECTION("Sgd") {
    descent::Sgd<TestType> opt(descent::SgdOptions(0.1));
    check_steps_allocate_nothing(opt);
  }
  SECTION("Momentum") {
    descent::Momentum<TestType> opt(descent::MomentumOptions(0.1).dampening(0.1));
    check_steps_allocate_nothing(opt);
  }
  SECTION("Nesterov") {
    descent::Nesterov<TestType> opt(descent::MomentumOptions(0.1));
    check_steps_allocate_nothing(opt);
  }
  SECTION("Adam") {
    descent::Adam<TestType> opt(descent::AdamOptions(0.1));
    check_steps_allocate_nothing(opt);
  }
  SECTION("AMSGrad") {
    descent::Adam<TestType> opt(descent::AdamOptions(0.1).amsgrad(true));
    check_steps_allocate_nothing(opt);
  }
  SECTION("RMSprop centered with momentum") {
    descent::RMSprop<TestType> opt(descent::RMSpropOptions(0.1).centered(true).momentum(0.9));
    check_steps_allocate_nothing(opt);
  }
  SECTION("RMSprop plain") {
    descent::RMSprop<TestType> opt(descent::RMSpropOptions(0.1));
    check_steps_allocate_nothing(opt);
  }
  SECTION("Adagrad") {
    descent::Adagrad<TestType> opt(descent::AdagradOptions(0.1).lr_decay(0.01));
    check_steps_allocate_nothing(opt);
  }
}
