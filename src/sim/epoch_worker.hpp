// EpochWorker: one thread that runs one task at a time for the simulation's main thread. The
// simulation hands it an epoch's backend computation (pure arithmetic on the driver's input) and
// goes on with other subnets meanwhile; it waits for the task before it uses the result.
//
// Invariants: at most one task in flight (submit requires none); wait() returns once the task
// has run, rethrowing what it threw; the destructor waits for a task in flight, then stops the
// thread. Both sides poll briefly before they sleep: a task comes every few hundred
// microseconds, and waking a sleeping thread costs tens of them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace subnetsim::sim {

class EpochWorker {
 public:
  EpochWorker();
  ~EpochWorker();
  EpochWorker(const EpochWorker&) = delete;
  EpochWorker& operator=(const EpochWorker&) = delete;

  // Starts `task` on the worker thread. Requires: no task in flight.
  void submit(std::function<void()> task);
  // Returns when the task in flight (if any) has run; rethrows its exception.
  void wait();
  bool busy() const { return state_.load(std::memory_order_acquire) != kIdle; }

 private:
  enum : int { kIdle = 0, kSubmitted = 1, kDone = 2 };
  void loop();

  std::atomic<int> state_{kIdle};
  std::function<void()> task_;
  std::exception_ptr error_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool sleeping_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace subnetsim::sim
