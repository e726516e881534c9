#pragma once
// The GAN demo's shard threads: a fixed team of threads that runs one job on every shard of a
// batch, shard s on thread s % threads (thread 0 is the caller), and returns when all are done.
// Each shard writes only its own networks and buffers, and the caller combines the shards in a
// fixed order afterwards, so the result does not depend on which thread ran first.
//
// Per step the job is handed over through two atomics (no allocation): the caller publishes a
// job and bumps `generation_`; a worker that sees the new generation runs its shards and
// increments `done_`. A waiting thread spins (yielding its core between checks) for up to
// 1 ms, which covers a phase of an idle machine, and then sleeps on a condition variable, so
// that on a loaded machine it neither burns a core nor floods the kernel with sched_yield.
// Whoever changes an atomic wakes the sleepers, if any (a lock and a notify only then).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
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
    generation_.fetch_add(1);
    wake();
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
    generation_.fetch_add(1);
    wake();
    shards_of(0);
    wait([&] { return done_.load() == threads_ - 1; });
    for (std::exception_ptr& e : errors_) {
      if (e) {
        std::exception_ptr first = e;
        for (std::exception_ptr& f : errors_) f = nullptr;
        std::rethrow_exception(first);
      }
    }
  }

 private:
  // Returns once ready() holds: spins, yielding, for up to 1 ms, then sleeps until woken. The
  // sleeper count is incremented before ready() is checked under the lock, and the waker
  // changes its atomic before reading the count (both sequentially consistent), so either the
  // waker sees the sleeper and notifies under the lock, or the sleeper sees the change.
  template <class Ready>
  void wait(Ready ready) {
    const auto start = std::chrono::steady_clock::now();
    for (int spin = 0; !ready(); ++spin) {
      if (spin < 2000) continue;
      std::this_thread::yield();
      if (spin % 64 == 0 &&
          std::chrono::steady_clock::now() - start > std::chrono::milliseconds(1)) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1);
        wakeup_.wait(lock, ready);
        sleepers_.fetch_sub(1);
        return;
      }
    }
  }
  void wake() {
    if (sleepers_.load() == 0) return;
    { std::lock_guard<std::mutex> lock(mutex_); }
    wakeup_.notify_all();
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
      wait([&] { return generation_.load() != seen; });
      seen = generation_.load();
      if (stop_.load(std::memory_order_relaxed)) return;
      shards_of(w);
      done_.fetch_add(1);
      wake();
    }
  }

  std::int64_t threads_, shards_;
  void* job_ = nullptr;
  void (*call_)(void*, std::int64_t) = nullptr;
  std::vector<std::exception_ptr> errors_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> done_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> sleepers_{0};  // threads asleep (or about to sleep) in wait()
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::vector<std::thread> workers_;  // last: started after every other member exists
};

}  // namespace gan
