#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <type_traits>

#include <Eigen/Core>

#include "descent/optimizers.hpp"
#include "descent/schedules/schedules.hpp"

namespace {

// Runs plain SGD with gradient 1 on one parameter, so each step moves it by exactly the
// scheduled rate; checks opt.lr() and the move against schedule.lr(base, t) at every step.
template <class Scalar, class Schedule>
void check_sgd_follows(const Schedule& schedule, double base, std::int64_t steps) {
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> p = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Ones(1);
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> g = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>::Ones(1);
  descent::Sgd<Scalar, Schedule> opt(descent::SgdOptions(base), schedule);
  opt.add("p", p, g);
  const double tolerance = std::is_same<Scalar, float>::value ? 1e-6 : 1e-14;
  for (std::int64_t t = 0; t < steps; ++t) {
    const double expected = schedule.lr(base, t);
    CHECK(opt.lr() == expected);
    const Scalar before = p(0);
    opt.step();
    CHECK(static_cast<double>(before - p(0)) == Approx(expected).margin(tolerance));
  }
  CHECK(opt.step_count() == steps);
}

}  // namespace

TEMPLATE_TEST_CASE("Sgd with StepDecay moves the parameter by the scheduled rate",
                   "[schedules][optimizer]", float, double) {
  Eigen::Matrix<TestType, Eigen::Dynamic, 1> p(1), g(1);
  p << TestType(1);
  g << TestType(1);
  descent::Sgd<TestType, descent::StepDecay> opt(descent::SgdOptions(0.1),
                                                 descent::StepDecay(2, 0.5));
  opt.add("p", p, g);
  // rates 0.1, 0.1, 0.05, 0.05, 0.025: p = 1 - 0.1 = 0.9, 0.8, 0.75, 0.7, 0.675
  const double rates[] = {0.1, 0.1, 0.05, 0.05, 0.025};
  const double values[] = {0.9, 0.8, 0.75, 0.7, 0.675};
  for (int i = 0; i < 5; ++i) {
    CHECK(opt.lr() == Approx(rates[i]));
    opt.step();
    CHECK(p(0) == Approx(TestType(values[i])));
  }
}

TEMPLATE_TEST_CASE("Every schedule composes into an optimizer", "[schedules][optimizer]", float,
                   double) {
  check_sgd_follows<TestType>(descent::Constant(), 0.1, 4);
  check_sgd_follows<TestType>(descent::StepDecay(2, 0.5), 0.1, 6);
  check_sgd_follows<TestType>(descent::MultiStep({2, 4}, 0.1), 0.1, 6);
  check_sgd_follows<TestType>(descent::Exponential(0.9), 0.1, 6);
  check_sgd_follows<TestType>(descent::InverseTimeDecay(0.5, 2.0), 0.1, 6);
  check_sgd_follows<TestType>(descent::Polynomial(4, 2.0, 0.01), 0.1, 6);
  check_sgd_follows<TestType>(descent::Cosine(4, 0.01), 0.1, 6);
  check_sgd_follows<TestType>(descent::CosineWarmRestarts(2, 2), 0.1, 8);
  check_sgd_follows<TestType>(descent::Warmup<descent::Cosine>(2, descent::Cosine(4), 0.5), 0.1, 8);
  check_sgd_follows<TestType>(descent::OneCycle(6), 0.1, 8);
  check_sgd_follows<TestType>(descent::ReduceOnPlateau(), 0.1, 3);
  check_sgd_follows<TestType>(descent::Sequential<descent::Constant, descent::Exponential>(
                                  {2}, descent::Constant(), descent::Exponential(0.5)),
                              0.1, 5);
}

TEST_CASE("set_lr rescales the schedule from the current step", "[schedules][optimizer]") {
  Eigen::VectorXd p = Eigen::VectorXd::Ones(1), g = Eigen::VectorXd::Ones(1);
  descent::Sgd<double, descent::StepDecay> opt(descent::SgdOptions(0.1),
                                               descent::StepDecay(2, 0.5));
  opt.add("p", p, g);
  opt.step();
  opt.step();  // t = 2: 0.1 * 0.5
  CHECK(opt.lr() == Approx(0.05));
  opt.set_lr(0.4);
  CHECK(opt.base_lr() == 0.4);
  CHECK(opt.lr() == Approx(0.2));  // 0.4 * 0.5: the schedule scales the new base
  opt.step();
  CHECK(p(0) == Approx(1.0 - 0.1 - 0.1 - 0.2));
  opt.step();  // t = 4: 0.4 * 0.25
  CHECK(opt.lr() == Approx(0.1));
}

TEST_CASE("ReduceOnPlateau gets metrics through opt.schedule().report", "[schedules][optimizer]") {
  Eigen::VectorXd p = Eigen::VectorXd::Ones(1), g = Eigen::VectorXd::Ones(1);
  descent::Sgd<double, descent::ReduceOnPlateau> opt(
      descent::SgdOptions(1.0),
      descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(0).factor(0.5)));
  opt.add("p", p, g);
  opt.step();  // rate 1: p = 0
  opt.schedule().report(3.0);
  opt.schedule().report(4.0);  // worse with patience 0: 1 * 0.5
  CHECK(opt.lr() == 0.5);
  opt.step();  // p = 0 - 0.5
  CHECK(p(0) == -0.5);
  opt.set_lr(0.4);  // the reduction replays from the new base: 0.4 * 0.5
  CHECK(opt.lr() == 0.2);
}

TEST_CASE("Adam with Warmup<Cosine> takes a zero-rate first step that still counts",
          "[schedules][optimizer]") {
  Eigen::VectorXf w = Eigen::VectorXf::Constant(3, 1.0f), dw = Eigen::VectorXf::Constant(3, 0.5f);
  using Schedule = descent::Warmup<descent::Cosine>;
  descent::Adam<float, Schedule> opt(descent::AdamOptions(1e-3),
                                     Schedule(100, descent::Cosine(1000)));
  opt.add("w", w, dw);
  CHECK(opt.lr() == 0.0);
  opt.step();  // start_factor 0: rate 0, parameters unchanged, the step is counted
  CHECK(w.isApprox(Eigen::VectorXf::Constant(3, 1.0f)));
  CHECK(opt.state("w").steps == 1);
  CHECK(opt.lr() == Approx(1e-5));  // 1e-3 * 1/100
  opt.step();
  CHECK((w.array() < 1.0f).all());
}
