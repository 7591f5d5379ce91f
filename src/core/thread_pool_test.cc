#include "mlpipe/core/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>

namespace mlpipe::core {
namespace {

TEST(ThreadPoolTest, SubmitReturnsValues) {
  ThreadPool pool(3);
  std::vector<std::future<int>> futs;
  for (int i = 0; i < 100; ++i) futs.push_back(pool.Submit([i] { return i * i; }));
  int sum = 0;
  for (auto& f : futs) sum += f.get();
  EXPECT_EQ(sum, 328350);
}

TEST(ThreadPoolTest, ParallelForCoversEveryIndexOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(10007);
  pool.ParallelFor(hits.size(), [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) hits[i]++;
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ThreadPoolTest, NestedParallelForDoesNotDeadlock) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.ParallelFor(8, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i)
      pool.ParallelFor(100, [&](size_t b2, size_t e2) { total += static_cast<int>(e2 - b2); });
  });
  EXPECT_EQ(total.load(), 800);
}

TEST(ThreadPoolTest, ParallelForRethrows) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.ParallelFor(10,
                                [](size_t b, size_t) {
                                  if (b == 0) throw std::runtime_error("boom");
                                }),
               std::runtime_error);
}

// The most chunks of one ParallelFor that run at the same time.
size_t PeakConcurrency(ThreadPool& pool, std::set<std::thread::id>* threads) {
  std::atomic<size_t> running{0}, peak{0};
  std::mutex mu;
  pool.ParallelFor(
      64,
      [&](size_t, size_t) {
        const size_t now = ++running;
        size_t seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        {
          std::lock_guard<std::mutex> l(mu);
          threads->insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
      },
      64);
  return peak.load();
}

TEST(ThreadPoolTest, ParallelForRunsOnAtMostPoolSizeThreads) {
  ThreadPool pool(3);
  std::set<std::thread::id> threads;
  EXPECT_LE(PeakConcurrency(pool, &threads), 3u);
  EXPECT_LE(threads.size(), 3u);
}

TEST(ThreadPoolTest, OneThreadPoolRunsEverythingOnTheCaller) {
  ThreadPool pool(1);
  std::set<std::thread::id> threads;
  EXPECT_EQ(PeakConcurrency(pool, &threads), 1u);
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
}

// The shared pool is created once per process, so each case runs in a fresh
// process of its own (a death test re-executes this binary).
class SharedPoolTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

[[noreturn]] void ExitUnless(bool ok, const char* what) {
  if (!ok) std::fprintf(stderr, "failed: %s\n", what);
  std::exit(ok ? 0 : 1);
}

TEST_F(SharedPoolTest, TakesTheSizeSetBeforeFirstUse) {
  EXPECT_EXIT(
      {
        if (!ThreadPool::SetSharedThreads(3).ok()) ExitUnless(false, "set 3");
        if (ThreadPool::Shared().size() != 3) ExitUnless(false, "size 3");
        // The same size again is fine; another one is too late.
        if (!ThreadPool::SetSharedThreads(3).ok()) ExitUnless(false, "set 3 again");
        Status late = ThreadPool::SetSharedThreads(2);
        ExitUnless(late.code() == StatusCode::kFailedPrecondition &&
                       late.message().find("already runs 3 threads") != std::string::npos,
                   "set 2 after first use");
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(SharedPoolTest, DefaultsToOneThreadPerHardwareThread) {
  EXPECT_EXIT(
      {
        const size_t hw = std::max(1u, std::thread::hardware_concurrency());
        ExitUnless(ThreadPool::Shared().size() == hw && ThreadPool::SetSharedThreads(0).ok() &&
                       ThreadPool::SetSharedThreads(hw).ok(),
                   "default size");
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ThreadPoolTest, SetSharedThreadsRejectsAbsurdSizes) {
  Status s = ThreadPool::SetSharedThreads(5000);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("5000"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::core
