#pragma once
/// The checkpoint file: envelope (magic, version, length, CRC-32) and the payload's records,
/// parsed into plain structures with every size and field checked. docs/checkpoint.md has the
/// layout table.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "descent/checkpoint/byte_io.hpp"
#include "descent/checkpoint/checksum.hpp"
#include "descent/checkpoint/error.hpp"

namespace descent::detail {

/// First bytes of every checkpoint: 0x89 then "DESCENT" (the high byte catches 7-bit transfers).
inline constexpr unsigned char kCheckpointMagic[8] = {0x89, 'D', 'E', 'S', 'C', 'E', 'N', 'T'};
/// The format version this build writes and reads.
inline constexpr std::uint32_t kCheckpointVersion = 1;
/// magic (8) + version (4) + payload length (8).
inline constexpr std::size_t kCheckpointHeaderSize = 20;
/// The CRC-32 after the payload.
inline constexpr std::size_t kCheckpointTrailerSize = 4;

/// How a schedule is recorded.
enum class ScheduleRecord : std::uint8_t {
  samples = 0,            ///< a pure function of t: lr(1, t) at a few t, to detect a mismatch
  reduce_on_plateau = 1,  ///< ReduceOnPlateau: its settings and its state
  nested_plateaus = 2,    ///< a composed schedule holding ReduceOnPlateau stages: each stage's
                          ///< settings and state, then samples as for `samples`
};

struct SavedSetting {
  std::string name;
  double value = 0.0;
};
struct SavedArray {
  std::string name;
  std::size_t size = 0;
  std::string bytes;  ///< size * element width bytes, little-endian IEEE-754
};
struct SavedBlock {
  std::string name;
  std::int64_t rows = 0, cols = 0;
  double lr_multiplier = 1.0;
  bool regularize = true;
  std::int64_t steps = 0;
  SavedArray values;
  std::vector<SavedArray> state;
  bool has_average = false;
  std::int64_t average_count = 0;
  SavedArray average;
};
struct SavedPolicy {
  std::string name;
  std::vector<SavedSetting> settings;
};
struct SavedPlateau {
  std::vector<SavedSetting> settings;
  double best = 0.0;
  std::int64_t num_bad_epochs = 0, cooldown_counter = 0, reductions = 0, last_epoch = 0;
};
struct SavedSchedule {
  ScheduleRecord kind = ScheduleRecord::samples;
  std::vector<std::pair<std::int64_t, double>> samples;  ///< (t, lr(1, t)): samples, nested
  std::vector<SavedPlateau> plateaus;  ///< reduce_on_plateau: one; nested_plateaus: each stage
};
struct SavedOptimizer {
  std::string name;
  std::string rule;
  std::string scalar;  ///< "float" or "double"
  std::vector<SavedSetting> settings;
  std::int64_t step_count = 0, skipped_steps = 0;
  SavedSchedule schedule;
  std::vector<SavedPolicy> policies;
  std::vector<SavedBlock> blocks;
};
struct SavedRng {
  std::string name;
  std::string state;  ///< Rng::state() text
};
struct SavedCheckpoint {
  std::vector<SavedOptimizer> optimizers;
  std::vector<SavedRng> rngs;
};

/// "float" / "double".
template <class Scalar>
constexpr const char* scalar_name() {
  return sizeof(Scalar) == 4 ? "float" : "double";
}

inline void write_settings(ByteWriter& out, const std::vector<SavedSetting>& settings) {
  out.u32(std::uint32_t(settings.size()));
  for (const SavedSetting& s : settings) {
    out.string(s.name);
    out.f64(s.value);
  }
}

/// Wraps a payload in the envelope: magic, version, length, payload, CRC-32 of all before it.
inline std::string seal_checkpoint(const std::string& payload,
                                   std::uint32_t version = kCheckpointVersion) {
  ByteWriter out;
  for (unsigned char c : kCheckpointMagic) out.u8(c);
  out.u32(version);
  out.u64(payload.size());
  out.bytes() += payload;
  const auto* data = reinterpret_cast<const unsigned char*>(out.bytes().data());
  out.u32(crc32(data, out.bytes().size()));
  return std::move(out.bytes());
}

/// Checks the envelope of `bytes` and returns the payload's offset and length; throws
/// CheckpointError naming the reason (wrong magic, version, truncated, trailing bytes, checksum).
inline std::pair<std::size_t, std::size_t> open_checkpoint(const std::string& bytes,
                                                           const std::string& context) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  const std::size_t magic_seen = size < 8 ? size : 8;
  for (std::size_t i = 0; i < magic_seen; ++i) {
    if (data[i] != kCheckpointMagic[i]) {
      throw CheckpointError(context + ": not a descent checkpoint (wrong magic bytes)");
    }
  }
  if (size < kCheckpointHeaderSize + kCheckpointTrailerSize) {
    throw CheckpointError(context + ": truncated: " + std::to_string(size) +
                          " bytes, a checkpoint has at least " +
                          std::to_string(kCheckpointHeaderSize + kCheckpointTrailerSize));
  }
  ByteReader header(data + 8, 12, context);
  const std::uint32_t version = header.u32("format version");
  if (version != kCheckpointVersion) {
    throw CheckpointError(context + ": unsupported format version " + std::to_string(version) +
                          " (this build reads version " + std::to_string(kCheckpointVersion) + ")");
  }
  const std::uint64_t length = header.u64("payload length");
  const std::size_t available = size - kCheckpointHeaderSize - kCheckpointTrailerSize;
  if (length > available) {
    throw CheckpointError(context + ": truncated: the payload is " + std::to_string(length) +
                          " bytes, the file holds " + std::to_string(available));
  }
  if (length < available) {
    throw CheckpointError(context + ": " + std::to_string(available - length) +
                          " unexpected bytes after the payload");
  }
  const std::size_t end = kCheckpointHeaderSize + std::size_t(length);
  ByteReader trailer(data + end, kCheckpointTrailerSize, context);
  const std::uint32_t stored = trailer.u32("checksum");
  if (crc32(data, end) != stored) {
    throw CheckpointError(context + ": checksum mismatch: the file is corrupted");
  }
  return {kCheckpointHeaderSize, std::size_t(length)};
}

