#pragma once
// The GAN demo's outputs: the metrics as text or JSON, CSV files, and PNGs through gnuplot.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "config.hpp"
#include "mixture.hpp"
#include "trainer.hpp"

namespace gan {

/// A JSON number, or null for NaN and infinities (which JSON cannot hold).
inline std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

/// The run as exactly one JSON object on one line.
inline void print_json(std::ostream& out, const Config& c, const Run& r) {
  const Coverage& v = r.coverage;
  out << "{\"dataset\": \"" << c.dataset << "\", \"seed\": " << c.seed << ", \"steps\": " << c.steps
      << ", \"optimizer\": \"" << c.optimizer << "\", \"modes_captured\": " << v.modes_captured
      << ", \"modes_total\": " << v.modes_total
      << ", \"high_quality_fraction\": " << json_number(v.high_quality_fraction)
      << ", \"min_mode_samples\": " << v.min_mode_samples
      << ", \"reverse_kl\": " << json_number(v.reverse_kl) << ", \"samples\": " << v.samples
      << ", \"last_weights_high_quality_fraction\": "
      << json_number(r.last_coverage.high_quality_fraction)
      << ", \"last_weights_modes_captured\": " << r.last_coverage.modes_captured
      << ", \"seconds\": " << json_number(r.seconds)
      << ", \"steps_per_second\": " << json_number(r.steps_per_second)
      << ", \"processes\": " << r.processes << ", \"shards\": " << r.shards
      << ", \"batch\": " << c.batch * r.processes << ", \"threads\": " << r.threads
      << ", \"resumed_from\": " << r.first_step << ", \"skipped_steps\": " << r.skipped_steps
      << ", \"final_d_loss\": " << json_number(r.d_loss.empty() ? NAN : r.d_loss.back())
      << ", \"final_g_loss\": " << json_number(r.g_loss.empty() ? NAN : r.g_loss.back()) << "}\n";
}

/// The run as a few readable lines.
inline void print_text(std::ostream& out, const Config& c, const Run& r) {
  const Coverage& v = r.coverage;
  char buffer[512];
  std::snprintf(buffer, sizeof buffer,
                "%s, seed %llu, %lld steps with %s: %.1f s (%.0f steps/s)\n"
                "modes captured:       %lld of %lld\n"
                "high-quality samples: %.1f%% of %lld\n"
                "fewest per mode:      %lld (a fair share is %lld)\n"
                "reverse KL:           %.4f\n",
                c.dataset.c_str(), static_cast<unsigned long long>(c.seed),
                static_cast<long long>(c.steps), c.optimizer.c_str(), r.seconds, r.steps_per_second,
                static_cast<long long>(v.modes_captured), static_cast<long long>(v.modes_total),
                100.0 * v.high_quality_fraction, static_cast<long long>(v.samples),
                static_cast<long long>(v.min_mode_samples),
                static_cast<long long>(v.samples / v.modes_total), v.reverse_kl);
  out << buffer;
  if (r.processes > 1) {
    out << "processes:            " << r.processes << " (batch " << c.batch * r.processes
        << " in all)\n";
  }
  if (r.first_step > 0) out << "resumed from step:    " << r.first_step << "\n";
  if (r.skipped_steps > 0) out << "skipped (NaN/Inf):    " << r.skipped_steps << " steps\n";
}

/// A run stopped by --stop-after (no evaluation): where it stopped and where it was saved.
inline void print_stopped(std::ostream& out, const Config& c, const Run& r) {
  if (c.json) {
    out << "{\"dataset\": \"" << c.dataset << "\", \"seed\": " << c.seed
        << ", \"steps\": " << c.steps << ", \"stopped_after\": " << r.last_step
        << ", \"checkpoint\": \"" << c.checkpoint << "\"}\n";
  } else {
    out << "stopped after step " << r.last_step << " of " << c.steps
        << (c.checkpoint.empty() ? std::string(" (no --checkpoint: nothing saved)")
                                 : "; resume with --resume " + c.checkpoint)
        << "\n";
  }
}

/// Writes PREFIX_samples.csv, PREFIX_means.csv, PREFIX_losses.csv and, when gnuplot is on the
/// PATH, PREFIX_samples.png and PREFIX_losses.png. Returns the files written.
inline std::string write_files(const std::string& prefix, const Mixture& mixture, const Run& r) {
  std::string written;
  {
    std::ofstream f(prefix + "_samples.csv");
    f << "x,y\n";
    for (Eigen::Index j = 0; j < r.samples.cols(); ++j) {
      f << r.samples(0, j) << ',' << r.samples(1, j) << '\n';
    }
    std::ofstream g(prefix + "_means.csv");
    g << "x,y\n";
    for (Eigen::Index k = 0; k < mixture.modes(); ++k) {
      g << mixture.means(0, k) << ',' << mixture.means(1, k) << '\n';
    }
    // Losses averaged over windows of 50 steps, one row per window.
    std::ofstream h(prefix + "_losses.csv");
    h << "step,d_loss,g_loss\n";
    const std::size_t w = 50;
    for (std::size_t s = 0; s + w <= r.d_loss.size(); s += w) {
      double dl = 0.0, gl = 0.0;
      for (std::size_t i = s; i < s + w; ++i) {
        dl += r.d_loss[i];
        gl += r.g_loss[i];
      }
      h << r.first_step + std::int64_t(s + w) << ',' << dl / double(w) << ',' << gl / double(w)
        << '\n';
    }
    written = prefix + "_samples.csv, " + prefix + "_means.csv, " + prefix + "_losses.csv";
  }
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) return written;
  const std::string script = prefix + "_plot.gp";
  {
    const double lim = mixture.means.cwiseAbs().maxCoeff() * 1.5;
    std::ofstream p(script);
    p << "set datafile separator ','\nset terminal pngcairo size 640,640 noenhanced\n"
      << "set output '" << prefix << "_samples.png'\nset size ratio -1\nset key top right\n"
      << "set xrange [" << -lim << ":" << lim << "]\nset yrange [" << -lim << ":" << lim << "]\n"
      << "set title '" << mixture.name << ": " << r.samples.cols() << " generated samples, "
      << r.coverage.modes_captured << "/" << r.coverage.modes_total << " modes, "
      << int(std::round(1000.0 * r.coverage.high_quality_fraction)) / 10.0 << "% high quality'\n"
      << "plot '" << prefix << "_samples.csv' skip 1 with points pt 7 ps 0.3 lc rgb '#1f77b4'"
      << " title 'generated', '" << prefix << "_means.csv' skip 1 with points pt 2 ps 2 lw 2"
      << " lc rgb '#d62728' title 'mode means'\n"
      << "set terminal pngcairo size 800,400 noenhanced\nset output '" << prefix
      << "_losses.png'\nset size noratio\nset autoscale\nset xlabel 'step'\n"
      << "set title 'losses (mean over 50 steps)'\nplot '" << prefix << "_losses.csv' skip 1"
      << " using 1:2 with lines lw 2 title 'D', '' skip 1 using 1:3 with lines lw 2 title 'G'\n";
  }
  if (std::system(("gnuplot '" + script + "' 2> /dev/null").c_str()) == 0) {
    written += ", " + prefix + "_samples.png, " + prefix + "_losses.png";
  }
  std::remove(script.c_str());
  return written;
}

}  // namespace gan
