// Setup: parameters are broadcast from the root, and any difference between the ranks' blocks
// or settings is an error on every rank (with every rank's reason), never a hang.
#include <string>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <descent/dist/mpi.hpp>
#include <descent/optimizers.hpp>

using Catch::Matchers::Contains;

namespace {
int rank() { return descent::dist::rank(); }
}  // namespace

TEST_CASE("dist: setup broadcasts the root's parameters", "[dist]") {
  Eigen::MatrixXf w = Eigen::MatrixXf::Constant(3, 2, float(rank() + 1)), gw(3, 2);
  Eigen::VectorXf b = Eigen::VectorXf::Constant(4, float(-rank())), gb(4);
  descent::Adam<float> opt;
  opt.add("w", w, gw);
  opt.add("b", b, gb);
  SECTION("from rank 0 by default") {
    descent::dist::GradientAverager<decltype(opt)> averager(opt);
    CHECK((w.array() == 1.0f).all());
    CHECK((b.array() == 0.0f).all());
  }
  SECTION("from another root") {
    const int root = descent::dist::size() - 1;
    descent::dist::GradientAverager<decltype(opt)> averager(
        opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().root(root));
    CHECK((w.array() == float(root + 1)).all());
    CHECK((b.array() == float(-root)).all());
  }
  SECTION("or not at all") {
    descent::dist::GradientAverager<decltype(opt)> averager(
        opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().broadcast_parameters(false));
    CHECK((w.array() == float(rank() + 1)).all());
  }
}

TEST_CASE("dist: a different shape on one rank is reported on every rank", "[dist]") {
  const Eigen::Index cols = rank() == 1 ? 3 : 2;
  Eigen::MatrixXd w = Eigen::MatrixXd::Constant(4, cols, 7.0), g(4, cols);
  descent::Sgd<double> opt;
  opt.add("gen.dense1.weight", w, g);
  try {
    descent::dist::GradientAverager<decltype(opt)> averager(opt);
    FAIL("no LayoutMismatch");
  } catch (const descent::dist::LayoutMismatch& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains("the ranks registered different blocks"));
    CHECK_THAT(message, Contains("rank 1: block \"gen.dense1.weight\" is 4x3, rank 0 has 4x2"));
  }
  CHECK((w.array() == 7.0).all());  // nothing broadcast
}

TEST_CASE("dist: a different registration order, count or scalar type is reported", "[dist]") {
  Eigen::VectorXf a(2), ga(2), b(2), gb(2), c(1), gc(1);
  descent::Sgd<float> opt;
  SECTION("order") {
    if (rank() == 1) {
      opt.add("b", b, gb);
      opt.add("a", a, ga);
    } else {
      opt.add("a", a, ga);
      opt.add("b", b, gb);
    }
    REQUIRE_THROWS_WITH(descent::dist::GradientAverager<decltype(opt)>(opt),
                        Contains("rank 1: block 0 is \"b\", rank 0 has \"a\" (blocks must be "
                                 "registered in the same order on every rank)"));
  }
  SECTION("count") {
    opt.add("a", a, ga);
    opt.add("b", b, gb);
    if (rank() == 1) opt.add("c", c, gc);
    REQUIRE_THROWS_WITH(descent::dist::GradientAverager<decltype(opt)>(opt),
                        Contains("rank 1: 3 blocks, rank 0 has 2 (first unmatched: \"c\")"));
  }
  SECTION("scalar type") {
    // Rank 1 builds a double optimizer over the same names and shapes.
    Eigen::VectorXd ad(2), gad(2), bd(2), gbd(2);
    descent::Sgd<double> dopt;
    dopt.add("a", ad, gad);
    dopt.add("b", bd, gbd);
    opt.add("a", a, ga);
    opt.add("b", b, gb);
    const auto setup = [&] {
      if (rank() == 1) {
        descent::dist::GradientAverager<decltype(dopt)> averager(dopt);
      } else {
        descent::dist::GradientAverager<decltype(opt)> averager(opt);
      }
    };
    REQUIRE_THROWS_AS(setup(), descent::dist::LayoutMismatch);
    REQUIRE_THROWS_WITH(setup(), Contains("rank 1: scalar type double, rank 0 has float"));
  }
  SECTION("bucket size") {
    opt.add("a", a, ga);
    const std::size_t bytes = rank() == 1 ? 64 : 128;
    REQUIRE_THROWS_WITH(
        descent::dist::GradientAverager<decltype(opt)>(
            opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(bytes)),
        Contains("rank 1: bucket_bytes 64, rank 0 has bucket_bytes 128"));
  }
}

TEST_CASE("dist: an invalid setting on one rank is an error on every rank", "[dist]") {
  Eigen::VectorXf a = Eigen::VectorXf::Constant(2, float(rank())), ga(2);
  descent::Sgd<float> opt;
  opt.add("a", a, ga);
  SECTION("bucket smaller than one element") {
    const std::size_t bytes = rank() == 1 ? 2 : 1024;
    try {
      descent::dist::GradientAverager<decltype(opt)> averager(
          opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().bucket_bytes(bytes));
      FAIL("no exception");
    } catch (const descent::dist::LayoutMismatch&) {
      FAIL("reported as a layout mismatch");
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Contains("rank 1: bucket_bytes must be in [4, "));
      CHECK_THAT(e.what(), Contains("got 2"));
    }
  }
  SECTION("no bucket in flight") {
    const int in_flight = rank() == 1 ? 0 : 1;
    REQUIRE_THROWS_WITH(
        descent::dist::GradientAverager<decltype(opt)>(
            opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().max_in_flight(in_flight)),
        Contains("rank 1: max_in_flight must be >= 1, got 0"));
  }
  SECTION("root out of range") {
    const int root = descent::dist::size();
    REQUIRE_THROWS_WITH(descent::dist::GradientAverager<decltype(opt)>(
                            opt, MPI_COMM_WORLD, descent::dist::AveragerOptions().root(root)),
                        Contains("rank 0: root must be a rank in [0, " + std::to_string(root - 1) +
                                 "], got " + std::to_string(root)));
  }
  CHECK(a[0] == float(rank()));
}
