#pragma once
/// Rng: a seeded random generator whose every output is the same on every platform and standard
/// library (shuffles, dropout masks, weight initialization, synthetic data).

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace descent {

/// A random generator with a fixed output sequence for a given seed.
///
/// The engine is std::mt19937_64, whose raw sequence the C++ standard fixes (the 10000th output
/// of a default-seeded engine is 9981545732273789042). The standard distributions and
/// std::shuffle are not used: their algorithms are unspecified and differ between standard
/// libraries. Instead, written here:
///   uniform_int(n): unbiased integer in [0, n) by rejection: draws below (2^64 - n) mod n are
///                   rejected, the rest reduced mod n (every residue then has equal weight);
///   uniform():      the top 53 bits of one draw times 2^-53, a double in [0, 1);
///   uniform_float():the top 24 bits times 2^-24, a float in [0, 1);
///   normal():       Marsaglia's polar method (Marsaglia & Bray, 1964); it yields normals in
///                   pairs and keeps the second for the next call;
///   shuffle():      Fisher-Yates (Durstenfeld): for i = n-1 .. 1, swap a[i] with
///   a[uniform_int(i+1)].
/// Integers, uniform reals and shuffles are bit-identical everywhere; normal() uses std::log and
/// std::sqrt, so it is bit-identical wherever the math library's log is (same platform).
/// state()/set_state() save and restore the exact position in the stream, spare normal included.
/// Not thread-safe: use one generator per thread.
class Rng {
 public:
  using result_type = std::uint64_t;

  /// Seeds the engine as std::mt19937_64(seed); 5489 is the standard's default seed.
  explicit Rng(std::uint64_t seed = 5489) : engine_(seed) {}

  /// The next raw 64-bit output of the engine.
  std::uint64_t next() { return engine_(); }
  std::uint64_t operator()() { return engine_(); }
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return std::numeric_limits<std::uint64_t>::max(); }

  /// An integer uniformly distributed in [0, n), unbiased; n must be >= 1.
  std::uint64_t uniform_int(std::uint64_t n) {
    if (n == 0) throw std::invalid_argument("Rng: uniform_int bound must be >= 1, got 0");
    // (2^64 - n) mod n, computed in 64-bit arithmetic: unsigned negation wraps to 2^64 - n.
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = engine_();
      if (r >= threshold) return r % n;
    }
  }

  /// A double uniformly distributed in [0, 1), on the grid k * 2^-53.
  double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
  /// A double uniformly distributed in [low, high).
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  /// A float uniformly distributed in [0, 1), on the grid k * 2^-24.
  float uniform_float() { return float(engine_() >> 40) * 0x1.0p-24f; }

  /// A standard normal draw (mean 0, variance 1).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }
  /// A normal draw with the given mean and standard deviation.
  double normal(double mean, double stddev) { return mean + stddev * normal(); }

  /// Permutes [first, last) uniformly (Fisher-Yates); random-access iterators.
  template <class RandomIt>
  void shuffle(RandomIt first, RandomIt last) {
    const auto n = last - first;
    for (auto i = n - 1; i > 0; --i) {
      const auto j = static_cast<decltype(i)>(uniform_int(static_cast<std::uint64_t>(i) + 1));
      using std::swap;
      swap(first[i], first[j]);
    }
  }

  /// The exact generator state as text: the engine's state words (the standard's stream
  /// format), then the spare-normal flag and the spare's bit pattern.
  std::string state() const {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << engine_ << ' ' << (has_spare_ ? 1 : 0) << ' ' << bits(spare_);
    return out.str();
  }

  /// Restores a state from state(); throws std::invalid_argument (and changes nothing) when
  /// `text` is not one.
  void set_state(const std::string& text) {
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    std::mt19937_64 engine;
    int has_spare = 0;
    std::uint64_t bits = 0;
    in >> engine >> has_spare >> bits;
    if (in.fail() || (has_spare != 0 && has_spare != 1) || !(in >> std::ws).eof()) {
      throw std::invalid_argument("Rng: set_state: the text is not a generator state");
    }
    double spare = 0.0;
    std::memcpy(&spare, &bits, sizeof spare);
    engine_ = engine;
    has_spare_ = has_spare == 1;
    spare_ = spare;
  }

  /// Two generators are equal when they will produce the same outputs.
  friend bool operator==(const Rng& a, const Rng& b) {
    return a.engine_ == b.engine_ && a.has_spare_ == b.has_spare_ &&
           (!a.has_spare_ || bits(a.spare_) == bits(b.spare_));
  }
  friend bool operator!=(const Rng& a, const Rng& b) { return !(a == b); }

 private:
  // The IEEE-754 bit pattern: the saved spare round-trips exactly, NaN payloads and -0 included.
  static std::uint64_t bits(double value) {
    std::uint64_t out = 0;
    static_assert(sizeof out == sizeof value, "double is 64 bits");
    std::memcpy(&out, &value, sizeof out);
    return out;
  }

  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace descent
