#pragma once
/// Where an optimizer keeps its rule's state arrays: one contiguous run of memory per state
/// stream (all blocks' `exp_avg` one after another, all `exp_avg_sq` in another run, ...), and
/// the list of entries whose states are views into it.
///
/// Why: a step over many small blocks runs one pass per block over the value, the gradient and
/// each state array. When every state array is its own heap allocation, each block's pass starts
/// cold streams at unrelated addresses, and 1,000 blocks of 1,000 floats took 2.2-2.5x the time
/// of one block of 1e6. With each stream contiguous across blocks, the hardware prefetcher
/// follows it from one block into the next (docs/design.md, "State arena").

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "descent/core/block.hpp"

namespace descent::detail {

/// Points `view` at `n` elements at `data` (Eigen's documented way to re-seat a Map).
template <class Scalar>
void rebind(FlatView<Scalar>& view, Scalar* data, Eigen::Index n) {
  new (&view) FlatView<Scalar>(data, n);
}

/// Append-only storage for state streams. Each stream is a list of slabs; a slot is carved from
/// the stream's last slab right after the previous slot, so a stream's slots are contiguous
/// within a slab. A new slab holds the slot, and at least twice what the stream holds so far,
/// within [slab_min_bytes, slab_cap_bytes] (so a stream wastes at most one partly used slab,
/// and a small model's stream is one slab of 16 KiB).
///
/// Where a slot starts: at the same offset within its 4 KB page as `partner` (the block's
/// value) when that wastes at most 1/16 of the slot, otherwise at the next 64-byte boundary.
/// The first slot of a slab always matches (a slab has a page to spare), so a large block's
/// state streams start at its value's page offset (measured: 10-18 % faster at 1e6 and 1e7
/// floats than 64-byte aligned state behind 16-byte aligned values), and blocks whose values
/// lie one after another in one buffer get state slots laid out exactly as their values.
/// Slots never move: views into them stay valid for the arena's lifetime, also when the arena
/// itself is moved.
template <class Scalar>
class StateArena {
 public:
  static constexpr std::size_t alignment = 64;
  static constexpr std::size_t slab_min_bytes = std::size_t(16) << 10;
  static constexpr std::size_t slab_cap_bytes = std::size_t(1) << 20;

  StateArena() = default;
  StateArena(const StateArena&) = delete;
  StateArena& operator=(const StateArena&) = delete;
  StateArena(StateArena&&) noexcept = default;
  StateArena& operator=(StateArena&&) noexcept = default;

  /// A zeroed slot of `n` elements in stream `stream`, placed after `partner`'s page offset
  /// (see above); nullptr when `n` is 0. Throws std::bad_alloc (the arena is then unchanged
  /// except for a possibly unused new slab).
  Scalar* allocate(std::size_t stream, Eigen::Index n, const Scalar* partner) {
    if (n <= 0) return nullptr;
    if (stream >= streams_.size()) streams_.resize(stream + 1);
    Stream& s = streams_[stream];
    const std::size_t bytes = std::size_t(n) * sizeof(Scalar);
    std::size_t start = s.slabs.empty() ? 0 : placement(s.slabs.back(), bytes, partner);
    if (s.slabs.empty() || start > s.slabs.back().capacity ||
        s.slabs.back().capacity - start < bytes) {
      const std::size_t grow = std::min(slab_cap_bytes, std::max(slab_min_bytes, 2 * s.total));
      s.slabs.push_back(Slab::make(std::max(bytes + page, grow)));
      start = page_match(s.slabs.back(), partner);
    }
    Slab& slab = s.slabs.back();
    auto* slot = reinterpret_cast<Scalar*>(slab.data.get() + start);
    std::fill(slot, slot + n, Scalar(0));
    s.total += start + bytes - slab.used;
    slab.used = start + bytes;
    return slot;
  }

