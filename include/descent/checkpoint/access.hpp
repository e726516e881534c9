#pragma once
/// detail::CheckpointAccess: writes an optimizer's complete state, and stages a saved one for
/// it (parse and validate everything first, commit later with operations that cannot fail).

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "descent/checkpoint/byte_io.hpp"
#include "descent/checkpoint/error.hpp"
#include "descent/checkpoint/file_format.hpp"
#include "descent/checkpoint/schedule_parts.hpp"
#include "descent/checkpoint/settings.hpp"
#include "descent/core/block_options.hpp"
#include "descent/core/optimizer.hpp"
#include "descent/detail/format.hpp"
#include "descent/schedules/reduce_on_plateau.hpp"

namespace descent {

/// What a load restored, and every difference it found (in strict mode any difference throws).
struct CheckpointReport {
  std::vector<std::string> loaded;    ///< names of the blocks restored
  std::vector<std::string> problems;  ///< one message per difference, e.g. `block "w": ...`
  /// True when the checkpoint and the live objects matched in full.
  bool complete() const { return problems.empty(); }
};

namespace detail {

/// The steps at which a pure schedule's lr(1, t) is recorded: enough to tell two schedules apart
/// (every step up to 16, powers of two up to 2^40, and the saved step and the next).
inline std::vector<std::int64_t> schedule_sample_steps(std::int64_t step_count) {
  std::vector<std::int64_t> steps;
  for (std::int64_t t = 0; t <= 16; ++t) steps.push_back(t);
  for (int k = 5; k <= 40; ++k) steps.push_back(std::int64_t(1) << k);
  steps.push_back(step_count);
  steps.push_back(step_count + 1);
  return steps;
}

/// Rates equal up to 1e-12 relative (another math library may round cos/pow differently).
inline bool same_rate(double a, double b) {
  if (a == b || (std::isnan(a) && std::isnan(b))) return true;
  return std::fabs(a - b) <= 1e-12 * std::fmax(std::fabs(a), std::fabs(b));
}

inline std::string describe(const std::vector<SavedPolicy>& policies) {
  std::string text = "[";
  for (std::size_t i = 0; i < policies.size(); ++i) {
    if (i > 0) text += ", ";
    text += describe(policies[i]);
  }
  return text + "]";
}

inline bool same_settings(const std::vector<SavedSetting>& a, const std::vector<SavedSetting>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || !(a[i].value == b[i].value)) return false;
  }
  return true;
}

/// "beta1: saved 0.5, optimizer has 0.9; ..." for the settings that differ.
inline std::string setting_differences(const std::vector<SavedSetting>& saved,
                                       const std::vector<SavedSetting>& live) {
  std::string text;
  for (const SavedSetting& s : saved) {
    for (const SavedSetting& l : live) {
      if (l.name == s.name && !(l.value == s.value)) {
        if (!text.empty()) text += ", ";
        text += s.name + ": saved " + format_value(s.value) + ", optimizer has " +
                format_value(l.value);
      }
    }
  }
  return text;
}

struct CheckpointAccess {
  template <class Opt>
  static bool averages_swapped(const Opt& opt) {
    if constexpr (Opt::kAverages > 0) {
      return opt.averages_swapped_;
    } else {
      return false;
    }
  }

  template <class Opt>
  static std::vector<SavedPolicy> policies(const Opt& opt) {
    return std::apply(
        [](const auto&... policy) { return std::vector<SavedPolicy>{policy_settings(policy)...}; },
        opt.policies_);
  }

