// Callbacks: hook order, optional hooks and arguments, loss feedback to plateau schedules, and
// the shipped callbacks (LossHistory, EarlyStopping, KeepBest, PrintEvery, ProgressBar).
#include <catch2/catch.hpp>
#include <descent/descent.hpp>
#include <descent/drivers/drivers.hpp>
#include <descent/schedules/reduce_on_plateau.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/scripted.hpp"

using drivers_test::Scripted;

namespace {

// Records which hooks ran, in order.
struct Trace {
  std::string log;
  void on_begin(const descent::Progress&) { log += "B"; }
  void on_epoch_begin(const descent::Progress& p) { log += "[" + std::to_string(p.epoch); }
  void on_step(const descent::Progress& p) { log += " s" + std::to_string(p.step); }
  void on_epoch_end(const descent::Progress&) { log += "]"; }
  void on_end(descent::Result&) { log += "E"; }
};

// Only on_end, taking the optimizer as well.
struct CountBlocks {
  std::size_t blocks = 0;
  template <class Opt>
  void on_end(descent::Result&, Opt& opt) {
    blocks = opt.num_blocks();
  }
};

// A schedule that records the losses reported to it (the reduce-on-plateau contract).
struct RecordingSchedule {
  std::vector<double>* reports;
  double lr(double base_lr, std::int64_t) const { return base_lr; }
  void report(double metric) { reports->push_back(metric); }
};

}  // namespace

TEST_CASE("Drivers call the hooks in order: begin, per epoch begin/steps/end, end",
          "[drivers][callbacks]") {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  const descent::Sgd<double> sgd(descent::SgdOptions(0.1));
  SECTION("GD: one step per epoch") {
    Scripted<double> f{{3, 2, 1}};
    Trace trace;
    CountBlocks count;
    descent::GD(descent::GDOptions().max_iterations(2).gradient_tolerance(0))
        .minimize(f, x, sgd, trace, count);
    CHECK(trace.log == "B[0 s1][1 s2]E");
    CHECK(count.blocks == 1);
  }
  SECTION("SGD: batches of 5 over 10 examples, two steps per epoch") {
    auto f = descent::separable(
        10, [](const Eigen::VectorXd&, Eigen::VectorXd& g, const descent::Batch&) {
          g.setZero();
          return 1.0;
        });
    Trace trace;
    descent::SGD(descent::SGDOptions().epochs(2).batch_size(5)).minimize(f, x, sgd, trace);
    CHECK(trace.log == "B[0 s1 s2][1 s3 s4]E");
  }
}

TEST_CASE("Drivers report losses to a schedule that has report(), as reduce-on-plateau needs",
          "[drivers][callbacks]") {
  std::vector<double> reports;
  using Opt = descent::Sgd<double, RecordingSchedule>;
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  SECTION("GD reports the loss after every step, or every report_every steps") {
    Scripted<double> f{{5, 4, 3, 2, 1}};
    descent::GD(descent::GDOptions().max_iterations(4).gradient_tolerance(0))
        .minimize(f, x, Opt(descent::SgdOptions(1.0), RecordingSchedule{&reports}));
    CHECK(reports == std::vector<double>{4, 3, 2, 1});
    reports.clear();
    f.calls = 0;
    descent::GD(descent::GDOptions().max_iterations(4).gradient_tolerance(0).report_every(2))
        .minimize(f, x, Opt(descent::SgdOptions(1.0), RecordingSchedule{&reports}));
    CHECK(reports == std::vector<double>{3, 1});
  }
  SECTION("SGD reports each epoch loss, unless told not to") {
    auto f = descent::separable(
        4, [](const Eigen::VectorXd&, Eigen::VectorXd& g, const descent::Batch& b) {
          g.setZero();
          return double(b.sum());
        });
    const descent::Result r =
        descent::SGD(descent::SGDOptions().epochs(3).batch_size(2))
            .minimize(f, x, Opt(descent::SgdOptions(1.0), RecordingSchedule{&reports}));
    CHECK(reports == r.epoch_losses);
    CHECK(reports == std::vector<double>{3, 3, 3});  // (0+1+2+3) summed per batch, mean 6/2
    reports.clear();
    descent::SGD(descent::SGDOptions().epochs(3).report_to_schedule(false))
        .minimize(f, x, Opt(descent::SgdOptions(1.0), RecordingSchedule{&reports}));
    CHECK(reports.empty());
  }
}

