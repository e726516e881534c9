// Hostile input: eps = 0 in the adaptive rules. A zero gradient gives a zero second moment, and
// the rules' denominator sqrt(v) + eps would be 0: 0 / 0 = NaN parameters. The step uses eps at
// least the smallest normal number of the scalar type, so an element whose gradients were all
// zero does not move, and every other result is unchanged (the floor is below half an ulp of
// any denominator above 2^-102 in float).
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {

template <class Opt>
void check_zero_gradient_does_not_move(typename Opt::Options options) {
  using S = typename Opt::scalar_type;
  Eigen::Array<S, Eigen::Dynamic, 1> p(3), g(3);
  p << S(1), S(-2), S(3);
  g << S(0), S(0), S(0.5);
  Opt opt(options);
  opt.add("p", p, g);
  for (int t = 0; t < 3; ++t) opt.step();
  CHECK(p[0] == S(1));
  CHECK(p[1] == S(-2));
  CHECK(std::isfinite(p[2]));
  CHECK(p[2] < S(3));
}

}  // namespace

TEMPLATE_TEST_CASE("eps = 0 with a zero gradient leaves the element unchanged, not NaN",
                   "[hardening]", float, double) {
  using S = TestType;
  check_zero_gradient_does_not_move<descent::Adam<S>>(descent::AdamOptions(0.1).eps(0));
  check_zero_gradient_does_not_move<descent::Adam<S>>(
      descent::AdamOptions(0.1).eps(0).amsgrad(true));
  check_zero_gradient_does_not_move<descent::RMSprop<S>>(descent::RMSpropOptions(0.1).eps(0));
  check_zero_gradient_does_not_move<descent::RMSprop<S>>(
      descent::RMSpropOptions(0.1).eps(0).centered(true).momentum(0.5));
  check_zero_gradient_does_not_move<descent::Adagrad<S>>(descent::AdagradOptions(0.1).eps(0));
}

TEST_CASE("An eps below the float range (1e-50) acts as FLT_MIN, not as 0", "[hardening]") {
  Eigen::ArrayXf p = Eigen::ArrayXf::Ones(2), g = Eigen::ArrayXf::Zero(2);
  descent::Adam<float> opt(descent::AdamOptions(0.1).eps(1e-50));
  opt.add("p", p, g);
  opt.step();
  CHECK((p == 1.0f).all());
}

TEST_CASE("eps = 0 keeps the exact arithmetic of an ordinary Adam step", "[hardening]") {
  // beta1 = 0.5, beta2 = 0.75, g = 0.5, t = 1: m = 0.25, v = 0.0625, m_hat = 0.5,
  // sqrt(v_hat) = 0.5, step = lr * 0.5 / 0.5 = lr = 0.125 exactly.
  Eigen::ArrayXd p = Eigen::ArrayXd::Ones(1), g = Eigen::ArrayXd::Constant(1, 0.5);
  descent::Adam<double> opt(descent::AdamOptions(0.125).betas(0.5, 0.75).eps(0));
  opt.add("p", p, g);
  opt.step();
  CHECK(p[0] == 0.875);
}

TEST_CASE("Adam with eps = 0 on a float gradient whose square underflows stays finite",
          "[hardening]") {
  // g = 1e-25: g^2 = 1e-50 underflows to 0 in float, so v = 0 while m = 0.1 g != 0. With a
  // zero denominator the step would be -inf; with the FLT_MIN floor it is large but finite.
  Eigen::ArrayXf p = Eigen::ArrayXf::Zero(1), g = Eigen::ArrayXf::Constant(1, 1e-25f);
  descent::Adam<float> opt(descent::AdamOptions(1e-3).eps(0));
  opt.add("p", p, g);
  opt.step();
  CHECK(opt.state("p").exp_avg_sq[0] == 0.0f);
  CHECK(std::isfinite(p[0]));
  CHECK(p[0] < 0.0f);
}
