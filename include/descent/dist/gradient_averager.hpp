#pragma once
/// GradientAverager: before each step, every rank's gradients are summed over the communicator
/// and divided by the number of ranks, in place, in buckets (data-parallel training).

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <mpi.h>
#include <Eigen/Core>

#include "descent/dist/collective.hpp"
#include "descent/dist/environment.hpp"
#include "descent/dist/error.hpp"
#include "descent/dist/layout.hpp"

namespace descent::dist {

/// Settings of a GradientAverager.
class AveragerOptions {
 public:
  /// Gradients travel in buckets of at most this many bytes (default 4 MiB): small blocks are
  /// packed together so one MPI_Iallreduce serves many of them; a block of a bucket or more is
  /// reduced in place, in pieces of at most a bucket.
  AveragerOptions& bucket_bytes(std::size_t bytes) {
    bucket_bytes_ = bytes;
    return *this;
  }
  /// Whether setup broadcasts every block's value from `root` so all replicas start equal
  /// (default true).
  AveragerOptions& broadcast_parameters(bool on) {
    broadcast_parameters_ = on;
    return *this;
  }
  /// How many bucket reductions may be in flight at once (default 1): the next bucket starts
  /// when one completes. Open MPI's non-blocking collectives progress only inside MPI calls,
  /// and many large ones in flight together were up to 20x slower than one at a time
  /// (docs/dist.md), so more is opt-in.
  AveragerOptions& max_in_flight(int buckets) {
    max_in_flight_ = buckets;
    return *this;
  }
  /// The rank whose parameters the others receive (default 0).
  AveragerOptions& root(int rank) {
    root_ = rank;
    return *this;
  }
  std::size_t bucket_bytes() const { return bucket_bytes_; }
  bool broadcast_parameters() const { return broadcast_parameters_; }
  int root() const { return root_; }
  int max_in_flight() const { return max_in_flight_; }

 private:
  std::size_t bucket_bytes_ = std::size_t(4) << 20;
  bool broadcast_parameters_ = true;
  int root_ = 0;
  int max_in_flight_ = 1;
};

/// Averages the gradients of an optimizer's registered blocks across the ranks of `comm`.
///
///   descent::dist::GradientAverager averager(opt);   // collective: checks, broadcasts
///   for (...) { compute this rank's gradients; averager.average(); opt.step(); }
///
/// Setup (the constructor) is collective: it checks that every rank registered the same blocks
/// (names, shapes, order, scalar type) and bucket size, throwing LayoutMismatch on every rank if
/// not, then broadcasts the parameters from the root. Register every block before constructing
/// it, and keep the optimizer alive and unchanged (no new blocks) while it is used.
///
/// average() is start() followed by finish(): one non-blocking MPI_Iallreduce per bucket, at
/// most max_in_flight at a time. start() packs and starts the first; finish() waits for them in
/// order, starting the next as each completes and unpacking each while the next is in flight.
/// Between the two the caller may do work that touches neither the gradients nor the
/// parameters. Neither allocates: buckets and requests are allocated at setup. With one rank,
/// both return at once.
///
/// Every rank gets the same sums (each element is added in one order by MPI, and IEEE addition
/// is commutative), so replicas that start equal stay bit-identical; check_consistent() checks.
/// A NaN or Inf on one rank reaches every rank, so a CheckFinite policy decides the same
/// everywhere.
template <class Opt>
class GradientAverager {
 public:
  using Scalar = typename Opt::scalar_type;

  explicit GradientAverager(Opt& optimizer, MPI_Comm comm = MPI_COMM_WORLD,
                            const AveragerOptions& options = AveragerOptions())
      : optimizer_(optimizer), comm_(comm), options_(options) {
    ranks_ = dist::size(comm_);
    std::string problem;
    const std::size_t bytes = options.bucket_bytes();
    if (bytes < sizeof(Scalar) || bytes / sizeof(Scalar) > std::size_t(INT_MAX)) {
      problem = "bucket_bytes must be in [" + std::to_string(sizeof(Scalar)) + ", " +
                std::to_string(std::size_t(INT_MAX) * sizeof(Scalar)) + "], got " +
                std::to_string(bytes);
    } else if (options.max_in_flight() < 1) {
      problem = "max_in_flight must be >= 1, got " + std::to_string(options.max_in_flight());
    } else if (options.root() < 0 || options.root() >= ranks_) {
      problem = "root must be a rank in [0, " + std::to_string(ranks_ - 1) + "], got " +
                std::to_string(options.root());
    }
    detail::require_same_layout(
        detail::Layout::of(optimizer, "bucket_bytes " + std::to_string(bytes)), problem,
        "descent::dist::GradientAverager", comm_, options.root());
    if (options.broadcast_parameters()) broadcast_values();
    plan(Eigen::Index(bytes / sizeof(Scalar)));
  }

