// Hostile input: denormal (subnormal) gradients. Without FlushDenormals they are ordinary tiny
// numbers: every rule takes a finite step in the right direction and its state stays finite.
// Under FlushDenormals they read as zero (tests/numeric covers Adam's moments there).
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

TEMPLATE_TEST_CASE("Denormal gradients give finite steps in the descent direction", "[hardening]",
                   descent::Sgd<float>, descent::Momentum<float>, descent::Nesterov<float>,
                   descent::Adam<float>, descent::RMSprop<float>, descent::Adagrad<float>,
                   descent::Adam<double>, descent::RMSprop<double>, descent::Adagrad<double>) {
  using Opt = TestType;
  using S = typename Opt::scalar_type;
  const S tiny = std::numeric_limits<S>::denorm_min() * S(1000);  // a denormal
  REQUIRE(std::fpclassify(tiny) == FP_SUBNORMAL);
  Eigen::Array<S, Eigen::Dynamic, 1> p = Eigen::Array<S, Eigen::Dynamic, 1>::Ones(2), g(2);
  g << tiny, -tiny;
  typename Opt::Options options;
  options.lr(0.5);
  Opt opt(options);
  opt.add("p", p, g);
  for (int t = 0; t < 3; ++t) opt.step();
  CHECK(p.isFinite().all());
  CHECK(p[0] <= S(1));
  CHECK(p[1] >= S(1));
  bool finite_state = true;
  auto state = opt.state("p");
  Opt::State::visit(state, [&](const char*, const auto& a) { finite_state &= a.isFinite().all(); });
  CHECK(finite_state);
}

TEST_CASE("Adam on a float denormal gradient: v underflows to 0, the step is m / eps",
          "[hardening]") {
  // g = 1e-39 (denormal): m = 0.1 g = 1e-40, v = 0.001 g^2 = 0 in float. The step is
  // lr / (1 - 0.9) * m / eps = 1e-3 / 0.1 * 1e-40 / 1e-8 = 1e-34 (to the denormals' precision).
  Eigen::ArrayXf p = Eigen::ArrayXf::Zero(1), g = Eigen::ArrayXf::Constant(1, 1e-39f);
  descent::Adam<float> opt(descent::AdamOptions(1e-3));
  opt.add("p", p, g);
  opt.step();
  CHECK(opt.state("p").exp_avg_sq[0] == 0.0f);
  CHECK(p[0] == Approx(-1e-34).epsilon(5e-3));
}
