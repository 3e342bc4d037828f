#include "subnetsim/sim/thread_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "spin.hpp"

namespace subnetsim::sim {

namespace {

constexpr std::uint64_t kIndexMask = 0xffffffffULL;
// Idle workers poll before they sleep, and the caller before it yields (spin.hpp).
constexpr int kSpins = kSpinsBeforeSleep;

}  // namespace

ThreadPool::ThreadPool(unsigned threads) {
  try {
    for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  } catch (const std::system_error& e) {
    // The system refused a thread: stop the ones started, then say so (a half-built pool would
    // destroy joinable threads, which terminates the process).
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    throw std::runtime_error("cannot start " + std::to_string(threads - 1) +
                             " worker threads (started " + std::to_string(workers_.size()) +
                             "): " + e.what());
  }
}

ThreadPool::~ThreadPool() {
  // Submitted tasks run exactly once, even now: unclaimed ones here; a worker finishes the one
  // it runs before it sees stop_, so the joins below wait for those.
  while (claim_task(~Ticket{0})) {
  }
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run_chunks(const Job& job) {
  const std::uint64_t tag = std::uint64_t{job.generation} << 32;
  std::uint64_t cur = cursor_.load(std::memory_order_acquire);
  while (true) {
    if ((cur & ~kIndexMask) != tag) return;  // a later call's range: not ours
    const std::size_t begin = cur & kIndexMask;
    if (begin >= job.n) return;
    const std::size_t end = std::min(job.n, begin + job.chunk);
    if (!cursor_.compare_exchange_weak(cur, tag | end, std::memory_order_acq_rel,
                                       std::memory_order_acquire))
      continue;
    // The claim succeeded in the caller's generation, so the caller is still waiting for these
    // indices and the body is alive.
    for (std::size_t i = begin; i < end; ++i) {
      try {
        (*job.body)(i);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
    done_.fetch_add(end - begin, std::memory_order_acq_rel);
    cur = cursor_.load(std::memory_order_acquire);
  }
}

bool ThreadPool::claim_task(Ticket up_to) {
  Ticket t = next_claim_.load(std::memory_order_acquire);
  while (t < next_task_.load(std::memory_order_acquire) && t <= up_to) {
    if (!next_claim_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel,
                                           std::memory_order_acquire))
      continue;  // another thread claimed t; t is now the next unclaimed ticket
    TaskSlot& slot = tasks_[t % kMaxTasks];
    try {
      slot.fn();
    } catch (...) {
      slot.error = std::current_exception();
    }
    slot.state.store(kTaskDone, std::memory_order_release);
    return true;
  }
  return false;
}

void ThreadPool::work() {
  std::uint32_t seen = 0;
  auto idle = [&] {
    return generation_.load(std::memory_order_acquire) == seen &&
           next_claim_.load(std::memory_order_acquire) >=
               next_task_.load(std::memory_order_acquire);
  };
  while (true) {
    for (int k = 0; k < kSpins && idle(); ++k) cpu_relax();
    Job job;
    {
      std::unique_lock lock(mutex_);
      if (!stop_ && idle()) {
        ++sleepers_;
        wake_.wait(lock, [&] { return stop_ || !idle(); });
        --sleepers_;
      }
      if (stop_) return;
      job = job_;
    }
    // A task first: the caller goes on meanwhile, and chunks of its next calls wait for no one.
    if (claim_task(~Ticket{0})) continue;
    if (job.generation == seen) continue;  // the task was someone else's
    seen = job.generation;
    run_chunks(job);
  }
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t)>& body) {
  if (workers_.empty() || n < 2 || n > kIndexMask) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  Job job;
  {
    std::lock_guard lock(mutex_);
    job.generation = generation_.load(std::memory_order_relaxed) + 1;
    if (job.generation == 0) job.generation = 1;  // 0 is every worker's "nothing seen yet"
    job.n = n;
    // A few chunks per thread: uneven bodies still balance, and claims stay rare.
    job.chunk = std::max<std::size_t>(1, n / (4 * size()));
    job.body = &body;
    job_ = job;
    error_ = nullptr;
    done_.store(0, std::memory_order_relaxed);
    cursor_.store(std::uint64_t{job.generation} << 32, std::memory_order_release);
    generation_.store(job.generation, std::memory_order_release);
    if (sleepers_ > 0) wake_.notify_all();
  }
  run_chunks(job);
  for (int k = 0; done_.load(std::memory_order_acquire) < n; ++k) {
    if (k < kSpins) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
  std::exception_ptr error;
  {
    std::lock_guard lock(mutex_);
    error = std::exchange(error_, nullptr);
  }
  if (error) std::rethrow_exception(error);
}

ThreadPool::Ticket ThreadPool::submit_task(std::function<void()> task) {
  const Ticket t = next_task_.load(std::memory_order_relaxed);
  TaskSlot& slot = tasks_[t % kMaxTasks];
  if (slot.state.load(std::memory_order_acquire) != kTaskFree)
    throw std::logic_error("ThreadPool: more than kMaxTasks tasks not waited for");
  slot.fn = std::move(task);
  slot.error = nullptr;
  slot.state.store(kTaskSubmitted, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  next_task_.store(t + 1, std::memory_order_release);  // publishes the slot
  if (sleepers_ > 0) wake_.notify_all();
  return t;
}

void ThreadPool::wait_task(Ticket t) {
  TaskSlot& slot = tasks_[t % kMaxTasks];
  for (int k = 0; slot.state.load(std::memory_order_acquire) != kTaskDone; ++k) {
    if (claim_task(t)) continue;  // unclaimed tasks up to t: run them here
    if (k < kSpins) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
  slot.fn = nullptr;
  std::exception_ptr error = std::exchange(slot.error, nullptr);
  slot.state.store(kTaskFree, std::memory_order_release);
  if (error) std::rethrow_exception(error);
}

}  // namespace subnetsim::sim
