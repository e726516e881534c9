// Data parallelism end to end: ranks that each see a shard of a batch and average their
// gradients take the same steps as one process on the whole batch, and stay bit-identical.
#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <descent/dist/mpi.hpp>
#include <descent/gradients/check_finite.hpp>
#include <descent/optimizers.hpp>
#include <descent/random/rng.hpp>
#include <descent/regularizers/l2.hpp>
#include <descent/regularizers/weight_decay.hpp>
#include <descent/schedules/cosine.hpp>

using Catch::Matchers::Contains;

namespace {

// A least-squares problem shared by every rank: rows of A and b, drawn from one seed.
struct Problem {
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
  explicit Problem(Eigen::Index rows) : a(rows, 5), b(rows) {
    descent::Rng rng(42);
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
    for (Eigen::Index i = 0; i < b.size(); ++i) b.data()[i] = rng.normal();
  }
  // Gradient of 0.5 / n * |A x - b|^2 over rows [begin, begin + n): the mean over the rows.
  void gradient(const Eigen::VectorXd& x, Eigen::Index begin, Eigen::Index n,
                Eigen::VectorXd& g) const {
    const auto rows = a.middleRows(begin, n);
    g = rows.transpose() * (rows * x - b.segment(begin, n)) / double(n);
  }
};

}  // namespace

TEST_CASE("dist: sharded ranks match one process on the whole batch", "[dist]") {
  const int rank = descent::dist::rank(), ranks = descent::dist::size();
  const Eigen::Index shard = 16;
  const Problem problem(shard * ranks);
  // The distributed replica: each rank's gradient is the mean over its own 16 rows.
  Eigen::VectorXd x = Eigen::VectorXd::Zero(5), g(5);
  descent::Adam<double> opt(descent::AdamOptions(0.05));
  opt.add("x", x, g);
  descent::dist::GradientAverager<decltype(opt)> averager(opt);
  // The single-process reference on the same rank: the mean over all rows.
  Eigen::VectorXd x_ref = Eigen::VectorXd::Zero(5), g_ref(5);
  descent::Adam<double> ref(descent::AdamOptions(0.05));
  ref.add("x", x_ref, g_ref);
  for (int t = 0; t < 60; ++t) {
    problem.gradient(x, rank * shard, shard, g);
    averager.average();
    problem.gradient(x_ref, 0, shard * ranks, g_ref);
    // Equal shards: the mean of the shard means is the mean over the batch, up to rounding.
    REQUIRE((g - g_ref).cwiseAbs().maxCoeff() <= 1e-12 * (1.0 + g_ref.cwiseAbs().maxCoeff()));
    opt.step();
    ref.step();
  }
  CHECK((x - x_ref).cwiseAbs().maxCoeff() <= 1e-9);
  descent::dist::check_consistent(opt);
}

TEST_CASE("dist: replicas stay bit-identical over many steps", "[dist]") {
  const int rank = descent::dist::rank();
  Eigen::MatrixXf w(64, 33), gw(64, 33);
  Eigen::VectorXf b(7), gb(7);
  descent::Rng init(7 + std::uint64_t(rank));  // different on each rank: the broadcast fixes it
  for (Eigen::Index i = 0; i < w.size(); ++i) w.data()[i] = float(init.normal());
  b.setConstant(float(rank));
  descent::Optimizer<float, descent::rules::Adam, descent::Cosine, descent::L2,
                     descent::WeightDecay>
      opt(descent::AdamOptions(1e-2).amsgrad(true), descent::Cosine(100), descent::L2(1e-3),
          descent::WeightDecay(1e-2));
  opt.add("w", w, gw);
  opt.add("b", b, gb);
  descent::dist::GradientAverager<decltype(opt)> averager(
      opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(1024));
  descent::Rng noise(100 + std::uint64_t(rank));  // every rank's gradients differ
  for (int t = 0; t < 50; ++t) {
    for (Eigen::Index i = 0; i < gw.size(); ++i) gw.data()[i] = float(noise.normal());
    for (Eigen::Index i = 0; i < gb.size(); ++i) gb.data()[i] = float(noise.normal());
    averager.average();
    opt.step();
  }
  descent::dist::check_consistent(opt);
  // The checksum is a property of the bits: equal on all ranks now, different after a change.
  const std::uint64_t sum = descent::dist::checksum(opt);
  std::uint64_t root_sum = sum;
  MPI_Bcast(&root_sum, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  CHECK(sum == root_sum);

  SECTION("a changed parameter on one rank is found, on every rank") {
    if (rank == 1) w(3, 4) = std::nextafter(w(3, 4), 1e30f);
    try {
      descent::dist::check_consistent(opt);
      FAIL("no ReplicaDivergence");
    } catch (const descent::dist::ReplicaDivergence& e) {
      CHECK_THAT(e.what(), Contains("the replicas diverged"));
      CHECK_THAT(e.what(), Contains("rank 1: block \"w\" (value or state) differs from rank 0"));
    }
  }
  SECTION("a changed step count on one rank is found") {
    if (rank == 1) {
      gw.setZero();
      gb.setZero();
      opt.step();
    }
    REQUIRE_THROWS_AS(descent::dist::check_consistent(opt), descent::dist::ReplicaDivergence);
  }
}

TEST_CASE("dist: a NaN on one rank reaches every rank, so all skip or all raise", "[dist]") {
  const int rank = descent::dist::rank();
  Eigen::VectorXf x = Eigen::VectorXf::Ones(6), g(6);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SECTION("skip") {
    descent::Optimizer<float, descent::rules::Adam, descent::Constant, descent::CheckFinite> opt(
        descent::AdamOptions(0.1), descent::Constant(),
        descent::CheckFinite(descent::NonFinite::skip));
    opt.add("x", x, g);
    descent::dist::GradientAverager<decltype(opt)> averager(opt);
    g.setConstant(0.5f);
    if (rank == 1) g[2] = nan;
    averager.average();
    CHECK_FALSE(opt.step());
    CHECK(opt.skipped_steps() == 1);
    CHECK((x.array() == 1.0f).all());
    g.setConstant(0.5f);
    averager.average();
    CHECK(opt.step());
    descent::dist::check_consistent(opt);
  }
  SECTION("raise") {
    descent::Optimizer<float, descent::rules::Adam, descent::Constant, descent::CheckFinite> opt(
        descent::AdamOptions(0.1), descent::Constant(),
        descent::CheckFinite(descent::NonFinite::raise));
    opt.add("x", x, g);
    descent::dist::GradientAverager<decltype(opt)> averager(opt);
    g.setConstant(0.5f);
    if (rank == 1) g[2] = nan;
    averager.average();
    REQUIRE_THROWS_AS(opt.step(), descent::NonFiniteGradient);
    CHECK((x.array() == 1.0f).all());
    descent::dist::check_consistent(opt);
  }
}
