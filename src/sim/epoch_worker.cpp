#include "epoch_worker.hpp"

#include <utility>

#include "spin.hpp"

namespace subnetsim::sim {

namespace {

// Polls before sleeping (the worker) or yielding (the waiter).
constexpr int kSpins = kSpinsBeforeSleep;

}  // namespace

EpochWorker::EpochWorker() : thread_([this] { loop(); }) {}

EpochWorker::~EpochWorker() {
  try {
    wait();
  } catch (...) {
    // The task's error has nowhere to go once its owner is being destroyed.
  }
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void EpochWorker::submit(std::function<void()> task) {
  task_ = std::move(task);
  error_ = nullptr;
  bool notify = false;
  {
    // Under the lock, so that a worker about to sleep either sees the task or is woken.
    std::lock_guard lock(mutex_);
    state_.store(kSubmitted, std::memory_order_release);
    notify = sleeping_;
  }
  if (notify) wake_.notify_one();
}

void EpochWorker::wait() {
  if (state_.load(std::memory_order_acquire) == kIdle) return;
  for (int k = 0; state_.load(std::memory_order_acquire) != kDone; ++k) {
    if (k < kSpins) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
  state_.store(kIdle, std::memory_order_relaxed);
  task_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void EpochWorker::loop() {
  while (true) {
    for (int k = 0; k < kSpins && state_.load(std::memory_order_acquire) != kSubmitted; ++k)
      cpu_relax();
    {
      std::unique_lock lock(mutex_);
      if (state_.load(std::memory_order_acquire) != kSubmitted && !stop_) {
        sleeping_ = true;
        wake_.wait(
            lock, [this] { return stop_ || state_.load(std::memory_order_acquire) == kSubmitted; });
        sleeping_ = false;
      }
      if (stop_ && state_.load(std::memory_order_acquire) != kSubmitted) return;
    }
    try {
      task_();
    } catch (...) {
      error_ = std::current_exception();
    }
    state_.store(kDone, std::memory_order_release);
  }
}

}  // namespace subnetsim::sim
