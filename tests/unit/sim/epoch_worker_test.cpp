// The pieces that let an epoch compute beside the main thread (src/sim): EpochWorker runs one
// task at a time and hands back its result or its exception; HeldObserver keeps outputs of
// later events behind the epoch's own, in order, or drops them.
#include "../../../src/sim/epoch_worker.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../../../src/sim/held_observer.hpp"

using subnetsim::sim::EpochWorker;
using subnetsim::sim::HeldObserver;

TEST_CASE("the epoch worker runs each task before wait returns, task after task",
          "[sim][epoch_worker]") {
  EpochWorker worker;
  std::vector<int> results(2000, 0);
  for (std::size_t k = 0; k < results.size(); ++k) {
    // Some tasks come at once, some after a pause long enough for the worker to sleep.
    if (k % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    worker.submit([&results, k] { results[k] = static_cast<int>(k) * 3; });
    CHECK(worker.busy());
    worker.wait();
    CHECK(!worker.busy());
    REQUIRE(results[k] == static_cast<int>(k) * 3);
  }
  worker.wait();  // nothing in flight: returns at once
}

TEST_CASE("the epoch worker hands a task's exception to wait and keeps working",
          "[sim][epoch_worker]") {
  EpochWorker worker;
  worker.submit([] { throw std::runtime_error("backend failed"); });
  CHECK_THROWS_WITH(worker.wait(), "backend failed");
  int x = 0;
  worker.submit([&x] { x = 7; });
  worker.wait();
  CHECK(x == 7);
}

TEST_CASE("the epoch worker's destructor waits for the task in flight", "[sim][epoch_worker]") {
  std::atomic<bool> done{false};
  {
    EpochWorker worker;
    worker.submit([&done] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      done = true;
    });
  }
  CHECK(done);
}

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
          "[sim][epoch_worker]") {
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
          "[sim][epoch_worker]") {
  Log log;
  HeldObserver held(log);
  held.hold();
  CHECK_THROWS_AS(held.on_epoch(subnetsim::metrics::EpochRecord{}), std::logic_error);
  CHECK_THROWS_AS(held.on_sample(subnetsim::metrics::GlobalSample{}), std::logic_error);
  CHECK(log.seen.empty());
}
