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

#include "mlpipe/core/status.h"

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
  // calling thread takes part, so it is safe to call from inside a task, and
  // at most size() threads (the caller and size() - 1 workers) run the chunks.
  void ParallelFor(size_t n, const std::function<void(size_t, size_t)>& fn, size_t chunks = 0);

  // The shared process-wide pool: the pool the library's parallel work
  // (CSV parsing, profiling, search trials, bootstrap) runs on, and the number
  // of threads a final model fit uses. It has one thread per hardware thread
  // unless SetSharedThreads chose another size first.
  static ThreadPool& Shared();

  // Sizes the shared pool: `threads` >= 1, or 0 for one per hardware thread.
  // The pool is created on first use and never resized, so this must come
  // before anything calls Shared() (a command line sets it while parsing its
  // options). Returns InvalidArgument for a size over 1024 and
  // FailedPrecondition when the pool already exists with another size.
  // Thread-safe.
  static Status SetSharedThreads(size_t threads);

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
