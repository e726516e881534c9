// Hostile input: learning rates far beyond any useful range (1e30 in float, 1e300 in double,
// 1e300 in float, where the rate itself does not fit the scalar type). The rule converts its
// rates to the block's scalar type saturating at the largest finite value, so an element with
// a zero gradient never moves (inf * 0 would be NaN), and the others take a huge, finite step.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

TEST_CASE("Sgd with lr 1e30 in float takes a step of 1e30 * g", "[hardening]") {
  Eigen::ArrayXf p = Eigen::ArrayXf::Ones(3), g(3);
  g << 0.0f, 1.0f, -2.0f;
  descent::Sgd<float> opt(descent::SgdOptions(1e30));
  opt.add("p", p, g);
  opt.step();
  CHECK(p[0] == 1.0f);
  CHECK(p[1] == -1e30f);
  CHECK(p[2] == 2e30f);
}

TEST_CASE("A rate beyond FLT_MAX in a float optimizer saturates: zero gradients stay put",
          "[hardening]") {
  const float max = std::numeric_limits<float>::max();
  Eigen::ArrayXf p = Eigen::ArrayXf::Ones(3), g(3);
  g << 0.0f, 0.5f, -0.5f;
  descent::Sgd<float> sgd(descent::SgdOptions(1e300));
  sgd.add("p", p, g);
  sgd.step();
  CHECK(p[0] == 1.0f);         // 1 - FLT_MAX * 0, not 1 - inf * 0 = NaN
  CHECK(p[1] == -max * 0.5f);  // 1 - FLT_MAX / 2 rounds to -FLT_MAX / 2
  CHECK(p[2] == max * 0.5f);

  // Adam: lr / (1 - beta1) = 1e301 saturates too; the first step is -lr * sign(g).
  Eigen::ArrayXf q = Eigen::ArrayXf::Ones(3), h = g;
  descent::Adam<float> adam(descent::AdamOptions(1e300));
  adam.add("q", q, h);
  adam.step();
  CHECK(q[0] == 1.0f);
  CHECK(std::isfinite(q[1]));
  CHECK(q[1] < -1e37f);
  CHECK(q[2] > 1e37f);
  CHECK((adam.state("q").exp_avg.isFinite()).all());
}

TEMPLATE_TEST_CASE("Every rule with lr 1e300 in double leaves zero-gradient elements unchanged",
                   "[hardening]", descent::Sgd<double>, descent::Momentum<double>,
                   descent::Nesterov<double>, descent::Adam<double>, descent::RMSprop<double>,
                   descent::Adagrad<double>) {
  using Opt = TestType;
  Eigen::ArrayXd p = Eigen::ArrayXd::Ones(2), g(2);
  g << 0.0, 1e-3;
  typename Opt::Options options;
  options.lr(1e300);
  if constexpr (std::is_same<typename Opt::rule_type, descent::rules::Nesterov>::value) {
    options.momentum(0.9);
  }
  Opt opt(options);
  opt.add("p", p, g);
  opt.step();
  CHECK(p[0] == 1.0);
  // The other element moves by a huge but finite amount (at most lr / (1 - beta1) * |g| / ...).
  CHECK(std::isfinite(p[1]));
  CHECK(p[1] < -1e290);
}
