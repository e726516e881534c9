#pragma once
/// Validation helpers shared by the schedules: integer settings and milestone lists.

#include <cstddef>
#include <cstdint>
#include <string>

#include "descent/detail/format.hpp"

namespace descent::detail {

/// Checks an integer setting `value > 0` (step counts, periods).
inline void require_positive_count(const std::string& owner, const char* setting,
                                   std::int64_t value) {
  if (value <= 0) throw_setting(owner, setting, "> 0", static_cast<double>(value));
}

/// Checks an integer setting `value >= 0`.
inline void require_non_negative_count(const std::string& owner, const char* setting,
                                       std::int64_t value) {
  if (value < 0) throw_setting(owner, setting, ">= 0", static_cast<double>(value));
}

/// Checks that `milestones[0..count)` are positive and strictly increasing; messages name the
/// offending entry, e.g. "MultiStep: milestones[1] must be > 30 (milestones[0]), got 30".
inline void require_milestones(const std::string& owner, const std::int64_t* milestones,
                               std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string setting = "milestones[" + std::to_string(i) + "]";
    if (i == 0) {
      if (milestones[0] <= 0) {
        throw_setting(owner, setting.c_str(), "> 0", static_cast<double>(milestones[0]));
      }
    } else if (milestones[i] <= milestones[i - 1]) {
      const std::string requirement =
          "> " + std::to_string(milestones[i - 1]) + " (milestones[" + std::to_string(i - 1) + "])";
      throw_setting(owner, setting.c_str(), requirement.c_str(),
                    static_cast<double>(milestones[i]));
    }
  }
}

}  // namespace descent::detail
