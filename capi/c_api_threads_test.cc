// One model scored from many threads at once: every thread gets exactly the
// single-threaded results, and each thread's last error is its own.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "c_api_test_util.h"
#include "mlpipe/c_api.h"

namespace capi_test {
namespace {

TEST(CApiThreads, ConcurrentScoringOnOneHandleMatchesSequential) {
  Model model("multiclass");
  ASSERT_NE(model.m, nullptr);
  const auto csv = ReadCsv("multiclass");
  const size_t rows = csv.size() - 1;
  size_t k = 0;
  mlpipe_model_num_classes(model.m, &k);
  ASSERT_EQ(k, 3u);
  std::vector<std::string> json(rows);
  std::vector<double> want(rows * k);
  for (size_t r = 0; r < rows; ++r) {
    json[r] = JsonRow(model.m, csv, r);
    ASSERT_EQ(mlpipe_predict_json(model.m, json[r].c_str(), nullptr, nullptr, 0, &want[r * k], k,
                                  nullptr, 0),
              MLPIPE_OK)
        << mlpipe_last_error();
  }
  constexpr int kThreads = 8;
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int pass = 0; pass < 5; ++pass) {
        for (size_t i = 0; i < rows; ++i) {
          const size_t r = (i * 7 + static_cast<size_t>(t) * 13) % rows;
          double p[3];
          if (mlpipe_predict_json(model.m, json[r].c_str(), nullptr, nullptr, 0, p, 3, nullptr,
                                  0) != MLPIPE_OK) {
            ++failures;
            continue;
          }
          for (size_t j = 0; j < k; ++j) {
            if (p[j] != want[r * k + j]) ++mismatches;
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(CApiThreads, ConcurrentMatrixBatchesMatchSequential) {
  Model model("regression");
  ASSERT_NE(model.m, nullptr);
  const auto csv = ReadCsv("regression");
  const size_t rows = csv.size() - 1;
  size_t nn = 0, nc = 0;
  mlpipe_model_input_widths(model.m, &nn, &nc);
  ASSERT_EQ(nc, 0u);  // cpu.csv: every input is numeric, in file order
  ASSERT_EQ(nn, csv[0].size());
  std::vector<double> x;
  for (size_t r = 0; r < rows; ++r) {
    for (const auto& v : csv[r + 1]) x.push_back(std::strtod(v.c_str(), nullptr));
  }
  std::vector<double> want(rows);
  ASSERT_EQ(mlpipe_predict_matrix(model.m, rows, x.data(), nn, nullptr, 0, nullptr, 0, nullptr, 0,
                                  want.data(), rows),
            MLPIPE_OK)
      << mlpipe_last_error();
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int pass = 0; pass < 20; ++pass) {
        std::vector<double> got(rows);
        if (mlpipe_predict_matrix(model.m, rows, x.data(), nn, nullptr, 0, nullptr, 0, nullptr, 0,
                                  got.data(), rows) != MLPIPE_OK ||
            got != want) {
          ++bad;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(CApiThreads, LastErrorIsPerThread) {
  Model model("regression");
  ASSERT_NE(model.m, nullptr);
  double v = 0;
  ASSERT_NE(mlpipe_predict_json(model.m, "{\"nope\": 1}", nullptr, nullptr, 0, nullptr, 0, &v, 1),
            MLPIPE_OK);
  const std::string mine = mlpipe_last_error();
  EXPECT_NE(mine.find("'nope'"), std::string::npos) << mine;
  std::string theirs;
  std::thread([&] {
    theirs = mlpipe_last_error();  // nothing failed on this thread yet
    mlpipe_model_task(nullptr, nullptr);
  }).join();
  EXPECT_EQ(theirs, "");
  EXPECT_EQ(std::string(mlpipe_last_error()), mine);
}

}  // namespace
}  // namespace capi_test
