#include "mlpipe/core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <stdexcept>

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

}  // namespace
}  // namespace mlpipe::core
