// A fixed-size thread pool and a parallel-for over index ranges.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace mlpipe::core {

class ThreadPool {
 public:
  // `threads` == 0 means one per hardware thread.
  explicit ThreadPool(size_t threads = 0);
  // Finishes every queued task, then joins.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t size() const { return workers_.size(); }

  // Queues `fn`; the future yields its result or rethrows its exception.
  template <typename F>
  auto Submit(F fn) -> std::future<decltype(fn())> {
    using R = decltype(fn());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
    std::future<R> fut = task->get_future();
    Enqueue([task] { (*task)(); });
    return fut;
  }

  // Calls fn(begin, end) over [0, n) split into about `chunks` contiguous
  // ranges (default: the pool size), in parallel, and waits for all. The
  // calling thread takes part, so it is safe to call from inside a task.
  void ParallelFor(size_t n, const std::function<void(size_t, size_t)>& fn, size_t chunks = 0);

  // The shared process-wide pool (one thread per hardware thread).
  static ThreadPool& Shared();

 private:
  void Enqueue(std::function<void()> task);
  void WorkerLoop();
  bool RunOne();

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace mlpipe::core