  /// Appends the optimizer's record (layout in docs/checkpoint.md).
  template <class Opt>
  static void save(ByteWriter& out, const Opt& opt, const std::string& name) {
    using Scalar = typename Opt::scalar_type;
    using Rule = typename Opt::rule_type;
    using Schedule = typename Opt::schedule_type;
    out.string(name);
    out.string(Rule::name);
    out.string(scalar_name<Scalar>());
    write_settings(out, RuleSettings<Rule>::get(opt.options()));
    out.i64(opt.step_count_);
    out.i64(opt.skipped_steps_);
    auto write_plateau = [&out](const ReduceOnPlateau& plateau) {
      write_settings(out, plateau_settings(plateau.options()));
      const ReduceOnPlateauState& s = plateau.state();
      out.f64(s.best);
      out.i64(s.num_bad_epochs);
      out.i64(s.cooldown_counter);
      out.i64(s.reductions);
      out.i64(s.last_epoch);
    };
    if constexpr (std::is_same<Schedule, ReduceOnPlateau>::value) {
      out.u8(std::uint8_t(ScheduleRecord::reduce_on_plateau));
      write_plateau(opt.schedule_);
    } else {
      if constexpr (contains_plateau<Schedule>::value) {
        out.u8(std::uint8_t(ScheduleRecord::nested_plateaus));
        std::uint64_t stages = 0;
        auto count = [&stages](const ReduceOnPlateau&) { ++stages; };
        for_each_plateau(opt.schedule_, count);
        out.u64(stages);
        for_each_plateau(opt.schedule_, write_plateau);
      } else {
        out.u8(std::uint8_t(ScheduleRecord::samples));
      }
      const std::vector<std::int64_t> steps = schedule_sample_steps(opt.step_count_);
      out.u64(steps.size());
      for (std::int64_t t : steps) {
        out.i64(t);
        out.f64(opt.schedule_.lr(1.0, t));
      }
    }
    const std::vector<SavedPolicy> policies = CheckpointAccess::policies(opt);
    out.u32(std::uint32_t(policies.size()));
    for (const SavedPolicy& policy : policies) {
      out.string(policy.name);
      write_settings(out, policy.settings);
    }
    out.u64(opt.entries_.size());
    for (const auto& entry : opt.entries_) {
      out.string(entry.block.name());
      out.i64(std::int64_t(entry.block.rows()));
      out.i64(std::int64_t(entry.block.cols()));
      out.f64(entry.block.options().lr_multiplier());
      out.u8(entry.block.options().regularize() ? 1 : 0);
      out.i64(entry.state.steps);
      out.array(entry.block.value());
      std::uint32_t arrays = 0;
      Opt::State::visit(entry.state, [&](const char*, const auto&) { ++arrays; });
      out.u32(arrays);
      Opt::State::visit(entry.state, [&](const char* array_name, const auto& array) {
        out.string(array_name);
        out.array(array);
      });
      out.u8(Opt::kAverages > 0 ? 1 : 0);
      if constexpr (Opt::kAverages > 0) {
        out.i64(entry.average_count);
        out.array(entry.average);
      }
    }
  }

