// Initialization: the scale of each scheme, uniform bounds, and reproducibility from a seed.
#include <catch2/catch.hpp>
#include <cmath>
#include <descent/nn/init.hpp>

using descent::nn::Init;

namespace {
double sample_stddev(const Eigen::MatrixXd& w) {
  const double mean = w.mean();
  return std::sqrt((w.array() - mean).square().sum() / double(w.size()));
}
}  // namespace

TEST_CASE("Each scheme draws weights with its standard deviation", "[nn][init]") {
  // 200 x 300: fan_out = 200, fan_in = 300. Xavier std = sqrt(2 / 500) = 0.0632456;
  // He std = sqrt(2 / 300) = 0.0816497. With 60000 draws the sample std is within 1%.
  descent::Rng rng(3);
  Eigen::MatrixXd w(200, 300);
  for (Init init : {Init::xavier_uniform, Init::xavier_normal, Init::he_uniform, Init::he_normal}) {
    INFO(descent::nn::to_string(init));
    descent::nn::initialize(w, init, rng);
    const double expected = descent::nn::init_stddev(init, 200, 300);
    CHECK(sample_stddev(w) == Approx(expected).epsilon(0.01));
    CHECK(std::abs(w.mean()) < 0.01 * expected * 5);
  }
  CHECK(descent::nn::init_stddev(Init::xavier_normal, 200, 300) == Approx(0.0632455532));
  CHECK(descent::nn::init_stddev(Init::he_normal, 200, 300) == Approx(0.0816496581));
  CHECK(descent::nn::init_stddev(Init::xavier_uniform, 200, 300, 2.0) == Approx(0.1264911064));
}

TEST_CASE("Uniform schemes stay within sqrt(3) standard deviations", "[nn][init]") {
  descent::Rng rng(4);
  Eigen::MatrixXf w(64, 32);
  descent::nn::he_uniform(w, rng);  // bound = sqrt(6 / 32) = 0.4330127
  CHECK(w.cwiseAbs().maxCoeff() <= 0.4330127f);
  CHECK(w.cwiseAbs().maxCoeff() > 0.42f);
  descent::nn::xavier_uniform(w, rng);  // bound = sqrt(6 / 96) = 0.25
  CHECK(w.cwiseAbs().maxCoeff() <= 0.25f);
}

TEMPLATE_TEST_CASE("Initialization is reproducible from the seed", "[nn][init]", float, double) {
  using M = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
  M a(5, 4), b(5, 4), c(5, 4);
  descent::Rng r1(10), r2(10), r3(11);
  descent::nn::xavier_normal(a, r1);
  descent::nn::xavier_normal(b, r2);
  descent::nn::xavier_normal(c, r3);
  CHECK(a == b);
  CHECK(a != c);
}
