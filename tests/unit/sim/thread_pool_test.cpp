// ThreadPool: every index exactly once per call, over many quick calls (the simulation's
// pattern: thousands of short parallel_for calls), exceptions rethrown to the caller, and the
// pool still usable after one; tasks beside the caller (epochs) run exactly once each, before
// their wait_task returns, several in flight, with parallel_for calls going on meanwhile.
#include "subnetsim/sim/thread_pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using subnetsim::sim::ThreadPool;

TEST_CASE("parallel_for runs every index exactly once, call after call", "[sim][thread_pool]") {
  for (unsigned threads : {1u, 2u, 3u}) {
    ThreadPool pool(threads);
    CHECK(pool.size() == threads);
    for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 64u, 193u, 1000u}) {
      for (int repeat = 0; repeat < 200; ++repeat) {
        std::vector<std::atomic<int>> hits(n);
        pool.parallel_for(n, [&](std::size_t i) { hits[i].fetch_add(1); });
        int wrong = 0;
        for (auto& h : hits) wrong += h.load() != 1;
        REQUIRE(wrong == 0);
      }
    }
  }
}

TEST_CASE("parallel_for: results written by workers are visible to the caller", "[sim][thread_pool]") {
  ThreadPool pool(2);
  std::vector<std::uint64_t> out(500);
  for (std::uint64_t round = 1; round <= 300; ++round) {
    pool.parallel_for(out.size(), [&](std::size_t i) { out[i] = round * 1000 + i; });
    std::uint64_t bad = 0;
    for (std::size_t i = 0; i < out.size(); ++i) bad += out[i] != round * 1000 + i;
    REQUIRE(bad == 0);
  }
}

TEST_CASE("parallel_for rethrows the body's exception and stays usable", "[sim][thread_pool]") {
  ThreadPool pool(2);
  std::atomic<int> ran{0};
  REQUIRE_THROWS_WITH(pool.parallel_for(100,
                                        [&](std::size_t i) {
                                          ran.fetch_add(1);
                                          if (i == 37) throw std::runtime_error("index 37 failed");
                                        }),
                      "index 37 failed");
  CHECK(ran.load() == 100);  // the other indices still ran
  std::atomic<int> after{0};
  pool.parallel_for(50, [&](std::size_t) { after.fetch_add(1); });
  CHECK(after.load() == 50);
}

TEST_CASE("a submitted task has run when its wait_task returns, task after task",
          "[sim][thread_pool]") {
  ThreadPool pool(2);
  std::vector<int> results(2000, 0);
  for (std::size_t k = 0; k < results.size(); ++k) {
    // Some tasks come at once, some after a pause long enough for the worker to sleep.
    if (k % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto t = pool.submit_task([&results, k] { results[k] = static_cast<int>(k) * 3; });
    pool.wait_task(t);
    REQUIRE(results[k] == static_cast<int>(k) * 3);
  }
}

TEST_CASE("several tasks in flight run once each, in any thread, and are waited for in order",
          "[sim][thread_pool]") {
  for (unsigned threads : {1u, 2u, 3u}) {
    ThreadPool pool(threads);
    std::vector<std::atomic<int>> runs(4000);
    std::vector<ThreadPool::Ticket> tickets;
    std::size_t waited = 0;
    for (std::size_t k = 0; k < runs.size(); ++k) {
      // Up to eight in flight, as the simulation keeps at most one per engine.
      if (tickets.size() - waited == 8) pool.wait_task(tickets[waited++]);
      tickets.push_back(pool.submit_task([&runs, k] { runs[k].fetch_add(1); }));
      if (k % 7 == 0) {
        std::vector<std::atomic<int>> hits(50);
        pool.parallel_for(hits.size(), [&](std::size_t i) { hits[i].fetch_add(1); });
        for (auto& h : hits) REQUIRE(h.load() == 1);
      }
    }
    while (waited < tickets.size()) pool.wait_task(tickets[waited++]);
    int bad = 0;
    for (auto& r : runs) bad += r.load() != 1;
    REQUIRE(bad == 0);
  }
}

TEST_CASE("a task's exception comes back from its wait_task, and the pool keeps working",
          "[sim][thread_pool]") {
  ThreadPool pool(2);
  const auto t = pool.submit_task([] { throw std::runtime_error("backend failed"); });
  CHECK_THROWS_WITH(pool.wait_task(t), "backend failed");
  int x = 0;
  const auto u = pool.submit_task([&x] { x = 7; });
  pool.wait_task(u);
  CHECK(x == 7);
}

TEST_CASE("the pool's destructor waits for submitted tasks", "[sim][thread_pool]") {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2);
    for (int k = 0; k < 3; ++k)
      pool.submit_task([&done] {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        done.fetch_add(1);
      });
  }
  CHECK(done == 3);
}

TEST_CASE("parallel_for runs every index while a task runs beside it, one thread runs both",
          "[sim][thread_pool]") {
  for (unsigned threads : {1u, 2u, 3u}) {
    ThreadPool pool(threads);
    for (int round = 0; round < 50; ++round) {
      std::atomic<bool> task_done{false};
      const auto t = pool.submit_task([&task_done] {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        task_done = true;
      });
      std::vector<std::atomic<int>> hits(300);
      pool.parallel_for(hits.size(), [&](std::size_t i) { hits[i].fetch_add(1); });
      int bad = 0;
      for (auto& h : hits) bad += h.load() != 1;
      REQUIRE(bad == 0);
      pool.wait_task(t);
      REQUIRE(task_done);
    }
  }
}
