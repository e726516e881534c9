#pragma once
// The GAN demo's shard threads: a fixed team of threads that runs one job on every shard of a
// batch, shard s on thread s % threads (thread 0 is the caller), and returns when all are done.
// Each shard writes only its own networks and buffers, and the caller combines the shards in a
// fixed order afterwards, so the result does not depend on which thread ran first.
//
// Per step the job is handed over through two atomics (no lock, no allocation): the caller
// publishes a job and bumps `generation_`; a worker that sees the new generation runs its
// shards and increments `done_`. Waiting spins briefly, then yields the core, so a worker does
// not starve the other processes of a loaded 2-core machine.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace gan {

class ShardThreads {
 public:
  /// `threads` threads (the caller and threads - 1 workers) for `shards` shards.
  ShardThreads(std::int64_t threads, std::int64_t shards)
      : threads_(std::max<std::int64_t>(1, std::min(threads, shards))), shards_(shards) {
    errors_.resize(std::size_t(threads_));
    for (std::int64_t w = 1; w < threads_; ++w) workers_.emplace_back([this, w] { work(w); });
  }
  ShardThreads(const ShardThreads&) = delete;
  ShardThreads& operator=(const ShardThreads&) = delete;
  ~ShardThreads() {
    stop_.store(true, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    for (std::thread& t : workers_) t.join();
  }

  std::int64_t threads() const { return threads_; }

  /// Calls job(s) for every shard s in [0, shards), shard s on thread s % threads; returns when
  /// all calls have returned, rethrowing the first (lowest thread) exception.
  template <class Job>
  void run(Job& job) {
    if (threads_ == 1) {
      for (std::int64_t s = 0; s < shards_; ++s) job(s);
      return;
    }
    job_ = &job;
    call_ = [](void* j, std::int64_t s) { (*static_cast<Job*>(j))(s); };
    done_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    shards_of(0);
    wait([&] { return done_.load(std::memory_order_acquire) == threads_ - 1; });
    for (std::exception_ptr& e : errors_) {
      if (e) {
        std::exception_ptr first = e;
        for (std::exception_ptr& f : errors_) f = nullptr;
        std::rethrow_exception(first);
      }
    }
  }

 private:
  template <class Ready>
  static void wait(Ready ready) {
    for (int spin = 0; !ready(); ++spin) {
      if (spin >= 2000) std::this_thread::yield();
    }
  }

  void shards_of(std::int64_t w) {
    try {
      for (std::int64_t s = w; s < shards_; s += threads_) call_(job_, s);
    } catch (...) {
      errors_[std::size_t(w)] = std::current_exception();
    }
  }

  void work(std::int64_t w) {
    std::uint64_t seen = 0;
    for (;;) {
      wait([&] { return generation_.load(std::memory_order_acquire) != seen; });
      seen = generation_.load(std::memory_order_acquire);
      if (stop_.load(std::memory_order_relaxed)) return;
      shards_of(w);
      done_.fetch_add(1, std::memory_order_release);
    }
  }

  std::int64_t threads_, shards_;
  void* job_ = nullptr;
  void (*call_)(void*, std::int64_t) = nullptr;
  std::vector<std::exception_ptr> errors_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> done_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;  // last: started after every other member exists
};

}  // namespace gan
