#pragma once
/// Checkpoint: saves and restores optimizers (their complete state and the parameters they
/// update) and random generators, by name, atomically and all-or-nothing.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "descent/checkpoint/access.hpp"
#include "descent/checkpoint/atomic_file.hpp"
#include "descent/checkpoint/byte_io.hpp"
#include "descent/checkpoint/error.hpp"
#include "descent/checkpoint/file_format.hpp"
#include "descent/random/rng.hpp"

namespace descent {

/// strict: any difference between the checkpoint and the live objects throws CheckpointError
/// and loads nothing. partial: what matches is loaded, the rest is listed in the report (a
/// different rule, scalar type or structural setting still throws).
enum class LoadMode { strict, partial };

/// A set of named optimizers and random generators, saved and loaded together. It keeps
/// references: the registered objects must outlive it.
///
///   descent::Checkpoint checkpoint;
///   checkpoint.add("model", opt).add_rng("dropout", layer.dropout().rng());
///   checkpoint.save("run.ckpt");                      // atomic
///   checkpoint.load("run.ckpt");                      // strict, all-or-nothing
///
/// An optimizer's record holds its rule and settings, scalar type, step and skipped-step
/// counters, schedule (ReduceOnPlateau's state; other schedules are checked), policies
/// (checked), and per block: name, shape, options, values, every state array, update count and
/// average. Loading restores the rule's settings too (set_lr after loading to change them).
class Checkpoint {
 public:
  /// Includes `optimizer` (an Optimizer<...>) under `name`, with the parameters it updates.
  template <class Opt>
  Checkpoint& add(const std::string& name, Opt& optimizer) {
    require_new_name(name, "optimizer");
    Part part;
    part.name = name;
    part.save = [&optimizer, name](detail::ByteWriter& out) {
      if (detail::CheckpointAccess::averages_swapped(optimizer)) {
        throw std::logic_error("checkpoint: optimizer \"" + name +
                               "\" has its averages swapped in; call swap_averages() again first");
      }
      detail::CheckpointAccess::save(out, optimizer, name);
    };
    part.stage = [&optimizer, name](const detail::SavedOptimizer& saved, const std::string& context,
                                    CheckpointReport& report) {
      if (detail::CheckpointAccess::averages_swapped(optimizer)) {
        throw std::logic_error("checkpoint: optimizer \"" + name +
                               "\" has its averages swapped in; call swap_averages() again first");
      }
      return detail::CheckpointAccess::stage(optimizer, saved, context, report);
    };
    parts_.push_back(std::move(part));
    return *this;
  }

  /// Includes the state of `rng` (e.g. Dropout::rng(), SGD::rng()) under `name`.
  Checkpoint& add_rng(const std::string& name, Rng& rng) {
    require_new_name(name, "generator");
    rngs_.emplace_back(name, &rng);
    return *this;
  }

  /// The checkpoint as bytes (what save() writes).
  std::string to_bytes() const {
    detail::ByteWriter out;
    out.u32(std::uint32_t(parts_.size()));
    for (const Part& part : parts_) part.save(out);
    out.u32(std::uint32_t(rngs_.size()));
    for (const auto& rng : rngs_) {
      out.string(rng.first);
      out.string(rng.second->state());
    }
    return detail::seal_checkpoint(out.bytes());
  }

  /// Writes the checkpoint to `path` atomically (temporary file, fsync, rename): an interrupted
  /// save leaves the previous file intact. Throws CheckpointError on I/O errors.
  void save(const std::string& path) const { detail::write_file_atomically(path, to_bytes()); }

  /// Loads `path` into the registered objects. Everything is parsed and checked before anything
  /// changes: on CheckpointError the optimizers, parameters and generators are untouched.
  CheckpointReport load(const std::string& path, LoadMode mode = LoadMode::strict) {
    return from_bytes(detail::read_whole_file(path), mode, "checkpoint \"" + path + "\"");
  }

