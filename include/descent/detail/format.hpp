#pragma once
/// Formatting of numbers and shapes for error messages.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

namespace descent::detail {

/// The shortest decimal text that reads back as exactly `value` ("0.1", "1e-08", "100", "nan").
inline std::string format_value(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string shortest = buffer;
  // %g switches to an exponent when the precision is below the integer digits ("1e+02");
  // a whole number written out in full may be shorter.
  if (value == std::floor(value) && std::fabs(value) < 1e17) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    if (std::string(buffer).size() <= shortest.size()) shortest = buffer;
  }
  return shortest;
}

/// "rows x cols" as it appears in messages: "3x2".
inline std::string format_shape(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

/// Throws std::invalid_argument("<owner>: <setting> must be <requirement>, got <value>").
[[noreturn]] inline void throw_setting(const std::string& owner, const char* setting,
                                       const char* requirement, double value) {
  throw std::invalid_argument(owner + ": " + setting + " must be " + requirement + ", got " +
                              format_value(value));
}

/// Checks `0 <= value < inf`: learning rates, eps, decay strengths.
inline void require_non_negative(const std::string& owner, const char* setting, double value) {
  if (!(value >= 0.0) || std::isinf(value)) throw_setting(owner, setting, "finite and >= 0", value);
}

/// Checks `0 < value < inf`.
inline void require_positive(const std::string& owner, const char* setting, double value) {
  if (!(value > 0.0) || std::isinf(value)) throw_setting(owner, setting, "finite and > 0", value);
}

/// Checks `0 <= value < 1`: betas, momentum coefficients of averages.
inline void require_unit_interval(const std::string& owner, const char* setting, double value) {
  if (!(value >= 0.0 && value < 1.0)) throw_setting(owner, setting, "in [0, 1)", value);
}

}  // namespace descent::detail
