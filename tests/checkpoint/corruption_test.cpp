// Hostile and damaged files: every truncation, every flipped byte, a wrong magic or version, and
// sizes that claim more than the file holds raise CheckpointError and change nothing.
#include <cstdint>
#include <cstring>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "checkpoint/harness.hpp"

namespace {

using Catch::Matchers::Contains;
using Opt = descent::Adam<double, descent::ReduceOnPlateau, descent::Ema>;

Opt make_optimizer() {
  return Opt(descent::AdamOptions(0.05).amsgrad(true),
             descent::ReduceOnPlateau(descent::ReduceOnPlateauOptions().patience(1)),
             descent::Ema(0.9));
}

// A small checkpoint (2x2 weight and 2 biases, 3 steps, one generator) and a live optimizer,
// generator and model that differ from it in every value.
struct Fixture {
  ckpt::Model<double> saved_model{0.0, 2, 2};
  Opt saved = make_optimizer();
  descent::Rng saved_rng{11};
  std::string bytes;
  ckpt::Model<double> model{5.0, 2, 2};
  Opt live = make_optimizer();
  descent::Rng rng{12};
  descent::Checkpoint checkpoint;

  Fixture() {
    saved_model.add_to(saved);
    ckpt::train(saved, saved_model, 0, 3);
    saved_rng.normal();
    bytes = descent::Checkpoint().add("opt", saved).add_rng("rng", saved_rng).to_bytes();
    model.add_to(live);
    ckpt::train(live, model, 0, 1);
    checkpoint.add("opt", live).add_rng("rng", rng);
  }
  // Loads `damaged`: it must throw CheckpointError and leave everything as it was.
  std::string load_fails(const std::string& damaged) {
    const ckpt::Snapshot<Opt, ckpt::Model<double>> before(live, model);
    const descent::Rng rng_before = rng;
    const auto average_before = live.average("w");
    std::string message;
    try {
      checkpoint.from_bytes(damaged);
    } catch (const descent::CheckpointError& e) {
      message = e.what();
    }
    before.require_unchanged(live, model);
    REQUIRE(rng == rng_before);
    REQUIRE(live.average("w").matrix() == average_before.matrix());
    REQUIRE(live.averaged_steps("w") == 1);
    REQUIRE(live.schedule().last_epoch() == 1);
    return message;
  }
  // The payload (between the 20-byte header and the 4-byte checksum).
  std::string payload() const { return bytes.substr(20, bytes.size() - 24); }
};

std::string u64_bytes(std::uint64_t value) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(char((value >> (8 * i)) & 0xFFu));
  return out;
}
std::string f64_bytes(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return u64_bytes(bits);
}

}  // namespace

TEST_CASE("The intact fixture checkpoint loads", "[checkpoint]") {
  Fixture f;
  REQUIRE(f.checkpoint.from_bytes(f.bytes).complete());
  REQUIRE(f.model.w == f.saved_model.w);
  REQUIRE(f.rng == f.saved_rng);
  REQUIRE(f.live.schedule().last_epoch() == 3);
}

TEST_CASE("A checkpoint truncated at any length raises CheckpointError, changing nothing",
          "[checkpoint]") {
  Fixture f;
  for (std::size_t length = 0; length < f.bytes.size(); ++length) {
    INFO("length " << length);
    const std::string message = f.load_fails(f.bytes.substr(0, length));
    REQUIRE_THAT(message, Contains("truncated"));
  }
}

TEST_CASE("A flipped byte anywhere raises CheckpointError, changing nothing", "[checkpoint]") {
  Fixture f;
  for (std::size_t i = 0; i < f.bytes.size(); ++i) {
    INFO("byte " << i);
    std::string damaged = f.bytes;
    damaged[i] = char(damaged[i] ^ 0x10);
    REQUIRE_FALSE(f.load_fails(damaged).empty());
  }
  std::string damaged = f.bytes;
  damaged[100] = char(damaged[100] ^ 0x01);
  REQUIRE_THAT(f.load_fails(damaged), Contains("checksum mismatch"));
}

