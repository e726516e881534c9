#pragma once
/// CRC-32 (the IEEE 802.3 / zlib polynomial) of a byte range, the checkpoint's checksum.

#include <array>
#include <cstddef>
#include <cstdint>

namespace descent::detail {

// The reflected polynomial 0x04C11DB7; entry i is the CRC of the single byte i.
inline constexpr std::array<std::uint32_t, 256> make_crc32_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

/// CRC-32 of `size` bytes, continuing from `crc` (0 to start): crc32("123456789") = 0xCBF43926.
inline std::uint32_t crc32(const unsigned char* data, std::size_t size, std::uint32_t crc = 0) {
  static constexpr std::array<std::uint32_t, 256> table = make_crc32_table();
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

}  // namespace descent::detail
