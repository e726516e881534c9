// GradientAverager: the averages are the hand-computed means over the ranks, for every way a
// block can travel (packed with others, alone, split across buckets), float and double.
#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <descent/dist/mpi.hpp>
#include <descent/optimizers.hpp>

namespace {

// Rank r's gradient element i: (r + 1) * (i + 1) / 8, exact in float and double. The mean over
// R ranks is (i + 1) / 8 * (R + 1) / 2.
template <class M>
void fill_rank_gradient(M& g, int rank) {
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    g.data()[i] = typename M::Scalar(double(rank + 1) * double(i + 1) / 8.0);
  }
}
template <class M>
void require_mean(const M& g, int ranks) {
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    const double expected = double(i + 1) / 8.0 * double(ranks + 1) / 2.0;
    REQUIRE(double(g.data()[i]) == Approx(expected).epsilon(1e-6));
  }
}

template <class Scalar>
void check_averages(std::size_t bucket_bytes, int max_in_flight = 1) {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  const int rank = descent::dist::rank(), ranks = descent::dist::size();
  // Sizes 3, 5, 0, 40, 7 and 1: with 16-element buckets, 3+5 share one, 40 goes in three
  // pieces, 7+1 share the last; with the default 4 MiB all share one bucket.
  Matrix a(3, 1), b(1, 5), empty(0, 4), big(8, 5), c(7, 1), d(1, 1);
  Matrix ga(3, 1), gb(1, 5), gempty(0, 4), gbig(8, 5), gc(7, 1), gd(1, 1);
  descent::Sgd<Scalar> opt(descent::SgdOptions(0.1));
  opt.add("a", a, ga);
  opt.add("b", b, gb);
  opt.add("empty", empty, gempty);
  opt.add("big", big, gbig);
  opt.add("c", c, gc);
  opt.add("d", d, gd);
  descent::dist::GradientAverager<decltype(opt)> averager(
      opt, MPI_COMM_WORLD,
      descent::dist::AveragerOptions().bucket_bytes(bucket_bytes).max_in_flight(max_in_flight));
  CHECK(averager.bytes_per_average() == 56 * sizeof(Scalar));
  for (int round = 0; round < 2; ++round) {  // buffers are reused correctly
    fill_rank_gradient(ga, rank);
    fill_rank_gradient(gb, rank);
    fill_rank_gradient(gbig, rank);
    fill_rank_gradient(gc, rank);
    fill_rank_gradient(gd, rank);
    if (round == 0) {
      averager.average();
    } else {
      averager.start();
      averager.finish();
    }
    require_mean(ga, ranks);
    require_mean(gb, ranks);
    require_mean(gbig, ranks);
    require_mean(gc, ranks);
    require_mean(gd, ranks);
  }
}

}  // namespace

TEST_CASE("dist: averages are the means over the ranks, in every bucket layout", "[dist]") {
  SECTION("float, 16-element buckets") { check_averages<float>(16 * sizeof(float)); }
  SECTION("double, 16-element buckets") { check_averages<double>(16 * sizeof(double)); }
  SECTION("float, 16-element buckets, 3 in flight") {
    check_averages<float>(16 * sizeof(float), 3);
  }
  SECTION("double, one element per bucket, all in flight") {
    check_averages<double>(sizeof(double), 1000);
  }
  SECTION("float, one element per bucket") { check_averages<float>(sizeof(float)); }
  SECTION("double, default 4 MiB buckets") {
    check_averages<double>(descent::dist::AveragerOptions().bucket_bytes());
  }
}

TEST_CASE("dist: bucket plan packs small blocks and splits large ones", "[dist]") {
  Eigen::VectorXf a(3), b(5), big(40), c(7), d(1), ga(3), gb(5), gbig(40), gc(7), gd(1);
  descent::Sgd<float> opt(descent::SgdOptions(0.1));
  opt.add("a", a, ga);
  opt.add("b", b, gb);
  opt.add("big", big, gbig);
  opt.add("c", c, gc);
  opt.add("d", d, gd);
  using Averager = descent::dist::GradientAverager<decltype(opt)>;
  // {a, b}, big in 16 + 16 + 8, {c, d}
  CHECK(Averager(opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(64))
            .num_buckets() == 5);
  CHECK(Averager(opt).num_buckets() == 1);
  // 8 elements: a (3) + b (5) fill one exactly; big in 5 pieces; c (7) + d (1) fill one
  CHECK(Averager(opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(32))
            .num_buckets() == 1 + 5 + 1);
}

TEST_CASE("dist: start twice or finish first is a logic error", "[dist]") {
  Eigen::VectorXd x(4), g(4);
  descent::Sgd<double> opt(descent::SgdOptions(0.1));
  opt.add("x", x, g);
  descent::dist::GradientAverager<decltype(opt)> averager(opt);
  REQUIRE_THROWS_AS(averager.finish(), std::logic_error);
  g.setOnes();
  averager.start();
  REQUIRE_THROWS_AS(averager.start(), std::logic_error);
  averager.finish();
  CHECK((g.array() == 1.0).all());
}
