#pragma once
// The GAN demo's progress line: step, the losses of D and G, steps/s and ETA, on stderr.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <descent/drivers/progress_bar.hpp>

namespace gan {

/// `step 1200/6000 [######........]  20% | D 1.21 G 0.93 | 412 steps/s | ETA 0:11`, redrawn in
/// place on a terminal every 0.1 s, or a plain line every 2 s otherwise. Losses shown are
/// exponential averages over about 100 steps (a single GAN step's loss is noise).
class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  /// `first`: the step a resumed run starts from (the rate counts only this run's steps).
  Progress(std::int64_t total, bool enabled, std::int64_t first = 0)
      : total_(total),
        first_(first),
        enabled_(enabled),
        interactive_(descent::stderr_is_terminal()),
        start_(Clock::now()),
        last_(start_) {}

  void step(std::int64_t done, double d_loss, double g_loss) {
    d_ = done == first_ + 1 ? d_loss : 0.99 * d_ + 0.01 * d_loss;
    g_ = done == first_ + 1 ? g_loss : 0.99 * g_ + 0.01 * g_loss;
    if (!enabled_) return;
    const Clock::time_point now = Clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (done == total_ || since >= (interactive_ ? 0.1 : 2.0)) draw(done, now);
  }

 private:
  void draw(std::int64_t done, Clock::time_point now) {
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0.0 ? double(done - first_) / elapsed : 0.0;
    const double eta = rate > 0.0 ? double(total_ - done) / rate : 0.0;
    const double fraction = double(done) / double(total_);
    const int width = 24, filled = static_cast<int>(fraction * width);
    const std::string bar = "[" + std::string(std::size_t(filled), '#') +
                            std::string(std::size_t(width - filled), '.') + "]";
    const int eta_s = static_cast<int>(eta + 0.5);
    std::fprintf(stderr, "%sstep %lld/%lld %s %3d%% | D %.3f G %.3f | %.0f steps/s | ETA %d:%02d%s",
                 interactive_ ? "\r" : "", static_cast<long long>(done),
                 static_cast<long long>(total_), bar.c_str(), static_cast<int>(fraction * 100.0),
                 d_, g_, rate, eta_s / 60, eta_s % 60,
                 interactive_ && done < total_ ? "   " : "\n");
    std::fflush(stderr);
  }

  std::int64_t total_, first_;
  bool enabled_, interactive_;
  Clock::time_point start_, last_;
  double d_ = 0.0, g_ = 0.0;
};

}  // namespace gan
