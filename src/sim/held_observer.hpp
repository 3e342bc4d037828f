// HeldObserver: the simulation's outputs, forwarded to the run's observer in the order a run on
// one thread produces them. While epochs compute on worker threads the main thread goes on with
// later events (other subnets' decisions and epochs), whose outputs belong after each epoch's
// own. mark() is called as each such epoch is launched: from then on outputs are queued, behind
// a marker for that epoch. When the oldest epoch completes, begin_release() lets its own outputs
// through directly, then end_release() replays what was queued after its marker, up to the next
// epoch's marker (the next epoch still in flight), or everything and stops holding when none is
// left; discard() drops every queued output (the run stopped at that epoch, so what came after
// it never happened).
//
// Invariants: epochs complete in the order they were marked; while holding, only events and
// block visits arrive (an epoch record or a sample would mean an epoch or a sample overtook an
// epoch in flight: a logic error, thrown); forwarding is direct whenever nothing is held.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <variant>

#include "subnetsim/metrics/records.hpp"

namespace subnetsim::sim {

class HeldObserver final : public metrics::Observer {
 public:
  explicit HeldObserver(metrics::Observer& inner) : inner_(inner) {}

  // An epoch was launched here; what follows is held until it completes.
  void mark() {
    queued_.emplace_back(Marker{});
    holding_ = true;
  }
  // The oldest marked epoch completes: its outputs go straight through.
  void begin_release() {
    if (queued_.empty() || !std::holds_alternative<Marker>(queued_.front()))
      throw std::logic_error("an epoch completed out of order");
    queued_.pop_front();
    holding_ = false;
  }
  // ...then what came after it, up to the next epoch still in flight.
  void end_release() {
    while (!queued_.empty() && !std::holds_alternative<Marker>(queued_.front())) {
      if (const auto* e = std::get_if<metrics::EventRecord>(&queued_.front())) {
        inner_.on_event(*e);
      } else {
        inner_.on_block(std::get<std::uint64_t>(queued_.front()));
      }
      queued_.pop_front();
    }
    holding_ = !queued_.empty();
  }
  void discard() {
    queued_.clear();
    holding_ = false;
  }
  bool holding() const { return holding_; }

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
  struct Marker {};
  metrics::Observer& inner_;
  bool holding_ = false;
  std::deque<std::variant<Marker, metrics::EventRecord, std::uint64_t>> queued_;
};

}  // namespace subnetsim::sim
