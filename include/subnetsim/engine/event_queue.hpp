// EventQueue: the simulation's agenda, ordered by (block, phase, seq).
//
// `seq` is a counter assigned at scheduling time, so events of the same block and phase run in
// the order they were scheduled: with deterministic scheduling, the whole run is deterministic
// (SimPy's (time, priority, eid) key). The loop asks next_block() and jumps there; blocks where
// nothing is scheduled are never visited.
//
// Invariant: pop() returns events in non-decreasing key order, and never an event scheduled in
// the past of the last popped key (schedule() rejects those: time only moves forward).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace subnetsim::engine {

// The fixed phase order of one block (architecture: "One block").
enum class Phase : std::uint8_t { kScript = 0, kDecide, kApply, kEmit, kEpoch, kRecord };
const char* phase_name(Phase p);

struct EventKey {
  std::uint64_t block = 0;
  Phase phase = Phase::kScript;
  // Within a block and phase, events of a lower rank go first (0 for most; the chain's order of
  // subnets for epochs), then in the order scheduled.
  std::uint32_t rank = 0;
  std::uint64_t seq = 0;
  friend auto operator<=>(const EventKey&, const EventKey&) = default;
};

template <class Payload>
class EventQueue {
 public:
  struct Entry {
    EventKey key;
    Payload payload;
  };

  void schedule(std::uint64_t block, Phase phase, Payload payload, std::uint32_t rank = 0) {
    EventKey key{block, phase, rank, next_seq_++};
    if (has_popped_ && key < last_popped_)
      throw std::logic_error("EventQueue: an event was scheduled in the past");
    heap_.push_back(Entry{key, std::move(payload)});
    std::push_heap(heap_.begin(), heap_.end(), later);
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  // The earliest key; the queue must not be empty.
  const EventKey& peek() const { return heap_.front().key; }

  Entry pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    Entry e = std::move(heap_.back());
    heap_.pop_back();
    last_popped_ = e.key;
    has_popped_ = true;
    return e;
  }

 private:
  static bool later(const Entry& a, const Entry& b) { return a.key > b.key; }
  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
  EventKey last_popped_;
  bool has_popped_ = false;
};

}  // namespace subnetsim::engine
