// libFuzzer target: checkpoint bytes loaded into live optimizers (float and double, Adam with
// AMSGrad and an EMA, Momentum under ReduceOnPlateau, a generator), strict and partial.
// Asserts the all-or-nothing guarantee: a load that throws CheckpointError leaves every
// parameter, state array, counter and generator bitwise as it was (to_bytes() before and after
// are equal); any other exception escapes and aborts, which libFuzzer reports as a crash.
// Each input is loaded as it is (the envelope's checks) and "repaired" (payload length and
// CRC-32 recomputed), so that mutations reach the payload parser behind the checksum.
// Build and run: scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <descent/descent.hpp>

#include "fixture.hpp"

namespace {

// The bytes with the length field and the CRC made consistent (when there is an envelope).
std::string repaired(std::string bytes) {
  using descent::detail::kCheckpointHeaderSize;
  using descent::detail::kCheckpointTrailerSize;
  if (bytes.size() < kCheckpointHeaderSize + kCheckpointTrailerSize) return bytes;
  const std::uint64_t length = bytes.size() - kCheckpointHeaderSize - kCheckpointTrailerSize;
  for (int i = 0; i < 8; ++i) bytes[std::size_t(12 + i)] = char((length >> (8 * i)) & 0xFFu);
  const std::size_t end = bytes.size() - kCheckpointTrailerSize;
  const std::uint32_t crc =
      descent::detail::crc32(reinterpret_cast<const unsigned char*>(bytes.data()), end);
  for (int i = 0; i < 4; ++i) bytes[end + std::size_t(i)] = char((crc >> (8 * i)) & 0xFFu);
  return bytes;
}

// Loads `bytes` into `checkpoint`; on CheckpointError nothing may have changed. After a
// successful load the objects must still save (the loaded state is usable).
void load(descent::Checkpoint& checkpoint, const std::string& bytes, descent::LoadMode mode) {
  const std::string before = checkpoint.to_bytes();
  try {
    checkpoint.from_bytes(bytes, mode);
  } catch (const descent::CheckpointError&) {
    if (checkpoint.to_bytes() != before) std::abort();  // a failed load changed something
    return;
  }
  (void)checkpoint.to_bytes();
}

// Every configuration in both modes; the optimizers then take one step on the loaded state.
void load_everywhere(const std::string& bytes) {
  for (descent::LoadMode mode : {descent::LoadMode::strict, descent::LoadMode::partial}) {
    {
      fuzz::Live live;
      live.train(1);
      descent::Checkpoint checkpoint = live.all();
      load(checkpoint, bytes, mode);
      live.train(1);
    }
    {
      fuzz::Live live;
      descent::Checkpoint checkpoint = fuzz::single(live.adam);
      load(checkpoint, bytes, mode);
      live.train(1);
    }
    {
      fuzz::Live live;
      descent::Checkpoint checkpoint = fuzz::single(live.momentum);
      load(checkpoint, bytes, mode);
      live.train(1);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string fixed = repaired(bytes);
  if (fixed != bytes) {
    // The envelope's checks do not depend on the live objects: one configuration suffices.
    fuzz::Live live;
    descent::Checkpoint checkpoint = live.all();
    load(checkpoint, bytes, descent::LoadMode::partial);
  }
  load_everywhere(fixed);
  return 0;
}
