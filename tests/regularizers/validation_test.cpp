// Every regularizer rejects negative, NaN and infinite settings with a message naming them.
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <descent/optimizers.hpp>
#include <descent/regularizers/regularizers.hpp>

namespace {
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double infinity = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("L1 rejects a negative, NaN or infinite lambda", "[regularizers][validation]") {
  CHECK_THROWS_AS(descent::L1(-1), std::invalid_argument);
  CHECK_THROWS_WITH(descent::L1(-1), "L1: lambda must be finite and >= 0, got -1");
  CHECK_THROWS_WITH(descent::L1(not_a_number), "L1: lambda must be finite and >= 0, got nan");
  CHECK_THROWS_WITH(descent::L1(infinity), "L1: lambda must be finite and >= 0, got inf");
  CHECK_THROWS_WITH(descent::L1(-infinity), "L1: lambda must be finite and >= 0, got -inf");
  CHECK_NOTHROW(descent::L1(0));
}

TEST_CASE("ProximalL1 rejects a negative, NaN or infinite lambda", "[regularizers][validation]") {
  CHECK_THROWS_AS(descent::ProximalL1(-0.5), std::invalid_argument);
  CHECK_THROWS_WITH(descent::ProximalL1(-0.5),
                    "ProximalL1: lambda must be finite and >= 0, got -0.5");
  CHECK_THROWS_WITH(descent::ProximalL1(not_a_number),
                    "ProximalL1: lambda must be finite and >= 0, got nan");
  CHECK_THROWS_WITH(descent::ProximalL1(infinity),
                    "ProximalL1: lambda must be finite and >= 0, got inf");
  CHECK_NOTHROW(descent::ProximalL1(0));
}

TEST_CASE("L2 rejects a negative, NaN or infinite lambda", "[regularizers][validation]") {
  CHECK_THROWS_AS(descent::L2(-1), std::invalid_argument);
  CHECK_THROWS_WITH(descent::L2(-1), "L2: lambda must be finite and >= 0, got -1");
  CHECK_THROWS_WITH(descent::L2(-1e-4), "L2: lambda must be finite and >= 0, got -0.0001");
  CHECK_THROWS_WITH(descent::L2(not_a_number), "L2: lambda must be finite and >= 0, got nan");
  CHECK_THROWS_WITH(descent::L2(infinity), "L2: lambda must be finite and >= 0, got inf");
  CHECK_NOTHROW(descent::L2(0));
}

TEST_CASE("WeightDecay rejects a negative, NaN or infinite decay", "[regularizers][validation]") {
  CHECK_THROWS_AS(descent::WeightDecay(-0.01), std::invalid_argument);
  CHECK_THROWS_WITH(descent::WeightDecay(-0.01),
                    "WeightDecay: decay must be finite and >= 0, got -0.01");
  CHECK_THROWS_WITH(descent::WeightDecay(not_a_number),
                    "WeightDecay: decay must be finite and >= 0, got nan");
  CHECK_THROWS_WITH(descent::WeightDecay(infinity),
                    "WeightDecay: decay must be finite and >= 0, got inf");
  CHECK_NOTHROW(descent::WeightDecay(0));
}

TEST_CASE("An optimizer cannot be built with an invalid regularizer",
          "[regularizers][validation]") {
  CHECK_THROWS_WITH(descent::AdamW<float>(descent::AdamOptions(1e-3), descent::Constant(),
                                          descent::WeightDecay(-2)),
                    "WeightDecay: decay must be finite and >= 0, got -2");
}
