// Hostile input: zero-size blocks (0 x n, n x 0) next to ordinary ones, through every feature
// that touches a block: registration, norms, clipping, averaging, checkpoints.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("Zero-size blocks register, step and average; the other blocks update",
                   "[hardening]", float, double) {
  using S = TestType;
  using Opt = descent::Adam<S, descent::Constant, descent::ClipGlobalNorm, descent::Ema>;
  using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  Matrix empty_rows(0, 3), g_rows(0, 3), empty_cols(3, 0), g_cols(3, 0);
  Eigen::Matrix<S, Eigen::Dynamic, 1> w(2), gw(2);
  w << S(1), S(1);
  gw << S(0.3), S(-0.4);  // norm 0.5, below max_norm: no clipping
  Opt opt(descent::AdamOptions(0.1), descent::Constant(), descent::ClipGlobalNorm(1.0),
          descent::Ema(0.5));
  // Two empty blocks (both with null data) are not "overlapping" storage.
  opt.add("empty_rows", empty_rows, g_rows);
  opt.add("empty_cols", empty_cols, g_cols);
  opt.add("w", w, gw);
  REQUIRE(opt.step());
  // Adam's first step moves each element by lr * sign(g) (up to eps): 1 - 0.1, 1 + 0.1.
  CHECK(w[0] == Approx(0.9).epsilon(1e-6));
  CHECK(w[1] == Approx(1.1).epsilon(1e-6));
  CHECK(opt.last_gradient_norm() == Approx(0.5).epsilon(1e-6));
  CHECK(opt.state("empty_rows").steps == 1);
  CHECK(opt.state("empty_rows").exp_avg.size() == 0);
  CHECK(opt.average("empty_cols").size() == 0);
  CHECK(opt.averaged_steps("empty_rows") == 1);
  CHECK(opt.block("empty_cols").rows() == 3);
  CHECK(opt.block("empty_cols").cols() == 0);
  CHECK(opt.penalty() == 0.0);
}

TEMPLATE_TEST_CASE("An optimizer of only zero-size blocks steps, with a zero gradient norm",
                   "[hardening]", float, double) {
  using S = TestType;
  Eigen::Array<S, Eigen::Dynamic, 1> p(0), g(0);
  descent::Sgd<S, descent::Constant, descent::ClipNorm, descent::CheckFinite> opt(
      descent::SgdOptions(0.1), descent::Constant(), descent::ClipNorm(1.0),
      descent::CheckFinite());
  opt.add("p", p, g);
  CHECK(opt.step());
  CHECK(opt.step_count() == 1);
  CHECK(opt.last_gradient_norm() == 0.0);
}

TEST_CASE("Zero-size blocks round-trip through a checkpoint; 0x3 and 3x0 are different shapes",
          "[hardening]") {
  Eigen::MatrixXd a(0, 3), ga(0, 3), w = Eigen::MatrixXd::Ones(2, 2), gw = w;
  descent::Momentum<double> saved(descent::MomentumOptions(0.1).momentum(0.9));
  saved.add("a", a, ga);
  saved.add("w", w, gw);
  saved.step();
  const std::string bytes = descent::Checkpoint().add("opt", saved).to_bytes();

  Eigen::MatrixXd b(0, 3), gb(0, 3), v = Eigen::MatrixXd::Zero(2, 2), gv = v;
  descent::Momentum<double> live(descent::MomentumOptions(0.1).momentum(0.9));
  live.add("a", b, gb);
  live.add("w", v, gv);
  descent::Checkpoint checkpoint;
  checkpoint.add("opt", live);
  const descent::CheckpointReport report = checkpoint.from_bytes(bytes);
  CHECK(report.complete());
  CHECK(report.loaded.size() == 2);
  CHECK(live.state("a").steps == 1);
  CHECK((v.array() == 0.9).all());  // 1 - 0.1 * 1

  Eigen::MatrixXd c(3, 0), gc(3, 0), u = Eigen::MatrixXd::Zero(2, 2), gu = u;
  descent::Momentum<double> transposed(descent::MomentumOptions(0.1).momentum(0.9));
  transposed.add("a", c, gc);
  transposed.add("w", u, gu);
  descent::Checkpoint other;
  other.add("opt", transposed);
  CHECK_THROWS_WITH(other.from_bytes(bytes),
                    Contains("block \"a\": saved shape 0x3, optimizer has 3x0"));
  CHECK((u.array() == 0.0).all());
  CHECK(transposed.step_count() == 0);
}