  /// Checks `saved` against `opt` and stages everything it would change; returns the commit,
  /// which only assigns and swaps (it cannot throw). Differences go to `report.problems`; a
  /// different rule, scalar type or structural setting throws CheckpointError at once.
  template <class Opt>
  static std::function<void()> stage(Opt& opt, const SavedOptimizer& saved,
                                     const std::string& context, CheckpointReport& report) {
    using Scalar = typename Opt::scalar_type;
    using Rule = typename Opt::rule_type;
    using Schedule = typename Opt::schedule_type;
    using State = typename Opt::State;
    using Array = typename Opt::Array;
    using Entry = typename std::remove_reference_t<decltype(opt.entries_)>::value_type;
    const std::string named = "optimizer \"" + saved.name + "\"";  // in report.problems
    const std::string who = context + ": " + named;                // in CheckpointError

    if (saved.rule != Rule::name) {
      throw CheckpointError(who + ": saved rule " + saved.rule + ", optimizer has " + Rule::name);
    }
    if (saved.scalar != scalar_name<Scalar>()) {
      throw CheckpointError(who + ": saved scalar type " + saved.scalar + ", optimizer has " +
                            scalar_name<Scalar>());
    }
    const typename Rule::Options options =
        RuleSettings<Rule>::make(SavedSettings(saved.settings, who + ": rule " + Rule::name));
    struct Staged {
      Rule rule;
      Schedule schedule;
      bool restore_schedule = false;
      std::int64_t step_count = 0, skipped_steps = 0;
      struct Block {
        Entry* entry;
        Array values;
        std::int64_t steps;
        std::vector<Array> state;  ///< the state arrays, in State::visit order
        Array average;
        std::int64_t average_count;
        BlockOptions options;
      };
      std::vector<Block> blocks;
    };
    auto staged = [&] {
      try {
        return std::make_shared<Staged>(Staged{Rule(options), opt.schedule_, false, 0, 0, {}});
      } catch (const std::invalid_argument& e) {
        throw CheckpointError(who + ": the saved settings are invalid: " + e.what());
      }
    }();
    if (!same_settings(RuleSettings<Rule>::get(options), saved.settings)) {
      throw CheckpointError(who + ": the saved settings of " + Rule::name +
                            " are not the ones this build records");
    }
    if (!opt.rule_.same_structure(options)) {
      throw CheckpointError(
          who + ": " + setting_differences(saved.settings, RuleSettings<Rule>::get(opt.options())) +
          " (structural settings of " + Rule::name + ": " + Rule::structural_settings +
          "; they decide which state arrays exist and must match)");
    }
    staged->step_count = saved.step_count;
    staged->skipped_steps = saved.skipped_steps;

    stage_schedule<Opt>(saved, who, report, *staged);

    const std::vector<SavedPolicy> policies = CheckpointAccess::policies(opt);
    bool same_policies = policies.size() == saved.policies.size();
    for (std::size_t i = 0; same_policies && i < policies.size(); ++i) {
      same_policies = policies[i].name == saved.policies[i].name &&
                      same_settings(policies[i].settings, saved.policies[i].settings);
    }
    if (!same_policies) {
      report.problems.push_back(named + ": saved policies " + describe(saved.policies) +
                                ", optimizer has " + describe(policies));
    }

    const std::string who_prefix = who + ": ";
    std::unordered_map<std::string, const SavedBlock*> saved_blocks;
    for (const SavedBlock& b : saved.blocks) saved_blocks.emplace(b.name, &b);
    for (Entry& entry : opt.entries_) {
      const std::string block = "block \"" + entry.block.name() + "\"";
      const auto it = saved_blocks.find(entry.block.name());
      const SavedBlock* found = it == saved_blocks.end() ? nullptr : it->second;
      if (found == nullptr) {
        report.problems.push_back(block + ": not in the checkpoint");
        continue;
      }
      const SavedBlock& b = *found;
      if (b.rows != std::int64_t(entry.block.rows()) ||
          b.cols != std::int64_t(entry.block.cols())) {
        report.problems.push_back(block + ": saved shape " + format_shape(b.rows, b.cols) +
                                  ", optimizer has " +
                                  format_shape(entry.block.rows(), entry.block.cols()));
        continue;
      }
      bool ok = true;
      std::vector<Array> state;  // staged: the live arrays change only when everything is valid
      std::vector<bool> used(b.state.size(), false);
      State::visit(entry.state, [&](const char* name, const FlatView<Scalar>& live) {
        Array& array = state.emplace_back();  // decode_array sizes it
        for (std::size_t i = 0; i < b.state.size(); ++i) {
          if (b.state[i].name != name) continue;
          used[i] = true;
          if (b.state[i].size != std::size_t(live.size())) {
            report.problems.push_back(block + ": state array \"" + name + "\": saved " +
                                      std::to_string(b.state[i].size) +
                                      " elements, optimizer has " + std::to_string(live.size()));
            ok = false;
          } else {
            decode_array(b.state[i].bytes, array);
          }
          return;
        }
        report.problems.push_back(block + ": state array \"" + name +
                                  "\" is not in the checkpoint");
        ok = false;
      });
      for (std::size_t i = 0; i < b.state.size(); ++i) {
        if (!used[i]) {
          report.problems.push_back(block + ": the checkpoint has state array \"" +
                                    b.state[i].name + "\", " + Rule::name + " has none");
          ok = false;
        }
      }
      Array average;
      if (b.has_average != (Opt::kAverages > 0)) {
        report.problems.push_back(block + (b.has_average
                                               ? ": saved with an average, optimizer has none"
                                               : ": saved without an average, optimizer averages"));
        ok = false;
      } else if (b.has_average) {
        if (b.average.size != std::size_t(entry.average.size())) {
          report.problems.push_back(block + ": saved average of " + std::to_string(b.average.size) +
                                    " elements, optimizer has " +
                                    std::to_string(entry.average.size()));
          ok = false;
        } else {
          decode_array(b.average.bytes, average);
        }
      }
      BlockOptions block_options =
          BlockOptions().lr_multiplier(b.lr_multiplier).regularize(b.regularize);
      try {
        block_options.validate(who_prefix + block);
      } catch (const std::invalid_argument& e) {
        throw CheckpointError(e.what());
      }
      if (!ok) continue;
      Array values;
      decode_array(b.values.bytes, values);
      staged->blocks.push_back({&entry, std::move(values), b.steps, std::move(state),
                                std::move(average), b.average_count, block_options});
      report.loaded.push_back(entry.block.name());
    }
    std::unordered_set<std::string> live_blocks;
    for (const Entry& entry : opt.entries_) live_blocks.insert(entry.block.name());
    for (const SavedBlock& b : saved.blocks) {
      if (live_blocks.count(b.name) == 0) {
        report.problems.push_back("block \"" + b.name +
                                  "\": in the checkpoint, not in the optimizer");
      }
    }

    return [&opt, staged]() {
      opt.rule_ = staged->rule;
      if constexpr (contains_plateau<Schedule>::value) {
        if (staged->restore_schedule) opt.schedule_ = staged->schedule;
      }
      opt.step_count_ = staged->step_count;
      opt.skipped_steps_ = staged->skipped_steps;
      for (typename Staged::Block& b : staged->blocks) {
        b.entry->block.value() = b.values;  // same size: copies into the user's storage
        b.entry->state.steps = b.steps;
        std::size_t k = 0;  // same sizes: copies into the optimizer's arena
        State::visit(b.entry->state,
                     [&](const char*, FlatView<Scalar>& live) { live = b.state[k++]; });
        if constexpr (Opt::kAverages > 0) {
          b.entry->average.swap(b.average);
          b.entry->average_count = b.average_count;
        }
        b.entry->block.set_options(b.options);
      }
    };
  }

