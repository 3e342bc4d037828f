// HeldObserver: the simulation's outputs, forwarded to the run's observer in the order a run on
// one thread produces them. While an epoch computes on the worker thread the main thread goes
// on with later events (other subnets' decisions), whose outputs belong after the epoch's own:
// hold() queues them, the epoch's completion emits its own outputs directly (stop_holding()),
// then flush() replays the queue in order, or discard() drops it (the run stopped at that
// epoch, so the later events never happened).
//
// Invariants: while holding, only events and block visits arrive (an epoch record or a sample
// would mean an epoch or a sample overtook an epoch in flight: a logic error, thrown);
// forwarding is direct whenever nothing is held.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <variant>
#include <vector>

#include "subnetsim/metrics/records.hpp"

namespace subnetsim::sim {

class HeldObserver final : public metrics::Observer {
 public:
  explicit HeldObserver(metrics::Observer& inner) : inner_(inner) {}

  void hold() { holding_ = true; }
  void stop_holding() { holding_ = false; }
  void flush() {
    holding_ = false;
    for (const auto& call : queued_) {
      if (const auto* e = std::get_if<metrics::EventRecord>(&call)) {
        inner_.on_event(*e);
      } else {
        inner_.on_block(std::get<std::uint64_t>(call));
      }
    }
    queued_.clear();
  }
  void discard() {
    holding_ = false;
    queued_.clear();
  }

  void on_event(const metrics::EventRecord& r) override {
    if (holding_) {
      queued_.emplace_back(r);
    } else {
      inner_.on_event(r);
    }
  }
  void on_block(std::uint64_t block) override {
    if (holding_) {
      queued_.emplace_back(block);
    } else {
      inner_.on_block(block);
    }
  }
  void on_epoch(const metrics::EpochRecord& r) override {
    if (holding_) throw std::logic_error("an epoch record arrived while an epoch was in flight");
    inner_.on_epoch(r);
  }
  void on_sample(const metrics::GlobalSample& s) override {
    if (holding_) throw std::logic_error("a global sample arrived while an epoch was in flight");
    inner_.on_sample(s);
  }

 private:
  metrics::Observer& inner_;
  bool holding_ = false;
  std::vector<std::variant<metrics::EventRecord, std::uint64_t>> queued_;
};

}  // namespace subnetsim::sim
