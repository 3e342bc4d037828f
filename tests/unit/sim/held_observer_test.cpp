// HeldObserver (src/sim): while an epoch computes beside the main thread, the outputs of later
// events wait behind the epoch's own, in order, or are dropped.

#include "../../../src/sim/held_observer.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using subnetsim::sim::HeldObserver;

namespace {

// Records what reaches it, as text, in order.
struct Log final : subnetsim::metrics::Observer {
  std::vector<std::string> seen;
  void on_event(const subnetsim::metrics::EventRecord& r) override { seen.push_back(r.kind); }
  void on_block(std::uint64_t b) override { seen.push_back("block " + std::to_string(b)); }
  void on_epoch(const subnetsim::metrics::EpochRecord& r) override {
    seen.push_back("epoch " + std::to_string(r.netuid));
  }
  void on_sample(const subnetsim::metrics::GlobalSample&) override { seen.push_back("sample"); }
};

subnetsim::metrics::EventRecord event(const char* kind) {
  subnetsim::metrics::EventRecord r;
  r.kind = kind;
  return r;
}

}  // namespace

TEST_CASE("held outputs come after the epoch's own, in order, or not at all",
          "[sim][held_observer]") {
  Log log;
  HeldObserver held(log);
  held.on_event(event("before"));  // nothing held: straight through
  held.hold();
  held.on_block(5);
  held.on_event(event("register"));
  held.on_event(event("refuse"));
  CHECK(log.seen == std::vector<std::string>{"before"});
  // The epoch completes: its outputs first, then what was held.
  held.stop_holding();
  subnetsim::metrics::EpochRecord rec;
  rec.netuid = 3;
  held.on_epoch(rec);
  held.on_event(event("slash"));
  held.flush();
  CHECK(log.seen ==
        std::vector<std::string>{"before", "epoch 3", "slash", "block 5", "register", "refuse"});
  // A run that stops at the epoch drops what came after it.
  held.hold();
  held.on_event(event("later"));
  held.discard();
  held.on_event(event("after"));
  CHECK(log.seen.back() == "after");
  CHECK(log.seen.size() == 7);
}

TEST_CASE("an epoch record or a sample while outputs are held is a logic error",
          "[sim][held_observer]") {
  Log log;
  HeldObserver held(log);
  held.hold();
  CHECK_THROWS_AS(held.on_epoch(subnetsim::metrics::EpochRecord{}), std::logic_error);
  CHECK_THROWS_AS(held.on_sample(subnetsim::metrics::GlobalSample{}), std::logic_error);
  CHECK(log.seen.empty());
}
