#pragma once
// The GAN example's configuration for the tests' short runs: small networks, one shard on one
// thread, no output files or progress display; the tests change what they examine.

#include <cstdint>
#include <string>

#include "../../examples/gan/config.hpp"

namespace descent_test {

inline gan::Config short_gan_config(const std::string& dataset, std::int64_t steps) {
  gan::Config c;
  c.dataset = dataset;
  c.steps = steps;
  c.batch = 64;
  c.hidden = 32;
  c.shards = 1;
  c.threads = 1;
  c.progress = false;
  c.files = false;
  return c;
}

}  // namespace descent_test