  /// Loads checkpoint bytes (from to_bytes()); `context` starts every error message.
  CheckpointReport from_bytes(const std::string& bytes, LoadMode mode = LoadMode::strict,
                              const std::string& context = "checkpoint") {
    const detail::SavedCheckpoint saved = detail::parse_checkpoint(bytes, context);
    CheckpointReport report;
    std::vector<std::function<void()>> commits;
    for (const Part& part : parts_) {
      const detail::SavedOptimizer* found = nullptr;
      for (const detail::SavedOptimizer& s : saved.optimizers) {
        if (s.name == part.name) found = &s;
      }
      if (found == nullptr) {
        report.problems.push_back("optimizer \"" + part.name + "\": not in the checkpoint");
      } else {
        commits.push_back(part.stage(*found, context, report));
      }
    }
    for (const detail::SavedOptimizer& s : saved.optimizers) {
      if (!has_part(s.name)) {
        report.problems.push_back("optimizer \"" + s.name +
                                  "\": in the checkpoint, not added to this Checkpoint");
      }
    }
    std::vector<std::pair<Rng*, Rng>> rngs;
    for (const auto& rng : rngs_) {
      const detail::SavedRng* found = nullptr;
      for (const detail::SavedRng& s : saved.rngs) {
        if (s.name == rng.first) found = &s;
      }
      if (found == nullptr) {
        report.problems.push_back("generator \"" + rng.first + "\": not in the checkpoint");
        continue;
      }
      Rng staged;
      try {
        staged.set_state(found->state);
      } catch (const std::invalid_argument&) {
        throw CheckpointError(context + ": generator \"" + rng.first +
                              "\": the saved state is not a generator state");
      }
      rngs.emplace_back(rng.second, staged);
    }
    for (const detail::SavedRng& s : saved.rngs) {
      bool live = false;
      for (const auto& rng : rngs_) live = live || rng.first == s.name;
      if (!live) {
        report.problems.push_back("generator \"" + s.name +
                                  "\": in the checkpoint, not added to this Checkpoint");
      }
    }
    if (mode == LoadMode::strict && !report.problems.empty()) {
      std::string message = context + ": does not match";
      for (const std::string& problem : report.problems) message += "\n  " + problem;
      throw CheckpointError(message);
    }
    // Commit: assignments and swaps of staged values, none of which can throw.
    for (const std::function<void()>& commit : commits) commit();
    for (std::pair<Rng*, Rng>& rng : rngs) *rng.first = rng.second;
    return report;
  }

 private:
  struct Part {
    std::string name;
    std::function<void(detail::ByteWriter&)> save;
    std::function<std::function<void()>(const detail::SavedOptimizer&, const std::string&,
                                        CheckpointReport&)>
        stage;
  };

  bool has_part(const std::string& name) const {
    for (const Part& part : parts_) {
      if (part.name == name) return true;
    }
    return false;
  }
  void require_new_name(const std::string& name, const char* what) const {
    bool used = has_part(name);
    for (const auto& rng : rngs_) used = used || rng.first == name;
    if (name.empty() || used) {
      throw std::invalid_argument(std::string("checkpoint: ") + what + " name \"" + name +
                                  "\" is empty or already used");
    }
  }

  std::vector<Part> parts_;
  std::vector<std::pair<std::string, Rng*>> rngs_;
};

/// Saves one optimizer (and its parameters) to `path` atomically, under the name "optimizer".
template <class Opt>
void save_checkpoint(const std::string& path, Opt& optimizer) {
  Checkpoint().add("optimizer", optimizer).save(path);
}

/// Loads a checkpoint written by save_checkpoint into `optimizer`; see Checkpoint::load.
template <class Opt>
CheckpointReport load_checkpoint(const std::string& path, Opt& optimizer,
                                 LoadMode mode = LoadMode::strict) {
  Checkpoint checkpoint;
  checkpoint.add("optimizer", optimizer);
  return checkpoint.load(path, mode);
}

}  // namespace descent