  /// Waits for reductions still in flight (start() without finish()).
  ~GradientAverager() {
    if (in_flight_ && ranks_ > 1)
      MPI_Waitall(int(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE);
  }

  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  /// Averages every registered gradient across the ranks, in place.
  void average() {
    start();
    finish();
  }

  /// Starts the reductions of the first buckets (at most max_in_flight), non-blocking.
  void start() {
    if (in_flight_) throw std::logic_error("descent::dist::GradientAverager: start() twice");
    in_flight_ = true;
    if (ranks_ == 1) return;
    const std::size_t window = std::size_t(options_.max_in_flight());
    for (std::size_t k = 0; k < buckets_.size() && k < window; ++k) start_bucket(k);
  }

  /// Waits for the buckets in order, starting the next one as each completes, and writes the
  /// averages into the gradients (bucket k is unpacked while the next is in flight).
  void finish() {
    if (!in_flight_) {
      throw std::logic_error("descent::dist::GradientAverager: finish() before start()");
    }
    in_flight_ = false;
    if (ranks_ == 1) return;
    const std::size_t window = std::size_t(options_.max_in_flight());
    const Scalar inverse = Scalar(1) / Scalar(ranks_);
    for (std::size_t k = 0; k < buckets_.size(); ++k) {
      detail::check(MPI_Wait(&requests_[k], MPI_STATUS_IGNORE), "MPI_Wait");
      if (k + window < buckets_.size()) start_bucket(k + window);
      Bucket& bucket = buckets_[k];
      if (bucket.packed()) {
        for (const Piece& piece : bucket.pieces) {
          Map(piece.data, piece.size) =
              inverse * Map(bucket.buffer.data() + piece.offset, piece.size);
        }
      } else {
        Map(bucket.data, bucket.size) *= inverse;
      }
    }
  }

  int ranks() const { return ranks_; }
  MPI_Comm communicator() const { return comm_; }
  /// Buckets per average() (one MPI_Iallreduce each).
  std::size_t num_buckets() const { return buckets_.size(); }
  /// Bytes of this rank's gradients reduced per average().
  std::size_t bytes_per_average() const { return bytes_per_average_; }

 private:
  using Map = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>;
  using Buffer = Eigen::Array<Scalar, Eigen::Dynamic, 1>;

  struct Piece {
    Scalar* data;
    Eigen::Index size;
    Eigen::Index offset;  // in the bucket's buffer
  };
  // Either a run of one gradient reduced in place (`data`), or whole small gradients packed
  // into `buffer`.
  struct Bucket {
    Scalar* data = nullptr;
    Eigen::Index size = 0;
    std::vector<Piece> pieces;
    Buffer buffer;
    bool packed() const { return data == nullptr; }
  };

  // Packs bucket k (when it gathers several blocks) and starts its reduction.
  void start_bucket(std::size_t k) {
    Bucket& bucket = buckets_[k];
    Scalar* data = bucket.data;
    if (bucket.packed()) {
      for (const Piece& piece : bucket.pieces) {
        std::copy_n(piece.data, piece.size, bucket.buffer.data() + piece.offset);
      }
      data = bucket.buffer.data();
    }
    detail::check(MPI_Iallreduce(MPI_IN_PLACE, data, int(bucket.size), datatype<Scalar>(), MPI_SUM,
                                 comm_, &requests_[k]),
                  "MPI_Iallreduce");
  }

  void broadcast_values() {
    for (std::size_t k = 0; k < optimizer_.num_blocks(); ++k) {
      auto& value = optimizer_.value(k);
      detail::for_each_piece(std::int64_t(value.size()), [&](std::int64_t begin, int count) {
        detail::check(
            MPI_Bcast(value.data() + begin, count, datatype<Scalar>(), options_.root(), comm_),
            "MPI_Bcast");
      });
    }
  }

  // Splits the blocks into buckets of at most `capacity` elements, in registration order.
  void plan(Eigen::Index capacity) {
    Bucket open;
    const auto close = [&]() {
      if (open.pieces.size() == 1) {  // a lone block needs no copy
        open.data = open.pieces.front().data;
        open.pieces.clear();
      } else if (!open.pieces.empty()) {
        open.buffer.resize(open.size);
      }
      if (open.size > 0) buckets_.push_back(std::move(open));
      open = Bucket();
    };
    for (std::size_t k = 0; k < optimizer_.num_blocks(); ++k) {
      auto& gradient = optimizer_.gradient(k);
      const Eigen::Index n = gradient.size();
      bytes_per_average_ += std::size_t(n) * sizeof(Scalar);
      if (n == 0) continue;
      if (n >= capacity) {
        close();  // buckets stay in registration order
        for (Eigen::Index begin = 0; begin < n; begin += capacity) {
          Bucket direct;
          direct.data = gradient.data() + begin;
          direct.size = std::min(capacity, n - begin);
          buckets_.push_back(std::move(direct));
        }
        continue;
      }
      if (open.size + n > capacity) close();
      open.pieces.push_back({gradient.data(), n, open.size});
      open.size += n;
    }
    close();
    requests_.assign(buckets_.size(), MPI_REQUEST_NULL);
  }

  Opt& optimizer_;
  MPI_Comm comm_;
  AveragerOptions options_;
  int ranks_ = 1;
  std::vector<Bucket> buckets_;
  std::vector<MPI_Request> requests_;
  std::size_t bytes_per_average_ = 0;
  bool in_flight_ = false;
};

}  // namespace descent::dist
