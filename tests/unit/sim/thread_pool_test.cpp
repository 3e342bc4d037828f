// ThreadPool: every index exactly once per call, over many quick calls (the simulation's
// pattern: thousands of short parallel_for calls), exceptions rethrown to the caller, and the
// pool still usable after one.
#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

#include "subnetsim/sim/thread_pool.hpp"

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