/// The largest step or report counter a checkpoint may hold: 2^62, so that counting on from a
/// loaded counter (and the schedule samples at step + 1) can never overflow an int64.
inline constexpr std::int64_t kMaxSavedCounter = std::int64_t(1) << 62;

/// A step or report counter: an i64 in [0, 2^62].
inline std::int64_t read_counter(ByteReader& in, const char* what) {
  const std::int64_t value = in.i64(what);
  if (value < 0 || value > kMaxSavedCounter) {
    in.fail(std::string(what) + " " + std::to_string(value) + " is out of range [0, 2^62]");
  }
  return value;
}

inline std::vector<SavedSetting> read_settings(ByteReader& in) {
  std::vector<SavedSetting> settings;
  const std::uint32_t n = in.u32("settings count");
  for (std::uint32_t i = 0; i < n; ++i) {
    SavedSetting s;
    s.name = in.string("setting name");
    s.value = in.f64("setting value");
    settings.push_back(std::move(s));
  }
  return settings;
}

inline std::size_t scalar_width(const ByteReader& in, const std::string& scalar) {
  if (scalar == "float") return 4;
  if (scalar == "double") return 8;
  in.fail("unknown scalar type \"" + scalar + "\"");
}

inline SavedArray read_array(ByteReader& in, std::size_t width, const char* what) {
  SavedArray array;
  array.size = in.array_bytes(width, what, array.bytes);
  return array;
}

inline SavedPlateau read_plateau(ByteReader& in) {
  SavedPlateau plateau;
  plateau.settings = read_settings(in);
  plateau.best = in.f64("plateau best");
  plateau.num_bad_epochs = read_counter(in, "plateau num_bad_epochs");
  plateau.cooldown_counter = read_counter(in, "plateau cooldown_counter");
  plateau.reductions = read_counter(in, "plateau reductions");
  plateau.last_epoch = read_counter(in, "plateau last_epoch");
  return plateau;
}

inline void read_schedule_samples(ByteReader& in, SavedSchedule& schedule) {
  const std::size_t n = in.count(16, "schedule samples");
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t t = in.i64("schedule sample step");
    // Samples are taken at the saved step and the next: up to 2^62 + 1.
    if (t < 0 || t > kMaxSavedCounter + 1) {
      in.fail("schedule sample step " + std::to_string(t) + " is out of range [0, 2^62 + 1]");
    }
    schedule.samples.emplace_back(t, in.f64("schedule sample rate"));
  }
}

