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

TEST_CASE("held outputs come after each epoch's own, in order, or not at all",
          "[sim][held_observer]") {
  Log log;
  HeldObserver held(log);
  held.on_event(event("before"));  // nothing held: straight through
  held.mark();                     // epoch A launched
  held.on_block(5);
  held.on_event(event("register"));
  held.mark();  // epoch B launched while A computes
  held.on_event(event("refuse"));
  CHECK(log.seen == std::vector<std::string>{"before"});
  // A completes: its outputs first, then what came after it, up to B's launch.
  held.begin_release();
  subnetsim::metrics::EpochRecord rec;
  rec.netuid = 3;
  held.on_epoch(rec);
  held.on_event(event("slash"));
  held.end_release();
  CHECK(held.holding());  // B is still in flight
  held.on_event(event("later"));
  // B completes: its outputs, then the rest; nothing is held any more.
  held.begin_release();
  rec.netuid = 4;
  held.on_epoch(rec);
  held.end_release();
  CHECK(!held.holding());
  CHECK(log.seen == std::vector<std::string>{"before", "epoch 3", "slash", "block 5", "register",
                                             "epoch 4", "refuse", "later"});
  // A run that stops at an epoch drops what came after it.
  held.mark();
  held.on_event(event("dropped"));
  held.begin_release();
  held.discard();
  held.on_event(event("after"));
  CHECK(log.seen.back() == "after");
  CHECK(log.seen.size() == 9);
}

TEST_CASE(
    "an epoch record or a sample while outputs are held is a logic error, and so is an "
    "epoch completing that was not marked",
    "[sim][held_observer]") {
  Log log;
  HeldObserver held(log);
  CHECK_THROWS_AS(held.begin_release(), std::logic_error);
  held.mark();
  CHECK_THROWS_AS(held.on_epoch(subnetsim::metrics::EpochRecord{}), std::logic_error);
  CHECK_THROWS_AS(held.on_sample(subnetsim::metrics::GlobalSample{}), std::logic_error);
  CHECK(log.seen.empty());
}
