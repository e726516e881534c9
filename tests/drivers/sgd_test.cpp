// SGD: reaches the optimum of separable problems with every rule, is deterministic given a seed,
// cuts and shuffles batches as documented, stops for each reason, validates settings.
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/problems/problems.hpp>

#include <vector>

#include "drivers/scripted.hpp"

namespace {

template <class Scalar>
using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

// The optimal full loss of the logistic problem, by a long full-batch run (gradient norm 1e-10).
double optimal_logistic_loss(const descent::problems::LogisticRegression& problem) {
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(problem.dimension());
  descent::GD gd(descent::GDOptions().max_iterations(20000).gradient_tolerance(1e-10));
  const descent::Result r = gd.minimize(
      problem, theta, descent::Momentum<double>(descent::MomentumOptions(0.5).momentum(0.9)));
  REQUIRE(r.reason == descent::StopReason::gradient_tolerance);
  return r.loss;
}

// A separable objective over 10 examples that records every batch; loss = mean of the indices.
struct Recorder {
  std::vector<std::vector<Eigen::Index>> batches;
  Eigen::Index num_examples() const { return 10; }
  double operator()(const Eigen::VectorXd&, Eigen::VectorXd& grad, const descent::Batch& batch) {
    batches.emplace_back(batch.data(), batch.data() + batch.size());
    grad.setConstant(1.0);
    return double(batch.sum()) / double(batch.size());
  }
};

}  // namespace

TEMPLATE_TEST_CASE("SGD with every rule fits logistic regression within 1% of the optimal loss",
                   "[drivers][sgd]", float, double) {
  // 1000 examples, 10 features, l2 1e-3; 40 epochs of batches of 32. The full-batch loss at the
  // end is compared with the optimum of a long full-batch GD run.
  const descent::problems::LogisticRegression problem(1000, 10, 1, 1e-3);
  static const double best = optimal_logistic_loss(problem);
  descent::SGD sgd(descent::SGDOptions().epochs(40).batch_size(32).seed(1));
  auto excess = [&](const auto& opt) {
    Vector<TestType> theta = Vector<TestType>::Zero(problem.dimension()), grad;
    sgd.minimize(problem, theta, opt);
    return (problem(theta, grad) - best) / best;
  };
  using namespace descent;
  CHECK(excess(Sgd<TestType>(SgdOptions(0.05))) < 0.01);
  CHECK(excess(Momentum<TestType>(MomentumOptions(0.01).momentum(0.9))) < 0.01);
  CHECK(excess(Nesterov<TestType>(MomentumOptions(0.01).momentum(0.9))) < 0.01);
  CHECK(excess(Adam<TestType>(AdamOptions(0.01))) < 0.01);
  CHECK(excess(RMSprop<TestType>(RMSpropOptions(0.002))) < 0.01);
  CHECK(excess(Adagrad<TestType>(AdagradOptions(0.1))) < 0.01);
}

TEMPLATE_TEST_CASE("SGD with every rule fits least squares within 1% of the closed-form optimum",
                   "[drivers][sgd]", float, double) {
  const descent::problems::LeastSquares problem(1000, 10, 1, 1.0);
  const double best = problem.minimum();
  descent::SGD sgd(descent::SGDOptions().epochs(40).batch_size(32).seed(1));
  auto excess = [&](const auto& opt) {
    Vector<TestType> w = Vector<TestType>::Zero(problem.dimension()), grad;
    sgd.minimize(problem, w, opt);
    return (problem(w, grad) - best) / best;
  };
  using namespace descent;
  CHECK(excess(Sgd<TestType>(SgdOptions(0.05))) < 0.01);
  CHECK(excess(Momentum<TestType>(MomentumOptions(0.01).momentum(0.9))) < 0.01);
  CHECK(excess(Nesterov<TestType>(MomentumOptions(0.01).momentum(0.9))) < 0.01);
  CHECK(excess(Adam<TestType>(AdamOptions(0.01))) < 0.01);
  CHECK(excess(RMSprop<TestType>(RMSpropOptions(0.002))) < 0.01);
  CHECK(excess(Adagrad<TestType>(AdagradOptions(0.1))) < 0.01);
}