TEST_CASE("Wrong magic, wrong version and trailing bytes are named", "[checkpoint]") {
  Fixture f;
  std::string foreign = f.bytes;
  foreign[1] = 'X';
  REQUIRE_THAT(f.load_fails(foreign), Contains("not a descent checkpoint (wrong magic bytes)"));
  REQUIRE_THAT(f.load_fails("PK\x03\x04"), Contains("wrong magic"));
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(f.payload(), 2)),
               Contains("unsupported format version 2 (this build reads version 1)"));
  REQUIRE_THAT(f.load_fails(f.bytes + "x"), Contains("unexpected bytes after the payload"));
  // A payload with a valid checksum but a byte too many inside it.
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(f.payload() + "x")),
               Contains("left over"));
}

TEST_CASE("A size field claiming 2^60 elements raises CheckpointError before allocating",
          "[checkpoint]") {
  Fixture f;
  // The value array of block "w" (4 elements) starts with the count 4 and w(0, 0)'s bits.
  std::string payload = f.payload();
  const std::string field = u64_bytes(4) + f64_bytes(f.saved_model.w(0, 0));
  const std::size_t at = payload.find(field);
  REQUIRE(at != std::string::npos);
  payload.replace(at, 8, u64_bytes(std::uint64_t(1) << 60));
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(payload)),
               Contains("block values claims 1152921504606846976 elements of 8 bytes"));
  // The same for a string length: the rule's name "Adam".
  payload = f.payload();
  const std::size_t name_at = payload.find(u64_bytes(4) + "Adam");
  REQUIRE(name_at != std::string::npos);
  payload.replace(name_at, 8, u64_bytes(std::uint64_t(1) << 60));
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(payload)), Contains("claims"));
}

TEST_CASE("Invalid saved settings and state, under a valid checksum, are refused", "[checkpoint]") {
  Fixture f;
  const std::string lr = u64_bytes(2) + "lr" + f64_bytes(0.05);
  std::string payload = f.payload();
  const std::size_t at = payload.find(lr);
  REQUIRE(at != std::string::npos);
  payload.replace(at + 10, 8, f64_bytes(-1.0));
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(payload)),
               Contains("the saved settings are invalid") && Contains("lr must be"));

  const std::string generator = u64_bytes(3) + "rng";
  payload = f.payload();
  const std::size_t rng_at = payload.find(generator);
  REQUIRE(rng_at != std::string::npos);
  payload[rng_at + generator.size() + 8] = 'z';  // the state text's first character
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(payload)),
               Contains("generator \"rng\": the saved state is not a generator state"));
}

TEST_CASE("A state array of another size or name, under a valid checksum, is refused by name",
          "[checkpoint]") {
  // Each state array is saved as its name, its element count and its elements; the first
  // "exp_avg" is block "w"'s (4 elements).
  Fixture f;
  const std::string name = u64_bytes(7) + "exp_avg";
  const std::string sized = name + u64_bytes(4);
  std::string payload = f.payload();
  const std::size_t at = payload.find(sized);
  REQUIRE(at != std::string::npos);
  payload.replace(at + name.size(), 8, u64_bytes(3));  // 3 elements ...
  payload.erase(at + sized.size() + 3 * 8, 8);         // ... and the fourth one's bytes gone
  REQUIRE_THAT(f.load_fails(descent::detail::seal_checkpoint(payload)),
               Contains("block \"w\": state array \"exp_avg\": saved 3 elements, optimizer has 4"));

  payload = f.payload();
  payload[at + 8 + 6] = 'q';  // "exp_avg" -> "exp_avq"
  const std::string message = f.load_fails(descent::detail::seal_checkpoint(payload));
  REQUIRE_THAT(message, Contains("block \"w\": state array \"exp_avg\" is not in the checkpoint"));
  REQUIRE_THAT(message, Contains("the checkpoint has state array \"exp_avq\", Adam has none"));
}