 private:
  template <class Opt, class Staged>
  static void stage_schedule(const SavedOptimizer& saved, const std::string& who,
                             CheckpointReport& report, Staged& staged) {
    using Schedule = typename Opt::schedule_type;
    const SavedSchedule& s = saved.schedule;
    const std::string named = "optimizer \"" + saved.name + "\"";
    constexpr ScheduleRecord expected =
        std::is_same<Schedule, ReduceOnPlateau>::value ? ScheduleRecord::reduce_on_plateau
        : contains_plateau<Schedule>::value            ? ScheduleRecord::nested_plateaus
                                                       : ScheduleRecord::samples;
    if (s.kind != expected) {
      report.problems.push_back(named + ": saved schedule is " + schedule_record_name(s.kind) +
                                ", the optimizer's is " + schedule_record_name(expected));
      return;
    }
    if constexpr (contains_plateau<Schedule>::value) {
      // Restore every ReduceOnPlateau stage into the staged copy, in declaration order.
      std::size_t k = 0;
      bool same = true;
      auto restore = [&](ReduceOnPlateau& plateau) {
        if (!same) return;
        if (k >= s.plateaus.size()) {
          same = false;
          report.problems.push_back(named + ": the saved schedule has " +
                                    std::to_string(s.plateaus.size()) +
                                    " ReduceOnPlateau stages, the optimizer's has more");
          return;
        }
        const SavedPlateau& p = s.plateaus[k++];
        const std::vector<SavedSetting> live = plateau_settings(plateau.options());
        if (!same_settings(live, p.settings)) {
          same = false;
          report.problems.push_back(named + ": saved ReduceOnPlateau settings differ: " +
                                    setting_differences(p.settings, live));
          return;
        }
        ReduceOnPlateauState state;
        state.best = p.best;
        state.num_bad_epochs = p.num_bad_epochs;
        state.cooldown_counter = p.cooldown_counter;
        state.reductions = p.reductions;
        state.last_epoch = p.last_epoch;
        try {
          plateau.set_state(state);
        } catch (const std::invalid_argument& e) {
          throw CheckpointError(who + ": invalid saved schedule state: " + e.what());
        }
      };
      for_each_plateau(staged.schedule, restore);
      if (!same) return;
      if (k != s.plateaus.size()) {
        report.problems.push_back(
            named + ": the saved schedule has " + std::to_string(s.plateaus.size()) +
            " ReduceOnPlateau stages, the optimizer's has " + std::to_string(k));
        return;
      }
    }
    // The pure part of the schedule: the saved rates against the staged schedule's (for a
    // composed schedule, with its ReduceOnPlateau states restored).
    for (const std::pair<std::int64_t, double>& sample : s.samples) {
      if (sample.first < 0) throw CheckpointError(who + ": negative schedule sample step");
      const double live = staged.schedule.lr(1.0, sample.first);
      if (!same_rate(live, sample.second)) {
        report.problems.push_back(named + ": saved schedule differs: at step " +
                                  std::to_string(sample.first) + " it gives " +
                                  format_value(sample.second) + " x lr, the optimizer's " +
                                  format_value(live) + " x lr");
        return;
      }
    }
    staged.restore_schedule = contains_plateau<Schedule>::value;
  }

  static const char* schedule_record_name(ScheduleRecord kind) {
    switch (kind) {
      case ScheduleRecord::samples:
        return "a function of the step";
      case ScheduleRecord::reduce_on_plateau:
        return "ReduceOnPlateau";
      case ScheduleRecord::nested_plateaus:
        return "a composition holding ReduceOnPlateau";
    }
    return "unknown";
  }
};

}  // namespace detail
}  // namespace descent
