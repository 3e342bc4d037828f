// ThreadPool: a fixed set of worker threads running parallel_for over an index range.
//
// Used only for work whose results do not depend on which thread runs which index (agents
// deciding from their own observation and RNG stream into their own action list), and whose
// results are then applied in index order by the calling thread: so a run is identical for any
// thread count. With one thread everything runs inline on the caller.
#pragma once

#include <condition_variable>
#include <cstddef>
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

 private:
  void work();
  void run_chunk();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t n_ = 0, next_ = 0, active_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

}  // namespace subnetsim::sim
