#include "mlpipe/core/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <string>

namespace mlpipe::core {

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::Enqueue(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stop_ and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

bool ThreadPool::RunOne() {
  std::function<void()> task;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (queue_.empty()) return false;
    task = std::move(queue_.front());
    queue_.pop_front();
  }
  task();
  return true;
}

void ThreadPool::ParallelFor(size_t n, const std::function<void(size_t, size_t)>& fn,
                             size_t chunks) {
  if (n == 0) return;
  if (chunks == 0) chunks = size();
  chunks = std::min(chunks, n);
  if (chunks <= 1) {
    fn(0, n);
    return;
  }
  // Shared with the helper tasks, which may start only after this call has
  // returned (every chunk claimed already); they then find nothing to do.
  struct State {
    std::atomic<size_t> next{0};
    std::atomic<size_t> remaining{0};
    size_t n = 0, chunks = 0;
    const std::function<void(size_t, size_t)>* fn = nullptr;
    std::exception_ptr error;
    std::mutex mu;
    std::condition_variable done_cv;
  };
  auto st = std::make_shared<State>();
  st->n = n;
  st->chunks = chunks;
  st->remaining = chunks;
  st->fn = &fn;
  auto run_chunks = [st] {
    size_t c;
    while ((c = st->next.fetch_add(1)) < st->chunks) {
      size_t begin = st->n * c / st->chunks;
      size_t end = st->n * (c + 1) / st->chunks;
      try {
        (*st->fn)(begin, end);
      } catch (...) {
        std::lock_guard<std::mutex> l(st->mu);
        if (!st->error) st->error = std::current_exception();
      }
      if (st->remaining.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> l(st->mu);
        st->done_cv.notify_all();
      }
    }
  };
  // The caller runs chunks too, so size() - 1 helpers keep at most size()
  // threads busy: a pool of N (`--threads N`) never computes on N + 1.
  size_t helpers = std::min(chunks - 1, size() - 1);
  for (size_t i = 0; i < helpers; ++i) Enqueue(run_chunks);
  run_chunks();
  // While others finish, help drain the queue so that nested calls cannot deadlock.
  while (st->remaining.load() > 0) {
    if (!RunOne()) {
      std::unique_lock<std::mutex> l(st->mu);
      st->done_cv.wait_for(l, std::chrono::milliseconds(1),
                           [&] { return st->remaining.load() == 0; });
    }
  }
  std::lock_guard<std::mutex> l(st->mu);
  if (st->error) std::rethrow_exception(st->error);
}

namespace {

// The shared pool and the size it is (or will be) created with, under one
// mutex so that a size set concurrently with the first Shared() call is
// either taken or reported as too late.
struct SharedPoolState {
  std::mutex mu;
  size_t threads = 0;                      // 0: one per hardware thread
  std::atomic<ThreadPool*> pool{nullptr};  // set once, under mu
};

SharedPoolState& SharedState() {
  static SharedPoolState* state = new SharedPoolState();  // lives until exit
  return *state;
}

size_t Resolve(size_t threads) {
  return threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads;
}

}  // namespace

ThreadPool& ThreadPool::Shared() {
  SharedPoolState& st = SharedState();
  if (ThreadPool* pool = st.pool.load(std::memory_order_acquire)) return *pool;
  std::lock_guard<std::mutex> l(st.mu);
  ThreadPool* pool = st.pool.load(std::memory_order_relaxed);
  if (pool == nullptr) {
    pool = new ThreadPool(st.threads);  // lives until exit
    st.pool.store(pool, std::memory_order_release);
  }
  return *pool;
}

Status ThreadPool::SetSharedThreads(size_t threads) {
  if (threads > 1024) {
    return InvalidArgumentError("threads " + std::to_string(threads) + ": expected 1..1024");
  }
  SharedPoolState& st = SharedState();
  std::lock_guard<std::mutex> l(st.mu);
  if (ThreadPool* pool = st.pool.load(std::memory_order_relaxed)) {
    if (pool->size() == Resolve(threads)) return Status::OK();
    return FailedPreconditionError("the shared thread pool already runs " +
                                   std::to_string(pool->size()) + " threads; cannot use " +
                                   std::to_string(Resolve(threads)));
  }
  st.threads = threads;
  return Status::OK();
}

}  // namespace mlpipe::core
