// Weight averaging: EMA and Polyak, updated in the step's pass, swappable for evaluation.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>

namespace {
template <class S>
using Vec = Eigen::Array<S, Eigen::Dynamic, 1>;
}

// Sgd with lr 1 and gradient -1 moves p by +1 per step: p1 = 1, p2 = 2, p3 = 3.
TEMPLATE_TEST_CASE("Ema copies on the first averaged step, then mixes with its decay",
                   "[averaging]", float, double) {
  using S = TestType;
  Vec<S> p = Vec<S>::Zero(3), g = Vec<S>::Constant(3, S(-1));
  descent::Sgd<S, descent::Constant, descent::Ema> opt(descent::SgdOptions(1.0),
                                                       descent::Constant(), descent::Ema(0.5));
  opt.add("p", p, g);
  CHECK((opt.average("p") == S(0)).all());  // the values at registration
  opt.step();
  CHECK(opt.average("p")[0] == S(1));  // a1 = p1 = 1
  opt.step();
  CHECK(opt.average("p")[0] == S(1.5));  // a2 = 0.5 * 1 + 0.5 * 2
  opt.step();
  CHECK(opt.average("p")[2] == S(2.25));  // a3 = 0.5 * 1.5 + 0.5 * 3
  CHECK(opt.averaged_steps("p") == 3);
}

TEMPLATE_TEST_CASE("Polyak keeps the running mean of the values since it started", "[averaging]",
                   float, double) {
  using S = TestType;
  Vec<S> p = Vec<S>::Zero(2500), g = Vec<S>::Constant(2500, S(-1));  // several chunks
  descent::Sgd<S, descent::Constant, descent::Polyak> opt(descent::SgdOptions(1.0),
                                                          descent::Constant(), descent::Polyak());
  opt.add("p", p, g);
  for (int i = 0; i < 4; ++i) opt.step();
  CHECK((opt.average("p") == S(2.5)).all());  // (1 + 2 + 3 + 4) / 4
}

TEMPLATE_TEST_CASE("Averaging starts after `start` completed steps", "[averaging]", float, double) {
  using S = TestType;
  Vec<S> p = Vec<S>::Zero(2), g = Vec<S>::Constant(2, S(-1));
  descent::Sgd<S, descent::Constant, descent::Ema> opt(descent::SgdOptions(1.0),
                                                       descent::Constant(), descent::Ema(0.5, 2));
  opt.add("p", p, g);
  opt.step();  // t = 0 < 2: not averaged
  opt.step();  // t = 1 < 2: not averaged
  CHECK(opt.averaged_steps("p") == 0);
  CHECK(opt.average("p")[0] == S(0));
  opt.step();  // p3 = 3, first averaged: a = 3
  CHECK(opt.average("p")[0] == S(3));
  opt.step();  // a = 0.5 * 3 + 0.5 * 4 = 3.5
  CHECK(opt.average("p")[1] == S(3.5));
}

TEMPLATE_TEST_CASE("swap_averages swaps values and averages, and back, exactly", "[averaging]",
                   float, double) {
  using S = TestType;
  Eigen::Matrix<S, 2, 2> w = Eigen::Matrix<S, 2, 2>::Zero(),
                         gw = Eigen::Matrix<S, 2, 2>::Constant(S(-1));
  descent::Adam<S, descent::Constant, descent::Polyak> opt(descent::AdamOptions(0.1),
                                                           descent::Constant(), descent::Polyak());
  opt.add("w", w, gw);
  opt.step();
  opt.step();
  const Eigen::Matrix<S, 2, 2> trained = w;
  const Vec<S> average = opt.average("w");
  opt.swap_averages();
  CHECK(opt.averages_swapped());
  CHECK((w.array().reshaped() == average).all());
  CHECK_THROWS_WITH(opt.step(),
                    "Adam: step() while the averages are swapped in; call swap_averages() again "
                    "first");
  opt.swap_averages();
  CHECK_FALSE(opt.averages_swapped());
  CHECK(w == trained);
  CHECK(opt.step());
}

TEST_CASE("Averaging settings are validated", "[averaging]") {
  CHECK_THROWS_WITH(descent::Ema(1.0), "Ema: decay must be in [0, 1), got 1");
  CHECK_THROWS_WITH(descent::Ema(-0.1), "Ema: decay must be in [0, 1), got -0.1");
  CHECK_THROWS_WITH(descent::Ema(0.9, -1), "Ema: start must be >= 0, got -1");
  CHECK_THROWS_WITH(descent::Polyak(-3), "Polyak: start must be >= 0, got -3");
}