 private:
  struct Free {
    void operator()(unsigned char* p) const { ::operator delete[](p, std::align_val_t(alignment)); }
  };
  struct Slab {
    std::unique_ptr<unsigned char[], Free> data;
    std::size_t capacity = 0;
    std::size_t used = 0;
    static Slab make(std::size_t bytes) {
      auto* p = static_cast<unsigned char*>(::operator new[](bytes, std::align_val_t(alignment)));
      return Slab{std::unique_ptr<unsigned char[], Free>(p), bytes, 0};
    }
  };
  struct Stream {
    std::vector<Slab> slabs;
    std::size_t total = 0;  ///< bytes handed out
  };
  static constexpr std::size_t page = 4096;
  static std::size_t round_up(std::size_t bytes) {
    return (bytes + alignment - 1) / alignment * alignment;
  }
  // The first offset at or after `slab.used` at `partner`'s offset within its page (without a
  // partner: the next 64-byte boundary).
  static std::size_t page_match(const Slab& slab, const Scalar* partner) {
    if (partner == nullptr) return round_up(slab.used);
    const auto at = reinterpret_cast<std::uintptr_t>(slab.data.get()) + slab.used;
    return slab.used + ((reinterpret_cast<std::uintptr_t>(partner) - at) & (page - 1));
  }
  // Where a slot of `bytes` goes in `slab`: page-matched if that wastes at most bytes / 16.
  static std::size_t placement(const Slab& slab, std::size_t bytes, const Scalar* partner) {
    const std::size_t matched = page_match(slab, partner);
    return (matched - slab.used) * 16 <= bytes ? matched : round_up(slab.used);
  }

  std::vector<Stream> streams_;
};

/// Gives each state array of `state` (in State::visit order: that order numbers the streams) a
/// slot of the size `init` asks for, through `rule.init(state, size, place)`, placed after
/// `partner` (the block's value; see StateArena).
template <class Rule, class State, class Scalar>
void place_state(const Rule& rule, State& state, Eigen::Index size, const Scalar* partner,
                 StateArena<Scalar>& arena) {
  std::size_t stream = 0;
  rule.template init<Scalar>(state, size, [&](FlatView<Scalar>& view, Eigen::Index n) {
    rebind(view, arena.allocate(stream++, n, partner), n);
  });
}

/// The optimizer's entries (each with a `state` of views, of type Entry::StateType) and the arena
/// their states live in. Copying makes a new arena with the same contents, so a copied optimizer
/// shares nothing.
template <class Entry, class Scalar>
class EntryList {
 public:
  using value_type = Entry;
  EntryList() = default;
  EntryList(EntryList&&) noexcept = default;
  EntryList& operator=(EntryList&&) noexcept = default;
  EntryList(const EntryList& other) : entries_(other.entries_) {
    for (std::size_t k = 0; k < entries_.size(); ++k) {
      std::vector<const FlatView<Scalar>*> source;
      Entry::StateType::visit(
          other.entries_[k].state,
          [&](const char*, const FlatView<Scalar>& view) { source.push_back(&view); });
      std::size_t stream = 0;
      Entry::StateType::visit(entries_[k].state, [&](const char*, FlatView<Scalar>& view) {
        const FlatView<Scalar>& from = *source[stream];
        rebind(view, arena_.allocate(stream++, from.size(), entries_[k].block.value().data()),
               from.size());
        view = from;
      });
    }
  }
  EntryList& operator=(const EntryList& other) {
    if (this != &other) *this = EntryList(other);
    return *this;
  }

  /// Appends `entry` after giving its state slots through `rule.init`; on an exception nothing
  /// visible changes.
  template <class Rule>
  void add(const Rule& rule, Entry entry) {
    if (entries_.size() == entries_.capacity())
      entries_.reserve(std::max<std::size_t>(8, 2 * entries_.size()));
    place_state(rule, entry.state, entry.block.size(), entry.block.value().data(), arena_);
    entries_.push_back(std::move(entry));
  }

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  Entry& operator[](std::size_t k) { return entries_[k]; }
  const Entry& operator[](std::size_t k) const { return entries_[k]; }
  Entry& at(std::size_t k) { return entries_.at(k); }
  const Entry& at(std::size_t k) const { return entries_.at(k); }
  auto begin() { return entries_.begin(); }
  auto end() { return entries_.end(); }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
  StateArena<Scalar> arena_;
};

}  // namespace descent::detail