inline SavedSchedule read_schedule(ByteReader& in) {
  SavedSchedule schedule;
  const std::uint8_t kind = in.u8("schedule kind");
  if (kind == std::uint8_t(ScheduleRecord::samples)) {
    schedule.kind = ScheduleRecord::samples;
    read_schedule_samples(in, schedule);
  } else if (kind == std::uint8_t(ScheduleRecord::reduce_on_plateau)) {
    schedule.kind = ScheduleRecord::reduce_on_plateau;
    schedule.plateaus.push_back(read_plateau(in));
  } else if (kind == std::uint8_t(ScheduleRecord::nested_plateaus)) {
    schedule.kind = ScheduleRecord::nested_plateaus;
    // A plateau record is at least 4 (settings count) + 8 + 4 x 8 bytes.
    const std::size_t n = in.count(44, "nested ReduceOnPlateau stages");
    for (std::size_t i = 0; i < n; ++i) schedule.plateaus.push_back(read_plateau(in));
    read_schedule_samples(in, schedule);
  } else {
    in.fail("unknown schedule kind " + std::to_string(kind));
  }
  return schedule;
}

inline SavedBlock read_block(ByteReader& in, std::size_t width) {
  SavedBlock block;
  block.name = in.string("block name");
  block.rows = in.i64("block rows");
  block.cols = in.i64("block cols");
  block.lr_multiplier = in.f64("block lr_multiplier");
  block.regularize = in.flag("block regularize");
  block.steps = read_counter(in, "block steps");
  if (block.rows < 0 || block.cols < 0) in.fail("block \"" + block.name + "\": negative shape");
  block.values = read_array(in, width, "block values");
  // rows * cols could overflow for hostile sizes: compare by division instead.
  const std::uint64_t rows = std::uint64_t(block.rows), cols = std::uint64_t(block.cols);
  const std::uint64_t n = block.values.size;
  if (cols == 0 ? n != 0 : (n % cols != 0 || n / cols != rows)) {
    in.fail("block \"" + block.name + "\": shape " + std::to_string(block.rows) + "x" +
            std::to_string(block.cols) + " does not match its " + std::to_string(n) + " values");
  }
  const std::uint32_t arrays = in.u32("state array count");
  for (std::uint32_t i = 0; i < arrays; ++i) {
    std::string name = in.string("state array name");
    SavedArray array = read_array(in, width, "state array");
    array.name = std::move(name);
    block.state.push_back(std::move(array));
  }
  block.has_average = in.flag("block has_average");
  if (block.has_average) {
    block.average_count = read_counter(in, "average count");
    block.average = read_array(in, width, "average");
  }
  return block;
}

inline SavedOptimizer read_optimizer(ByteReader& in) {
  SavedOptimizer opt;
  opt.name = in.string("optimizer name");
  opt.rule = in.string("rule name");
  opt.scalar = in.string("scalar type");
  const std::size_t width = scalar_width(in, opt.scalar);
  opt.settings = read_settings(in);
  opt.step_count = read_counter(in, "step count");
  opt.skipped_steps = read_counter(in, "skipped steps");
  opt.schedule = read_schedule(in);
  const std::uint32_t policies = in.u32("policy count");
  for (std::uint32_t i = 0; i < policies; ++i) {
    SavedPolicy policy;
    policy.name = in.string("policy name");
    policy.settings = read_settings(in);
    opt.policies.push_back(std::move(policy));
  }
  const std::size_t blocks = in.count(1, "block count");
  std::set<std::string> names;
  for (std::size_t i = 0; i < blocks; ++i) {
    opt.blocks.push_back(read_block(in, width));
    if (!names.insert(opt.blocks.back().name).second) {
      in.fail("block \"" + opt.blocks.back().name + "\" appears twice");
    }
  }
  return opt;
}

/// Parses a whole checkpoint (envelope and payload) into plain structures. Allocates at most
/// about the input's size; throws CheckpointError naming the reason.
inline SavedCheckpoint parse_checkpoint(const std::string& bytes, const std::string& context) {
  const std::pair<std::size_t, std::size_t> payload = open_checkpoint(bytes, context);
  ByteReader in(reinterpret_cast<const unsigned char*>(bytes.data()) + payload.first,
                payload.second, context + ": malformed payload");
  SavedCheckpoint saved;
  const std::uint32_t optimizers = in.u32("optimizer count");
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < optimizers; ++i) {
    saved.optimizers.push_back(read_optimizer(in));
    if (!names.insert(saved.optimizers.back().name).second) {
      in.fail("optimizer \"" + saved.optimizers.back().name + "\" appears twice");
    }
  }
  names.clear();
  const std::uint32_t rngs = in.u32("generator count");
  for (std::uint32_t i = 0; i < rngs; ++i) {
    SavedRng rng;
    rng.name = in.string("generator name");
    rng.state = in.string("generator state");
    if (!names.insert(rng.name).second) in.fail("generator \"" + rng.name + "\" appears twice");
    saved.rngs.push_back(std::move(rng));
  }
  if (in.remaining() != 0) {
    in.fail(std::to_string(in.remaining()) + " bytes left over after the last record");
  }
  return saved;
}

}  // namespace descent::detail
