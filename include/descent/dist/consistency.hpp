#pragma once
/// Checksums of a replica (parameters, optimizer state, step counters) and the collective check
/// that every rank holds the same bits.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <mpi.h>

#include "descent/dist/collective.hpp"
#include "descent/dist/environment.hpp"
#include "descent/dist/error.hpp"

namespace descent::dist {

namespace detail {

// A 64-bit hash of a byte range, eight bytes at a time (multiply-xorshift mixing): a cheap
// fingerprint for comparing replicas, not a cryptographic hash.
inline std::uint64_t hash_bytes(const void* data, std::size_t size, std::uint64_t h) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const auto mix = [](std::uint64_t x, std::uint64_t word) {
    x ^= word;
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
  };
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes + i, 8);
    h = mix(h, word);
  }
  std::uint64_t tail = 0;
  if (i < size) std::memcpy(&tail, bytes + i, size - i);
  return mix(mix(h, tail), std::uint64_t(size));
}

// One checksum per block: value, every state array, the block's update count.
template <class Opt>
std::vector<std::uint64_t> block_checksums(const Opt& optimizer) {
  using Scalar = typename Opt::scalar_type;
  std::vector<std::uint64_t> sums;
  sums.reserve(optimizer.num_blocks() + 1);
  for (std::size_t k = 0; k < optimizer.num_blocks(); ++k) {
    const auto& value = optimizer.block(k).value();
    std::uint64_t h =
        hash_bytes(value.data(), std::size_t(value.size()) * sizeof(Scalar), 0xCBF29CE484222325ull);
    const auto& state = optimizer.state(k);
    Opt::State::visit(state, [&](const char*, const auto& array) {
      h = hash_bytes(array.data(), std::size_t(array.size()) * sizeof(Scalar), h);
    });
    const std::int64_t steps = state.steps;
    sums.push_back(hash_bytes(&steps, sizeof steps, h));
  }
  const std::int64_t counters[2] = {optimizer.step_count(), optimizer.skipped_steps()};
  sums.push_back(hash_bytes(counters, sizeof counters, 0));
  return sums;
}

}  // namespace detail

/// A fingerprint of this rank's replica: every block's value and state arrays, update counts,
/// and the optimizer's step and skipped-step counters. Equal on two ranks means (up to a 2^-64
/// chance) that the bits are equal. One read pass over the parameters and state.
template <class Opt>
std::uint64_t checksum(const Opt& optimizer) {
  const std::vector<std::uint64_t> sums = detail::block_checksums(optimizer);
  return detail::hash_bytes(sums.data(), sums.size() * sizeof(std::uint64_t), 0);
}

/// Collective: compares every rank's replica with `root`'s and throws ReplicaDivergence on every
/// rank if any differs, naming each differing rank and its first differing block (or counter).
template <class Opt>
void check_consistent(const Opt& optimizer, MPI_Comm comm = MPI_COMM_WORLD, int root = 0) {
  const std::vector<std::uint64_t> mine = detail::block_checksums(optimizer);
  std::uint64_t count = mine.size();
  detail::check(MPI_Bcast(&count, 1, MPI_UINT64_T, root, comm), "MPI_Bcast");
  std::vector<std::uint64_t> theirs = mine;
  theirs.resize(std::size_t(count));
  detail::check(MPI_Bcast(theirs.data(), int(count), MPI_UINT64_T, root, comm), "MPI_Bcast");
  std::string problem;
  if (count != mine.size()) {
    problem = std::to_string(mine.size() - 1) + " blocks, rank " + std::to_string(root) + " has " +
              std::to_string(count - 1);
  }
  for (std::size_t k = 0; k < mine.size() && problem.empty(); ++k) {
    if (mine[k] == theirs[k]) continue;
    problem = k < optimizer.num_blocks()
                  ? "block \"" + optimizer.block(k).name() + "\" (value or state) differs"
                  : "step counters differ (" + std::to_string(optimizer.step_count()) + " steps, " +
                        std::to_string(optimizer.skipped_steps()) + " skipped here)";
    problem += " from rank " + std::to_string(root);
  }
  const std::string message =
      detail::agree_on_problems(problem, "descent::dist: the replicas diverged", comm);
  if (!message.empty()) throw ReplicaDivergence(message);
}

}  // namespace descent::dist