TEST_CASE("LossHistory records epoch and step losses into space reserved up front",
          "[drivers][callbacks]") {
  auto f = descent::separable(
      6, [](const Eigen::VectorXd&, Eigen::VectorXd& g, const descent::Batch& b) {
        g.setZero();
        return double(b.size());
      });
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  descent::LossHistory history(true);
  const descent::Result r =
      descent::SGD(descent::SGDOptions().epochs(3).batch_size(4))
          .minimize(f, x, descent::Sgd<double>(descent::SgdOptions(0.1)), history);
  CHECK(history.epoch_losses() == r.epoch_losses);
  // Batches of 4 and 2: batch losses 4, 2; epoch loss (4*4 + 2*2) / 6 = 20/6.
  CHECK(history.step_losses() == std::vector<double>{4, 2, 4, 2, 4, 2});
  CHECK(history.epoch_losses()[0] == 20.0 / 6.0);
  CHECK(history.epoch_losses().capacity() == 3);
  CHECK(history.step_losses().capacity() == 6);
  CHECK(r.epoch_losses.capacity() == 3);
}

TEST_CASE("EarlyStopping waits `patience` epochs without an improvement of min_delta",
          "[drivers][callbacks]") {
  descent::EarlyStopping stop(2, 0.1);
  descent::Progress p;
  stop.on_begin(p);
  auto epoch = [&](double loss) {
    p.loss = loss;
    return stop.on_epoch_end(p);
  };
  CHECK(epoch(1.0) == descent::Continue::yes);                       // best 1.0
  CHECK(epoch(0.95) == descent::Continue::yes);                      // not below 1.0 - 0.1: wait 1
  CHECK(epoch(0.85) == descent::Continue::yes);                      // below 0.9: best 0.85, wait 0
  CHECK(epoch(0.8) == descent::Continue::yes);                       // not below 0.75: wait 1
  CHECK(epoch(drivers_test::nan) == descent::Continue::early_stop);  // NaN: wait 2
  CHECK(stop.best() == 0.85);
  CHECK_THROWS_WITH(descent::EarlyStopping(0), "EarlyStopping: patience must be >= 1, got 0");
  CHECK_THROWS_WITH(descent::EarlyStopping(3, -0.1),
                    "EarlyStopping: min_delta must be finite and >= 0, got -0.1");
}

TEST_CASE("KeepBest restores the parameters of the epoch with the lowest loss",
          "[drivers][callbacks]") {
  // Losses after steps 1..4 are 3, 1, 2, 4 at x = -1, -2, -3, -4: the best is x = -2.
  Scripted<float> f{{5, 3, 1, 2, 4}};
  Eigen::VectorXf x = Eigen::VectorXf::Zero(1);
  descent::KeepBest best;
  const descent::Result r =
      descent::GD(descent::GDOptions().max_iterations(4).gradient_tolerance(0))
          .minimize(f, x, descent::Sgd<float>(descent::SgdOptions(1.0)), best);
  CHECK(best.best_epoch() == 1);
  CHECK(x[0] == -2.0f);
  CHECK(r.loss == 1.0);
  CHECK(r.iterations == 4);
}

TEST_CASE("PrintEvery prints the step, epoch, loss and gradient norm every N steps",
          "[drivers][callbacks]") {
  Scripted<double> f{{5, 3, 1, 2, 4}};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  std::ostringstream out;
  descent::GD(descent::GDOptions().max_iterations(4).gradient_tolerance(0))
      .minimize(f, x, descent::Sgd<double>(descent::SgdOptions(1.0)), descent::PrintEvery(2, out));
  CHECK(out.str() ==
        "step 2 epoch 2 loss 1 grad_norm 1\n"
        "step 4 epoch 4 loss 4 grad_norm 1\n");
  CHECK_THROWS_WITH(descent::PrintEvery(0), "PrintEvery: every must be >= 1, got 0");
}

