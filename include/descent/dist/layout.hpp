#pragma once
/// The blocks an optimizer registered (names, shapes, order, scalar type), compared across
/// ranks before anything is exchanged, so a difference is an error on every rank, not a hang.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <mpi.h>

#include "descent/dist/collective.hpp"
#include "descent/dist/environment.hpp"
#include "descent/dist/error.hpp"

namespace descent::dist::detail {

struct BlockShape {
  std::string name;
  std::int64_t rows = 0, cols = 0;
};

/// What must be equal on every rank: the scalar type, a free-form settings text (a bucket
/// size, say), and the blocks in registration order.
struct Layout {
  std::string scalar;
  std::string settings;
  std::vector<BlockShape> blocks;

  template <class Opt>
  static Layout of(const Opt& optimizer, std::string settings) {
    Layout layout;
    layout.scalar = sizeof(typename Opt::scalar_type) == 4 ? "float" : "double";
    layout.settings = std::move(settings);
    for (std::size_t k = 0; k < optimizer.num_blocks(); ++k) {
      const auto& block = optimizer.block(k);
      layout.blocks.push_back(
          {block.name(), std::int64_t(block.rows()), std::int64_t(block.cols())});
    }
    return layout;
  }

  std::string to_bytes() const {
    std::string out;
    const auto put_string = [&](const std::string& s) {
      put_int(out, std::int64_t(s.size()));
      out += s;
    };
    put_string(scalar);
    put_string(settings);
    put_int(out, std::int64_t(blocks.size()));
    for (const BlockShape& b : blocks) {
      put_string(b.name);
      put_int(out, b.rows);
      put_int(out, b.cols);
    }
    return out;
  }

  // Parses what to_bytes() wrote on another rank (same build, so the same byte order).
  static Layout from_bytes(const std::string& bytes) {
    Layout layout;
    std::size_t at = 0;
    const auto get_int = [&]() {
      std::int64_t v = 0;
      if (at + sizeof v > bytes.size()) throw std::runtime_error("descent::dist: bad layout");
      std::memcpy(&v, bytes.data() + at, sizeof v);
      at += sizeof v;
      return v;
    };
    const auto get_string = [&]() {
      const std::int64_t n = get_int();
      if (n < 0 || std::size_t(n) > bytes.size() - at) {
        throw std::runtime_error("descent::dist: bad layout");
      }
      std::string s = bytes.substr(at, std::size_t(n));
      at += std::size_t(n);
      return s;
    };
    layout.scalar = get_string();
    layout.settings = get_string();
    const std::int64_t count = get_int();
    for (std::int64_t k = 0; k < count; ++k) {
      BlockShape b;
      b.name = get_string();
      b.rows = get_int();
      b.cols = get_int();
      layout.blocks.push_back(std::move(b));
    }
    return layout;
  }

  /// The first difference from `root`'s layout, phrased for a user; "" when equal.
  std::string difference_from(const Layout& root, int root_rank) const {
    const std::string theirs = "rank " + std::to_string(root_rank) + " has ";
    if (scalar != root.scalar) return "scalar type " + scalar + ", " + theirs + root.scalar;
    if (settings != root.settings) return settings + ", " + theirs + root.settings;
    const std::size_t common = std::min(blocks.size(), root.blocks.size());
    for (std::size_t k = 0; k < common; ++k) {
      const BlockShape& a = blocks[k];
      const BlockShape& b = root.blocks[k];
      if (a.name != b.name) {
        return "block " + std::to_string(k) + " is \"" + a.name + "\", " + theirs + "\"" + b.name +
               "\" (blocks must be registered in the same order on every rank)";
      }
      if (a.rows != b.rows || a.cols != b.cols) {
        return "block \"" + a.name + "\" is " + shape(a) + ", " + theirs + shape(b);
      }
    }
    if (blocks.size() != root.blocks.size()) {
      const BlockShape& extra = blocks.size() > common ? blocks[common] : root.blocks[common];
      return std::to_string(blocks.size()) + " blocks, " + theirs +
             std::to_string(root.blocks.size()) + " (first unmatched: \"" + extra.name + "\")";
    }
    return "";
  }

 private:
  static void put_int(std::string& out, std::int64_t v) {
    char bytes[sizeof v];
    std::memcpy(bytes, &v, sizeof v);
    out.append(bytes, sizeof v);
  }
  static std::string shape(const BlockShape& b) {
    return std::to_string(b.rows) + "x" + std::to_string(b.cols);
  }
};

/// Collective: compares every rank's layout with `root`'s. `local_problem` is a rank's own
/// error (an invalid setting); when any rank has one, every rank throws std::invalid_argument,
/// and when layouts differ every rank throws LayoutMismatch, each with all ranks' reasons.
inline void require_same_layout(const Layout& mine, const std::string& local_problem,
                                const std::string& what, MPI_Comm comm, int root) {
  const std::string invalid = agree_on_problems(local_problem, what + ": invalid settings", comm);
  if (!invalid.empty()) throw std::invalid_argument(invalid);
  std::string bytes = mine.to_bytes();
  broadcast_bytes(bytes, comm, root);
  const std::string difference = mine.difference_from(Layout::from_bytes(bytes), root);
  const std::string message =
      agree_on_problems(difference, what + ": the ranks registered different blocks", comm);
  if (!message.empty()) throw LayoutMismatch(message);
}

}  // namespace descent::dist::detail
