#pragma once
/// ByteWriter / ByteReader: little-endian fixed-width fields, whatever the platform's endianness
/// and sizeof(long); the reader checks every read and every size field against the bytes left.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "descent/checkpoint/error.hpp"

namespace descent::detail {

/// Appends fields to a byte string: integers little-endian, reals as their IEEE-754 bits,
/// strings and arrays as a u64 count followed by the elements.
class ByteWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(char(value)); }
  void u32(std::uint32_t value) { put(value, 4); }
  void u64(std::uint64_t value) { put(value, 8); }
  void i64(std::int64_t value) { put(std::uint64_t(value), 8); }
  void f64(double value) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    u64(bits);
  }
  void string(const std::string& text) {
    u64(text.size());
    bytes_ += text;
  }
  /// A u64 count, then the elements' bits (4 bytes per float, 8 per double).
  template <class Derived>
  void array(const Eigen::DenseBase<Derived>& values) {
    using Scalar = typename Derived::Scalar;
    static_assert(std::is_same<Scalar, float>::value || std::is_same<Scalar, double>::value,
                  "descent: checkpoints store float or double arrays");
    u64(std::uint64_t(values.size()));
    bytes_.reserve(bytes_.size() + std::size_t(values.size()) * sizeof(Scalar));
    for (Eigen::Index i = 0; i < values.size(); ++i) scalar(values.derived().coeff(i));
  }
  void scalar(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    u32(bits);
  }
  void scalar(double value) { f64(value); }

  const std::string& bytes() const { return bytes_; }
  std::string& bytes() { return bytes_; }

 private:
  void put(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes_.push_back(char((value >> (8 * i)) & 0xFFu));
  }

  std::string bytes_;
};

/// Reads what ByteWriter wrote from a byte range it does not own. Every read checks the bytes
/// left first, and every count is checked against them before anything is allocated, so a
/// truncated or hostile input raises CheckpointError("<context>: ...") and never over-reads or
/// over-allocates.
class ByteReader {
 public:
  ByteReader(const unsigned char* data, std::size_t size, std::string context)
      : data_(data), size_(size), context_(std::move(context)) {}

  std::size_t remaining() const { return size_ - pos_; }
  std::size_t position() const { return pos_; }

  std::uint8_t u8(const char* what) { return std::uint8_t(get(1, what)); }
  std::uint32_t u32(const char* what) { return std::uint32_t(get(4, what)); }
  std::uint64_t u64(const char* what) { return get(8, what); }
  std::int64_t i64(const char* what) {
    const std::uint64_t bits = get(8, what);
    std::int64_t value = 0;
    std::memcpy(&value, &bits, sizeof value);  // two's complement, as every target stores it
    return value;
  }
  double f64(const char* what) {
    const std::uint64_t bits = get(8, what);
    double value = 0.0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
  bool flag(const char* what) {
    const std::uint8_t value = u8(what);
    if (value > 1) fail(std::string(what) + " is " + std::to_string(value) + ", not 0 or 1");
    return value == 1;
  }

  /// A u64 count of elements of at least `element_size` bytes each, checked against the bytes
  /// left: a count the rest of the input cannot hold is an error, before any allocation.
  std::size_t count(std::size_t element_size, const char* what) {
    const std::uint64_t n = u64(what);
    if (n > remaining() / element_size) {
      fail(std::string(what) + " claims " + std::to_string(n) + " elements of " +
           std::to_string(element_size) + " bytes, but only " + std::to_string(remaining()) +
           " bytes are left");
    }
    return std::size_t(n);
  }

  std::string string(const char* what) {
    const std::size_t n = count(1, what);
    std::string text(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return text;
  }

  /// The raw bytes of an array of `width`-byte elements: returns its element count and
  /// advances past it; `bytes` receives the bytes (decoded later, when the type is known).
  std::size_t array_bytes(std::size_t width, const char* what, std::string& bytes) {
    const std::size_t n = count(width, what);
    bytes.assign(reinterpret_cast<const char*>(data_ + pos_), n * width);
    pos_ += n * width;
    return n;
  }

  [[noreturn]] void fail(const std::string& reason) const {
    throw CheckpointError(context_ + ": " + reason + " (at byte " + std::to_string(pos_) + ")");
  }

 private:
  std::uint64_t get(std::size_t width, const char* what) {
    if (remaining() < width) {
      fail(std::string("truncated: ") + what + " needs " + std::to_string(width) + " bytes, only " +
           std::to_string(remaining()) + " left");
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t(data_[pos_ + i]) << (8 * i);
    pos_ += width;
    return value;
  }

  const unsigned char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string context_;
};

/// Decodes `n` little-endian IEEE-754 elements of `Scalar` from `bytes` into `out` (resized).
template <class Scalar>
void decode_array(const std::string& bytes, Eigen::Array<Scalar, Eigen::Dynamic, 1>& out) {
  constexpr std::size_t width = sizeof(Scalar);
  using Bits = std::conditional_t<width == 4, std::uint32_t, std::uint64_t>;
  const Eigen::Index n = Eigen::Index(bytes.size() / width);
  out.resize(n);
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  for (Eigen::Index i = 0; i < n; ++i) {
    Bits bits = 0;
    for (std::size_t k = 0; k < width; ++k) {
      bits = Bits(bits | Bits(Bits(data[std::size_t(i) * width + k]) << (8 * k)));
    }
    Scalar value;
    std::memcpy(&value, &bits, sizeof value);
    out[i] = value;
  }
}

}  // namespace descent::detail
