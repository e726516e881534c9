#pragma once
/// ProgressBar: a callback that shows epoch, percent, loss, steps/s and ETA on stderr.

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <ostream>
#include <string>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

#include "descent/detail/format.hpp"
#include "descent/drivers/result.hpp"

namespace descent {

/// Whether stderr is a terminal (isatty).
inline bool stderr_is_terminal() {
#if defined(_WIN32)
  return _isatty(_fileno(stderr)) != 0;
#else
  return isatty(fileno(stderr)) != 0;
#endif
}

/// A progress display: `epoch 3/10 [######.........]  30% loss 0.1234 | 2.1e+03 steps/s | ETA
/// 0:12`. Interactive (a terminal): redrawn in place with '\r' at most every `interval` seconds
/// (default 0.1) and at each epoch end, then a newline at the end of the run. Not interactive (a
/// file or pipe): a plain line per epoch end, at most every `interval` seconds (default 1), and a
/// last line at the end. Disabled: prints nothing. Times come from std::chrono::steady_clock.
class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  /// On std::cerr, interactive when stderr is a terminal.
  ProgressBar() : ProgressBar(std::cerr, stderr_is_terminal()) {}
  /// On `out`, redrawing in place when `interactive`, else plain lines.
  ProgressBar(std::ostream& out, bool interactive)
      : out_(&out), interactive_(interactive), interval_(interactive ? 0.1 : 1.0) {}

  /// Turns the display on or off (off prints nothing).
  ProgressBar& enabled(bool value) {
    enabled_ = value;
    return *this;
  }
  bool enabled() const { return enabled_; }
  /// Minimum seconds between two draws, >= 0; 0 draws at every opportunity.
  ProgressBar& interval(double seconds) {
    detail::require_non_negative("ProgressBar", "interval", seconds);
    interval_ = seconds;
    return *this;
  }
  /// Characters of the bar itself (interactive only), >= 0 (default 30).
  ProgressBar& width(int value) {
    if (value < 0) detail::throw_setting("ProgressBar", "width", ">= 0", value);
    width_ = value;
    return *this;
  }

  void on_begin(const Progress&) {
    start_ = Clock::now();
    last_draw_ = start_;
    drawn_since_epoch_end_ = false;
    any_drawn_ = false;
  }
  void on_step(const Progress& p) {
    if (!enabled_ || !interactive_) return;
    const Clock::time_point now = Clock::now();
    if (seconds(last_draw_, now) >= interval_) draw(p, p.epoch + 1, now);
  }
  void on_epoch_end(const Progress& p) {
    if (!enabled_) return;
    const Clock::time_point now = Clock::now();
    const bool last = p.epoch + 1 == p.epochs;
    if (interactive_ || last || !any_drawn_ || seconds(last_draw_, now) >= interval_) {
      draw(p, p.epoch + 1, now);
      last_progress_ = p;
      drawn_since_epoch_end_ = true;
      return;
    }
    last_progress_ = p;
    drawn_since_epoch_end_ = false;
  }
  void on_end(Result&) {
    if (!enabled_) return;
    if (!interactive_ && !drawn_since_epoch_end_ && last_progress_.step > 0) {
      draw(last_progress_, last_progress_.epoch + 1, Clock::now());
    }
    if (interactive_ && any_drawn_) *out_ << '\n' << std::flush;
  }

 private:
  static double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  }

  // "1:02:03" or "2:03"; "--:--" when unknown.
  static std::string format_duration(double s) {
    if (!(s >= 0.0) || s > 1e8) return "--:--";
    const long long total = std::llround(s);
    char buffer[32];
    if (total >= 3600) {
      std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                    total % 60);
    } else {
      std::snprintf(buffer, sizeof buffer, "%lld:%02lld", total / 60, total % 60);
    }
    return buffer;
  }

  void draw(const Progress& p, std::int64_t epoch, Clock::time_point now) {
    const std::int64_t total = p.total_steps();
    const double fraction = total > 0 ? double(p.step) / double(total) : 0.0;
    const double elapsed = seconds(start_, now);
    const double rate = elapsed > 0.0 && p.step > 0 ? double(p.step) / elapsed : 0.0;
    const double eta = rate > 0.0 ? double(total - p.step) / rate : -1.0;
    std::string bar;
    if (interactive_ && width_ > 0) {
      const int filled = static_cast<int>(fraction * width_);
      bar = " [" + std::string(std::size_t(filled), '#') +
            std::string(std::size_t(width_ - filled), '.') + "]";
    }
    char buffer[160];
    std::snprintf(buffer, sizeof buffer,
                  "epoch %lld/%lld%s %3d%% loss %.6g | %.3g steps/s | ETA %s",
                  static_cast<long long>(epoch), static_cast<long long>(p.epochs), bar.c_str(),
                  static_cast<int>(fraction * 100.0), p.loss, rate, format_duration(eta).c_str());
    if (interactive_) {
      *out_ << '\r' << buffer << "   " << std::flush;  // trailing spaces clear a longer old line
    } else {
      *out_ << buffer << '\n' << std::flush;
    }
    last_draw_ = now;
    any_drawn_ = true;
  }

  std::ostream* out_;
  bool interactive_;
  double interval_;
  int width_ = 30;
  bool enabled_ = true;
  Clock::time_point start_{};
  Clock::time_point last_draw_{};
  Progress last_progress_{};
  bool drawn_since_epoch_end_ = false;
  bool any_drawn_ = false;
};

}  // namespace descent