TEMPLATE_TEST_CASE("SGD runs with the same seed give bit-identical parameters", "[drivers][sgd]",
                   float, double) {
  const descent::problems::LogisticRegression problem(300, 5, 4);
  auto run = [&](std::uint64_t seed) {
    Vector<TestType> theta = Vector<TestType>::Zero(problem.dimension());
    descent::SGD sgd(descent::SGDOptions().epochs(3).batch_size(16).seed(seed));
    const descent::Result r =
        sgd.minimize(problem, theta, descent::Adam<TestType>(descent::AdamOptions(0.01)));
    return std::make_pair(theta, r.epoch_losses);
  };
  const auto first = run(9), second = run(9), other = run(10);
  CHECK(first.first == second.first);  // exact equality, element by element
  CHECK(first.second == second.second);
  CHECK(first.first != other.first);
}

TEST_CASE("SGD's batches for seed 42 are pinned: a fresh Fisher-Yates permutation per epoch",
          "[drivers][sgd]") {
  // 10 examples, batches of 4: sizes 4, 4, 2. The permutations are Rng(42)'s first two shuffles
  // of 0..9 (cross-checked with an independent Python implementation of mt19937_64).
  Recorder f;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::SGD sgd(descent::SGDOptions().epochs(2).batch_size(4).seed(42));
  const descent::Result r = sgd.minimize(f, x, descent::Sgd<double>(descent::SgdOptions(0.1)));
  using B = std::vector<Eigen::Index>;
  const std::vector<B> expected = {B{1, 7, 9, 0}, B{3, 8, 4, 2}, B{5, 6},
                                   B{1, 2, 8, 0}, B{5, 4, 3, 6}, B{9, 7}};
  CHECK(f.batches == expected);
  CHECK(r.iterations == 6);
  // The epoch loss is the example-weighted mean of the batch losses: the mean of 0..9, 4.5.
  CHECK(r.epoch_losses == std::vector<double>{4.5, 4.5});
}

TEST_CASE("SGD drops the last partial batch on request and keeps the order without shuffle",
          "[drivers][sgd]") {
  Recorder f;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::SGD sgd(descent::SGDOptions().epochs(1).batch_size(4).drop_last(true).shuffle(false));
  const descent::Result r = sgd.minimize(f, x, descent::Sgd<double>(descent::SgdOptions(0.1)));
  using B = std::vector<Eigen::Index>;
  CHECK(f.batches == std::vector<B>{B{0, 1, 2, 3}, B{4, 5, 6, 7}});
  CHECK(r.epoch_losses == std::vector<double>{3.5});  // mean of 0..7
  // A batch larger than the data without drop_last is one batch of everything.
  Recorder g;
  descent::SGD whole(descent::SGDOptions().epochs(1).batch_size(64).shuffle(false));
  whole.minimize(g, x, descent::Sgd<double>(descent::SgdOptions(0.1)));
  CHECK(g.batches.size() == 1);
  CHECK(g.batches[0].size() == 10);
}

TEST_CASE("SGD over registered blocks takes a plain lambda through separable()", "[drivers][sgd]") {
  // Mean of (w - t_i)^2 / 2 over t_i = i: the optimum is w = mean(t) = 4.5.
  Eigen::VectorXd w = Eigen::VectorXd::Zero(1), dw(1);
  descent::Momentum<double> opt(descent::MomentumOptions(0.3).momentum(0.5));
  opt.add("w", w, dw);
  auto f = descent::separable(10, [&](const descent::Batch& batch) {
    const Eigen::ArrayXd t = batch.cast<double>().array();
    dw[0] = w[0] - t.mean();
    return 0.5 * (w[0] - t).square().mean();
  });
  descent::SGD sgd(descent::SGDOptions().epochs(100).batch_size(10));  // one full batch
  sgd.minimize(f, opt);
  CHECK(w[0] == Approx(4.5).epsilon(1e-6));
}

