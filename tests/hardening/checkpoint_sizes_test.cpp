// Hostile input: checkpoints whose sizes and counters claim more than the file holds, or more
// than a counter may reach. Each is built field by field (docs/checkpoint.md has the layout)
// under a valid checksum, so only the payload's checks stand between it and the loader. Each
// must fail with CheckpointError naming the field, before allocating (a 2^60-element claim
// would be 8 EiB), and change nothing.
#include <cstdint>
#include <limits>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

using Catch::Matchers::Contains;

namespace {

// One Sgd<double> record ("opt", one block "w" of 2x1 values) with every size settable.
struct Record {
  std::uint32_t optimizer_count = 1;
  std::uint32_t settings_count = 1;
  std::int64_t step_count = 1;
  std::uint64_t sample_count = 0;
  std::uint64_t block_count = 1;
  std::int64_t rows = 2, cols = 1, block_steps = 1;
  std::uint64_t value_count = 2;
  std::uint32_t state_arrays = 0;
  std::uint32_t generator_count = 0;

  std::string bytes() const {
    descent::detail::ByteWriter out;
    out.u32(optimizer_count);
    out.string("opt");
    out.string("Sgd");
    out.string("double");
    out.u32(settings_count);
    out.string("lr");
    out.f64(0.5);
    out.i64(step_count);
    out.i64(0);  // skipped steps
    out.u8(0);   // schedule: samples
    out.u64(sample_count);
    out.u32(0);  // policies
    out.u64(block_count);
    out.string("w");
    out.i64(rows);
    out.i64(cols);
    out.f64(1.0);  // lr_multiplier
    out.u8(1);     // regularize
    out.i64(block_steps);
    out.u64(value_count);
    out.f64(7.0);
    out.f64(8.0);
    out.u32(state_arrays);
    out.u8(0);  // no average
    out.u32(generator_count);
    return descent::detail::seal_checkpoint(out.bytes());
  }
};

struct Live {
  Eigen::Vector2d w{1.0, 2.0}, g{0.5, 0.5};
  descent::Sgd<double> opt{descent::SgdOptions(0.5)};
  descent::Checkpoint checkpoint;
  Live() {
    opt.add("w", w, g);
    opt.step();
    checkpoint.add("opt", opt);
  }
  // Loads `record`: must throw CheckpointError and change nothing; returns the message.
  std::string fails(const Record& record) {
    const std::string before = checkpoint.to_bytes();
    std::string message;
    try {
      checkpoint.from_bytes(record.bytes(), descent::LoadMode::partial);
    } catch (const descent::CheckpointError& e) {
      message = e.what();
    }
    CHECK(checkpoint.to_bytes() == before);
    return message;
  }
};

constexpr std::uint64_t k2to60 = std::uint64_t(1) << 60;

}  // namespace

TEST_CASE("The hand-built record loads (the tests below change one field each)", "[hardening]") {
  Live live;
  CHECK(live.checkpoint.from_bytes(Record().bytes()).complete());
  CHECK(live.w == Eigen::Vector2d(7.0, 8.0));
}

TEST_CASE("Counts claiming 2^60 elements fail before allocating", "[hardening]") {
  Live live;
  Record r;
  r.value_count = k2to60;
  CHECK_THAT(live.fails(r),
             Contains("block values claims 1152921504606846976 elements of 8 bytes, but only"));
  r = Record();
  r.block_count = k2to60;
  CHECK_THAT(live.fails(r), Contains("block count claims 1152921504606846976 elements"));
  r = Record();
  r.sample_count = k2to60;
  CHECK_THAT(live.fails(r), Contains("schedule samples claims 1152921504606846976 elements of 16"));
  r = Record();
  r.block_count = std::numeric_limits<std::uint64_t>::max();
  CHECK_THAT(live.fails(r), Contains("block count claims 18446744073709551615 elements"));
}

TEST_CASE("32-bit counts of 2^32 - 1 records fail at the first record that is not there",
          "[hardening]") {
  // The reader takes the bytes after the last real record as the next one, and fails there.
  Live live;
  Record r;
  r.settings_count = 0xFFFFFFFFu;
  CHECK_THAT(live.fails(r), Contains("setting name claims"));
  r = Record();
  r.state_arrays = 0xFFFFFFFFu;
  CHECK_THAT(live.fails(r), Contains("truncated: state array name needs 8 bytes, only 5 left"));
  r = Record();
  r.optimizer_count = 0xFFFFFFFFu;
  CHECK_THAT(live.fails(r), Contains("truncated: optimizer name needs 8 bytes, only 4 left"));
  r = Record();
  r.generator_count = 0xFFFFFFFFu;
  CHECK_THAT(live.fails(r), Contains("truncated: generator name needs 8 bytes, only 0 left"));
}

TEST_CASE("Shapes whose product overflows, or that are negative, are refused", "[hardening]") {
  Live live;
  Record r;
  r.rows = std::int64_t(1) << 62;
  r.cols = 4;  // rows * cols = 2^64 wraps to 0 in 64 bits: compared by division instead
  r.value_count = 0;
  CHECK_THAT(live.fails(r), Contains("block \"w\": shape 4611686018427387904x4 does not match"));
  r = Record();
  r.rows = -2;
  CHECK_THAT(live.fails(r), Contains("block \"w\": negative shape"));
}

TEST_CASE("Step counters beyond 2^62 are refused, so counting on cannot overflow", "[hardening]") {
  // INT64_MAX steps would overflow at the next step() (and at the schedule sample of step + 1
  // when the optimizer is saved again).
  Live live;
  Record r;
  r.step_count = std::numeric_limits<std::int64_t>::max();
  CHECK_THAT(live.fails(r), Contains("step count 9223372036854775807 is out of range [0, 2^62]"));
  r = Record();
  r.block_steps = std::numeric_limits<std::int64_t>::max();
  CHECK_THAT(live.fails(r), Contains("block steps 9223372036854775807 is out of range"));
  r = Record();
  r.step_count = -1;
  CHECK_THAT(live.fails(r), Contains("step count -1 is out of range"));
  r = Record();
  r.step_count = std::int64_t(1) << 62;  // the largest accepted: loads, steps and saves again
  r.block_steps = std::int64_t(1) << 62;
  CHECK(live.checkpoint.from_bytes(r.bytes()).complete());
  live.opt.step();
  CHECK(live.opt.step_count() == (std::int64_t(1) << 62) + 1);
  CHECK_FALSE(live.checkpoint.to_bytes().empty());
}