TEST_CASE("ProgressBar draws lines off a terminal, redraws in place on one, and can be silent",
          "[drivers][callbacks]") {
  Scripted<double> f{{5, 3, 1, 2, 4}};
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  const descent::Sgd<double> sgd(descent::SgdOptions(1.0));
  descent::GD gd(descent::GDOptions().max_iterations(4).gradient_tolerance(0));
  std::ostringstream out;
  SECTION("lines, every epoch (interval 0)") {
    descent::ProgressBar bar(out, false);
    gd.minimize(f, x, sgd, bar.interval(0.0));
    const std::string s = out.str();
    CHECK(s.rfind("epoch 1/4  25% loss 3 | ", 0) == 0);
    CHECK(s.find("\nepoch 2/4  50% loss 1 | ") != std::string::npos);
    CHECK(s.find("\nepoch 4/4 100% loss 4 | ") != std::string::npos);
    CHECK(s.find(" steps/s | ETA ") != std::string::npos);
    CHECK(std::count(s.begin(), s.end(), '\n') == 4);
    CHECK(s.find('\r') == std::string::npos);
  }
  SECTION("lines with a long interval: the first and the last epoch only") {
    descent::ProgressBar bar(out, false);
    gd.minimize(f, x, sgd, bar.interval(1e9));
    const std::string s = out.str();
    CHECK(std::count(s.begin(), s.end(), '\n') == 2);
    CHECK(s.rfind("epoch 1/4", 0) == 0);
    CHECK(s.find("\nepoch 4/4 100% loss 4") != std::string::npos);
  }
  SECTION("a run that stops early still prints its last epoch") {
    descent::ProgressBar bar(out, false);
    gd.minimize(f, x, sgd, bar.interval(1e9), descent::EarlyStopping(1));
    const std::string s = out.str();  // epochs: 3 (best), 1 (best), 2 (stop)
    CHECK(s.find("\nepoch 3/4  75% loss 2") != std::string::npos);
  }
  SECTION("in place: carriage returns, a bar, a final newline") {
    descent::ProgressBar bar(out, true);
    gd.minimize(f, x, sgd, bar.interval(0.0).width(4));
    const std::string s = out.str();
    CHECK(s.rfind("\repoch 1/4 [#...]  25% loss 3 | ", 0) == 0);
    CHECK(s.find("\repoch 4/4 [####] 100% loss 4 | ") != std::string::npos);
    CHECK(s.back() == '\n');
    CHECK(std::count(s.begin(), s.end(), '\n') == 1);
  }
  SECTION("disabled: nothing") {
    descent::ProgressBar bar(out, true);
    gd.minimize(f, x, sgd, bar.enabled(false));
    CHECK(out.str().empty());
  }
  CHECK_THROWS_WITH(descent::ProgressBar(out, false).interval(-1),
                    "ProgressBar: interval must be finite and >= 0, got -1");
}

TEST_CASE("GD feeds ReduceOnPlateau: a flat loss halves the rate after each bad report",
          "[drivers][callbacks]") {
  // Loss 1 everywhere, gradient 1. Reports follow steps 1, 2, 3: the first sets best = 1, the
  // next two do not improve (patience 0), each halving the rate. Steps use 1, 1, 0.5, so
  // x = -(1 + 1 + 0.5) = -2.5.
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1), dx(1);
  descent::Sgd<double, descent::ReduceOnPlateau> opt(
      descent::SgdOptions(1.0),
      descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(0).factor(0.5)));
  opt.add("x", x, dx);
  auto f = [&] {
    dx.setConstant(1.0);
    return 1.0;
  };
  descent::GD(descent::GDOptions().max_iterations(3).gradient_tolerance(0)).minimize(f, opt);
  CHECK(opt.schedule().reductions() == 2);
  CHECK(x[0] == -2.5);
  CHECK(opt.lr() == 0.25);
}
