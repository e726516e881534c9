// Rng: the raw stream is the standard's mt19937_64, the derived draws and the shuffle are ours
// and pinned, and the state round-trips exactly.
#include <catch2/catch.hpp>
#include <descent/random/rng.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

TEST_CASE("Rng's raw stream is std::mt19937_64's, whose 10000th output the standard fixes",
          "[random]") {
  descent::Rng rng;  // seed 5489, the standard's default
  std::uint64_t value = 0;
  for (int i = 0; i < 10000; ++i) value = rng.next();
  CHECK(value == 9981545732273789042ull);  // [rand.predef]
  descent::Rng seeded(7);
  std::mt19937_64 engine(7);
  for (int i = 0; i < 5; ++i) CHECK(seeded() == engine());
}

TEST_CASE("Rng's shuffle of 0..9 for seed 42 is pinned", "[random]") {
  std::array<int, 10> a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  descent::Rng rng(42);
  rng.shuffle(a.begin(), a.end());
  // Cross-checked with an independent Python implementation of mt19937_64 (from the standard's
  // definition of the engine) and of this shuffle.
  const std::array<int, 10> expected = {1, 7, 9, 0, 3, 8, 4, 2, 5, 6};
  CHECK(a == expected);
}

TEST_CASE("Rng's shuffle is Fisher-Yates over uniform_int(i + 1), i = n-1 .. 1", "[random]") {
  std::vector<int> a = {0, 1, 2, 3, 4, 5, 6, 7};
  descent::Rng rng(3), twin(3);
  rng.shuffle(a.begin(), a.end());
  std::vector<int> b = {0, 1, 2, 3, 4, 5, 6, 7};
  for (std::size_t i = b.size() - 1; i > 0; --i) std::swap(b[i], b[twin.uniform_int(i + 1)]);
  CHECK(a == b);
}

TEST_CASE("Rng's uniform_int rejects the biased low draws and reduces the rest mod n", "[random]") {
  descent::Rng rng(11), twin(11);
  const std::uint64_t n = 6;
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod 6 = 4
  CHECK(threshold == 4u);
  for (int i = 0; i < 1000; ++i) {
    std::uint64_t r = twin.next();
    while (r < threshold) r = twin.next();
    REQUIRE(rng.uniform_int(n) == r % n);
  }
  CHECK(rng.uniform_int(1) == 0u);
  CHECK_THROWS_WITH(rng.uniform_int(0), "Rng: uniform_int bound must be >= 1, got 0");
}

TEST_CASE("Rng's uniform reals are the top bits of one draw", "[random]") {
  descent::Rng rng(9), twin(9);
  for (int i = 0; i < 100; ++i) {
    const double u = rng.uniform();
    REQUIRE(u == double(twin.next() >> 11) / 9007199254740992.0);  // 2^53
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const float f = rng.uniform_float();
    REQUIRE(f == float(twin.next() >> 40) / 16777216.0f);  // 2^24
    REQUIRE(f < 1.0f);
  }
}

TEST_CASE("Rng's normal draws have mean 0 and variance 1", "[random]") {
  descent::Rng rng(5);
  const int n = 200000;
  double sum = 0.0, squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z;
    squares += z * z;
  }
  const double mean = sum / n, variance = squares / n - mean * mean;
  CHECK(std::abs(mean) < 0.01);  // standard error 1/sqrt(2e5) = 0.0022
  CHECK(std::abs(variance - 1.0) < 0.01);
  CHECK(descent::Rng(5).normal(3.0, 2.0) == 3.0 + 2.0 * descent::Rng(5).normal());
}

TEST_CASE("Rng's state() and set_state() restore the exact stream, spare normal included",
          "[random]") {
  descent::Rng rng(123);
  for (int i = 0; i < 700; ++i) rng.next();  // past one mt19937_64 state refill (312 words)
  rng.normal();                              // leaves a spare normal
  const std::string saved = rng.state();
  std::vector<double> first;
  for (int i = 0; i < 5; ++i) first.push_back(rng.normal());
  first.push_back(double(rng.uniform_int(1000)));
  descent::Rng other(1);
  other.set_state(saved);
  CHECK(other.state() == saved);
  std::vector<double> second;
  for (int i = 0; i < 5; ++i) second.push_back(other.normal());
  second.push_back(double(other.uniform_int(1000)));
  CHECK(first == second);
  CHECK(rng == other);
}

TEST_CASE("Rng's set_state rejects text that is not a state and keeps its own", "[random]") {
  descent::Rng rng(8);
  const std::string before = rng.state();
  CHECK_THROWS_WITH(rng.set_state("not a state"),
                    "Rng: set_state: the text is not a generator state");
  CHECK_THROWS_AS(rng.set_state(before + " 7"), std::invalid_argument);
  CHECK(rng.state() == before);
}
