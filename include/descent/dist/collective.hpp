#pragma once
/// Small collectives the distributed module builds on: broadcasting bytes and agreeing on the
/// ranks' error messages, so that a failure on one rank is reported on every rank (no hang).

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include <mpi.h>

#include "descent/dist/environment.hpp"
#include "descent/dist/error.hpp"

namespace descent::dist::detail {

/// MPI counts are int: a range of `count` elements goes in pieces of at most INT_MAX.
template <class F>
void for_each_piece(std::int64_t count, F&& f) {
  for (std::int64_t begin = 0; begin < count; begin += INT_MAX) {
    f(begin, int(std::min<std::int64_t>(INT_MAX, count - begin)));
  }
}

/// Broadcasts `bytes` from `root`; on the other ranks it is replaced by root's.
inline void broadcast_bytes(std::string& bytes, MPI_Comm comm, int root) {
  std::uint64_t length = bytes.size();
  check(MPI_Bcast(&length, 1, MPI_UINT64_T, root, comm), "MPI_Bcast");
  if (rank(comm) != root) bytes.assign(std::size_t(length), '\0');
  for_each_piece(std::int64_t(length), [&](std::int64_t begin, int count) {
    check(MPI_Bcast(&bytes[std::size_t(begin)], count, MPI_CHAR, root, comm), "MPI_Bcast");
  });
}

/// Every rank's `local` string, indexed by rank (MPI_Allgather of the lengths, then Allgatherv).
inline std::vector<std::string> all_strings(const std::string& local, MPI_Comm comm) {
  const int ranks = size(comm);
  if (local.size() > std::size_t(INT_MAX)) {
    throw std::length_error("descent::dist: message of " + std::to_string(local.size()) +
                            " bytes is too long to gather");
  }
  const int length = int(local.size());
  const auto count = static_cast<std::size_t>(ranks);
  std::vector<int> lengths(count), offsets(count);
  check(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, comm), "MPI_Allgather");
  std::int64_t total = 0;
  for (int r = 0; r < ranks; ++r) {
    if (total > INT_MAX) throw std::length_error("descent::dist: gathered messages too long");
    offsets[std::size_t(r)] = int(total);
    total += lengths[std::size_t(r)];
  }
  if (total > INT_MAX) throw std::length_error("descent::dist: gathered messages too long");
  std::string all(std::size_t(total), '\0');
  check(MPI_Allgatherv(local.data(), length, MPI_CHAR, &all[0], lengths.data(), offsets.data(),
                       MPI_CHAR, comm),
        "MPI_Allgatherv");
  std::vector<std::string> out;
  out.reserve(std::size_t(ranks));
  for (int r = 0; r < ranks; ++r) {
    out.push_back(
        all.substr(std::size_t(offsets[std::size_t(r)]), std::size_t(lengths[std::size_t(r)])));
  }
  return out;
}

/// The ranks' problems as one message: "" when every rank's `local` is empty, otherwise
/// "<intro>" followed by one "\n  rank r: <problem>" line per rank that has one. Collective.
inline std::string agree_on_problems(const std::string& local, const std::string& intro,
                                     MPI_Comm comm) {
  const std::vector<std::string> all = all_strings(local, comm);
  std::string message;
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (!all[r].empty()) message += "\n  rank " + std::to_string(r) + ": " + all[r];
  }
  return message.empty() ? message : intro + message;
}

}  // namespace descent::dist::detail
