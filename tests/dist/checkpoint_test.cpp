// Checkpoints in a distributed run: rank 0 writes, every rank loads the same bytes; a failure
// anywhere is an error everywhere.
#include <unistd.h>

#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <descent/checkpoint/checkpoint.hpp>
#include <descent/dist/mpi.hpp>
#include <descent/optimizers.hpp>

using Catch::Matchers::Contains;

namespace {

// A path every rank agrees on (rank 0's process id), in the working directory.
std::string shared_path(const std::string& stem) {
  long id = long(::getpid());
  MPI_Bcast(&id, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  return stem + "_" + std::to_string(id) + ".ckpt";
}

}  // namespace

TEST_CASE("dist: rank 0 saves, every rank loads, and training resumes identically", "[dist]") {
  const int rank = descent::dist::rank();
  const std::string path = shared_path("dist_resume");
  Eigen::MatrixXf w(5, 3), g(5, 3);
  w.setConstant(1.0f);
  descent::Adam<float> opt(descent::AdamOptions(0.01));
  opt.add("w", w, g);
  descent::dist::GradientAverager<decltype(opt)> averager(opt);
  const auto train = [&](int steps) {
    for (int t = 0; t < steps; ++t) {
      g.setConstant(float(rank + 1) * 0.25f);
      g(0, 0) = float(t);
      averager.average();
      opt.step();
    }
  };
  train(5);
  descent::Checkpoint checkpoint;
  checkpoint.add("model", opt);
  descent::dist::save_checkpoint(checkpoint, path);
  const Eigen::MatrixXf saved = w;
  train(3);
  REQUIRE(opt.step_count() == 8);
  // Every rank (not only the one that wrote it) gets the file's state back.
  const descent::CheckpointReport report = descent::dist::load_checkpoint(checkpoint, path);
  CHECK(report.problems.empty());
  CHECK(opt.step_count() == 5);
  CHECK((w.array() == saved.array()).all());
  descent::dist::check_consistent(opt);
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) std::remove(path.c_str());
}

TEST_CASE("dist: a missing file is an error on every rank", "[dist]") {
  Eigen::VectorXd x = Eigen::VectorXd::Constant(3, 2.0), g(3);
  descent::Sgd<double> opt;
  opt.add("x", x, g);
  descent::Checkpoint checkpoint;
  checkpoint.add("model", opt);
  REQUIRE_THROWS_AS(descent::dist::load_checkpoint(checkpoint, "no/such/dir/run.ckpt"),
                    descent::CheckpointError);
  REQUIRE_THROWS_AS(descent::dist::save_checkpoint(checkpoint, "no/such/dir/run.ckpt"),
                    descent::CheckpointError);
  CHECK((x.array() == 2.0).all());
}

TEST_CASE("dist: a checkpoint that does not fit one rank fails on every rank", "[dist]") {
  const int rank = descent::dist::rank();
  const std::string path = shared_path("dist_mismatch");
  Eigen::VectorXd x = Eigen::VectorXd::Constant(3, 2.0), g(3);
  descent::Sgd<double> opt;
  opt.add("x", x, g);
  descent::Checkpoint checkpoint;
  checkpoint.add("model", opt);
  descent::dist::save_checkpoint(checkpoint, path);
  // Rank 1 has another model: its load fails, and so must everyone's.
  Eigen::VectorXd y = Eigen::VectorXd::Constant(4, 3.0), gy(4);
  descent::Sgd<double> other;
  other.add("x", y, gy);
  descent::Checkpoint other_checkpoint;
  other_checkpoint.add("model", other);
  descent::Checkpoint& mine = rank == 1 ? other_checkpoint : checkpoint;
  try {
    descent::dist::load_checkpoint(mine, path);
    FAIL("no CheckpointError");
  } catch (const descent::CheckpointError& e) {
    CHECK_THAT(e.what(), Contains("loading checkpoint \"" + path + "\" failed"));
    CHECK_THAT(e.what(), Contains("rank 1: "));
    CHECK_THAT(e.what(), Contains("saved shape 3x1, optimizer has 4x1"));
  }
  CHECK((y.array() == 3.0).all());
  MPI_Barrier(MPI_COMM_WORLD);
  if (rank == 0) std::remove(path.c_str());
}