TEST_CASE("SGD stops for each reason", "[drivers][sgd]") {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  const descent::Sgd<double> sgd1(descent::SgdOptions(1.0));
  SECTION("max_epochs") {
    Recorder f;
    const descent::Result r =
        descent::SGD(descent::SGDOptions().epochs(3).batch_size(4)).minimize(f, x, sgd1);
    CHECK(r.reason == descent::StopReason::max_epochs);
    CHECK_FALSE(r.converged);
    CHECK(r.epochs == 3);
    CHECK(r.iterations == 9);
    CHECK(r.evaluations == 9);
    CHECK(r.loss == 4.5);
    CHECK(x[0] == -9.0);  // nine steps of -1
  }
  SECTION("loss_tolerance: the epoch loss does not change") {
    Recorder f;
    const descent::Result r =
        descent::SGD(descent::SGDOptions().epochs(10).loss_tolerance(1e-9)).minimize(f, x, sgd1);
    CHECK(r.reason == descent::StopReason::loss_tolerance);
    CHECK(r.converged);
    CHECK(r.epochs == 2);
  }
  SECTION("a NaN batch loss restores the parameters before the last step") {
    // Batches of 2; evaluations 1-3 are finite at x = 0, -1, -2, each followed by a step of -1;
    // the 4th, at x = -3, is NaN: x goes back to -2, where the last finite loss was measured.
    Eigen::Index calls = 0;
    auto f = descent::separable(
        10, [&](const Eigen::VectorXd&, Eigen::VectorXd& g, const descent::Batch&) {
          g.setConstant(1.0);
          return ++calls == 4 ? drivers_test::nan : 1.0;
        });
    const descent::Result r =
        descent::SGD(descent::SGDOptions().batch_size(2)).minimize(f, x, sgd1);
    CHECK(r.reason == descent::StopReason::non_finite);
    CHECK(r.iterations == 3);
    CHECK(r.epochs == 0);
    CHECK(r.loss == 1.0);
    CHECK(x[0] == -2.0);
  }
  SECTION("a callback stops at the end of epoch 2; early stopping after a flat loss") {
    Recorder f;
    struct StopAfterTwo {
      descent::Continue on_epoch_end(const descent::Progress& p) {
        return p.epoch == 1 ? descent::Continue::stop : descent::Continue::yes;
      }
    };
    descent::SGD driver(descent::SGDOptions().epochs(10).batch_size(5));
    descent::Result r = driver.minimize(f, x, sgd1, StopAfterTwo());
    CHECK(r.reason == descent::StopReason::callback);
    CHECK(r.epochs == 2);
    CHECK(r.iterations == 4);
    r = driver.minimize(f, x, sgd1, descent::EarlyStopping(3, 0.1));
    CHECK(r.reason == descent::StopReason::early_stopping);
    CHECK(r.converged);
    CHECK(r.epochs == 4);
  }
}

TEST_CASE("SGD rejects invalid settings with messages naming the setting and value",
          "[drivers][sgd]") {
  using descent::SGD;
  using descent::SGDOptions;
  CHECK_THROWS_WITH(SGD(SGDOptions().batch_size(0)), "SGD: batch_size must be >= 1, got 0");
  CHECK_THROWS_WITH(SGD(SGDOptions().epochs(0)), "SGD: epochs must be >= 1, got 0");
  CHECK_THROWS_WITH(SGD(SGDOptions().epochs(-2)), "SGD: epochs must be >= 1, got -2");
  CHECK_THROWS_WITH(SGD(SGDOptions().loss_tolerance(-0.5)),
                    "SGD: loss_tolerance must be finite and >= 0, got -0.5");
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  const descent::Sgd<double> opt(descent::SgdOptions(0.1));
  Recorder f;
  CHECK_THROWS_WITH(SGD(SGDOptions().batch_size(16).drop_last(true)).minimize(f, x, opt),
                    "SGD: batch_size must be <= the number of examples (10) when drop_last is "
                    "set, got 16");
  auto empty = descent::separable(
      0, [](const Eigen::VectorXd&, Eigen::VectorXd&, const descent::Batch&) { return 0.0; });
  CHECK_THROWS_WITH(SGD().minimize(empty, x, opt), "SGD: num_examples must be >= 1, got 0");
  CHECK(f.batches.empty());
}
