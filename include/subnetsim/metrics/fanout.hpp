// ObserverFanout: one Observer that forwards every record to several others, in the order they
// were added (the CSV writer, the metrics collector, the story printer, the progress line).
// Invariant: the observers outlive the fanout; none is added twice.
#pragma once

#include <cstdint>
#include <vector>

#include "subnetsim/metrics/records.hpp"

namespace subnetsim::metrics {

class ObserverFanout : public Observer {
 public:
  void add(Observer& o) { observers_.push_back(&o); }
  void on_event(const EventRecord& r) override {
    for (Observer* o : observers_) o->on_event(r);
  }
  void on_epoch(const EpochRecord& r) override {
    for (Observer* o : observers_) o->on_epoch(r);
  }
  void on_sample(const GlobalSample& s) override {
    for (Observer* o : observers_) o->on_sample(s);
  }
  void on_block(std::uint64_t block) override {
    for (Observer* o : observers_) o->on_block(block);
  }

 private:
  std::vector<Observer*> observers_;
};

}  // namespace subnetsim::metrics
