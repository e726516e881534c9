// The fuzzer's seed corpus (tests/fuzz/corpus) stays a set of valid checkpoints of the fuzzer's
// live objects: after a format change this fails until `scripts/fuzz.sh --corpus` rewrites it,
// so the fuzzer never starts from seeds that stop at the envelope.
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <descent/descent.hpp>

#include "fuzz/fixture.hpp"

namespace {

std::string seed(const std::string& name) {
  const std::string path = std::string(DESCENT_FUZZ_CORPUS) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("The fuzzer's seed checkpoints load completely into the fuzzer's objects",
          "[checkpoint][fuzz]") {
  fuzz::Live reference;
  reference.train(3);
  {
    fuzz::Live live;
    descent::Checkpoint checkpoint = live.all();
    CHECK(checkpoint.from_bytes(seed("all_3_steps.ckpt")).complete());
    CHECK(live.w == reference.w);
    CHECK(live.u == reference.u);
    CHECK(live.rng == reference.rng);
    CHECK(live.momentum.schedule().last_epoch() == 3);
    CHECK(checkpoint.from_bytes(seed("all_0_steps.ckpt")).complete());
    CHECK(live.adam.step_count() == 0);
  }
  {
    fuzz::Live live;
    CHECK(fuzz::single(live.adam).from_bytes(seed("adam_float_amsgrad_ema.ckpt")).complete());
    CHECK(live.adam.step_count() == 3);
    CHECK(live.adam.average("adam.w").matrix() == reference.adam.average("adam.w").matrix());
    CHECK(fuzz::single(live.momentum).from_bytes(seed("momentum_double_plateau.ckpt")).complete());
    CHECK(live.momentum.schedule().state().reductions ==
          reference.momentum.schedule().state().reductions);
    CHECK_THROWS_WITH(fuzz::single(live.adam).from_bytes(seed("adam_double.ckpt")),
                      Catch::Matchers::Contains("saved scalar type double, optimizer has float"));
  }
}
