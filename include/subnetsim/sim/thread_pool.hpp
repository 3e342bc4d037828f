// ThreadPool: a fixed set of worker threads running parallel_for over an index range, and
// tasks beside the caller.
//
// Used only for work whose results do not depend on which thread runs which index (agents
// deciding from their own observation and RNG stream into their own action list), and whose
// results are then applied in index order by the calling thread: so a run is identical for any
// thread count. A task (an epoch's computation) touches nothing the caller or another task
// touches until its wait_task. With one thread everything runs inline on the caller.
//
// A simulation calls parallel_for thousands of times a second with bodies of a few
// microseconds, so the hand-off must cost far less than that: indices are claimed in chunks
// with one atomic compare-and-swap, idle workers spin a little before they sleep, and the caller
// spins while the last chunks finish. Each call is a generation; a claim carries the generation
// it belongs to, so a worker that wakes late can never run an old body on a new range.
// Invariants: body(i) runs exactly once for every i in [0, n) before parallel_for returns;
// one parallel_for at a time (the pool is driven by one thread); a submitted task runs exactly
// once, before its wait_task returns.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace subnetsim::sim {

class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }
  // Calls body(i) for every i in [0, n), spread over the workers and the caller; returns when
  // all are done. Exceptions thrown by body are rethrown here (the first one).
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& body);

  // Tasks beside the caller (epochs): claimed in the order submitted by whichever thread is
  // free, so several run at once on several workers, while the caller goes on, parallel_for
  // included; a worker done with a task joins parallel_for calls again. wait_task(t) returns
  // once task t has run, rethrowing what it threw; while it waits, the caller runs unclaimed
  // tasks up to t itself (so every task runs, on one thread too). Up to kMaxTasks tasks may be
  // submitted and not yet waited for; each must be waited for once.
  using Ticket = std::uint64_t;
  static constexpr std::size_t kMaxTasks = 16;
  Ticket submit_task(std::function<void()> task);
  void wait_task(Ticket t);

 private:
  // One parallel_for call as a worker sees it.
  struct Job {
    std::uint32_t generation = 0;
    std::size_t n = 0, chunk = 1;
    const std::function<void(std::size_t)>* body = nullptr;
  };
  void work();
  // Claims and runs chunks of `job` until none is left in its generation.
  void run_chunks(const Job& job);
  // Claims and runs the oldest unclaimed task if its ticket is <= up_to; returns whether it ran
  // one.
  bool claim_task(Ticket up_to);

  std::vector<std::thread> workers_;
  std::mutex mutex_;  // guards job_, sleepers_, stop_, error_
  std::condition_variable wake_;
  Job job_;
  unsigned sleepers_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::atomic<std::uint32_t> generation_{0};
  // (generation << 32) | next unclaimed index: a claim from another generation fails.
  std::atomic<std::uint64_t> cursor_{0};
  std::atomic<std::size_t> done_{0};  // indices finished in the current generation
  // Tasks: ticket t lives in slot t % kMaxTasks, free, then submitted, then done (who runs it is
  // decided by next_claim_).
  enum : int { kTaskFree = 0, kTaskSubmitted, kTaskDone };
  struct TaskSlot {
    std::atomic<int> state{kTaskFree};
    std::function<void()> fn;
    std::exception_ptr error;
  };
  std::array<TaskSlot, kMaxTasks> tasks_;
  std::atomic<Ticket> next_task_{0};   // tickets handed out (only the caller submits)
  std::atomic<Ticket> next_claim_{0};  // the oldest ticket nobody has claimed yet
};

}  // namespace subnetsim::sim
