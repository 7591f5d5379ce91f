// ServeMetrics' text: cumulative histogram buckets, counters by labels,
// escaped label values, and the process figures from /proc/self.
#include "serve_metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace mlpipe::serve {
namespace {

TEST(ServeMetrics, HistogramBucketsAreCumulative) {
  ServeMetrics m;
  m.Request("credit", "3", "v2_infer", 200, 0.00004);  // first bucket
  m.Request("credit", "3", "v2_infer", 200, 0.003);    // 5 ms bucket
  m.Request("credit", "3", "v2_infer", 400, 20.0);     // beyond 10 s: only +Inf
  const std::string t = m.ToPrometheus();
  EXPECT_NE(t.find("mlpipe_request_duration_seconds_bucket{model=\"credit\",route=\"v2_infer\","
                   "le=\"5e-05\"} 1\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("le=\"10\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("mlpipe_request_duration_seconds_count{model=\"credit\",route=\"v2_infer\"} 3"),
            std::string::npos);
  EXPECT_NE(t.find("mlpipe_requests_total{model=\"credit\",version=\"3\",route=\"v2_infer\","
                   "status=\"400\"} 1"),
            std::string::npos);
}

TEST(ServeMetrics, LabelsAreEscapedAndModelsReported) {
  ServeMetrics m;
  m.Predictions("m", "a\"b\\c\nd", 7);
  m.ModelLoaded("m", "2", 0.5, 2);
  m.LoadFailed("m");
  const std::string t = m.ToPrometheus();
  EXPECT_NE(t.find("mlpipe_predictions_total{model=\"m\",class=\"a\\\"b\\\\c\\nd\"} 7"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("mlpipe_model_generation{model=\"m\"} 2"), std::string::npos);
  EXPECT_NE(t.find("mlpipe_model_load_failures_total{model=\"m\"} 1"), std::string::npos);
  EXPECT_NE(t.find("mlpipe_model_loaded{model=\"m\",version=\"2\"} 1"), std::string::npos);
}

TEST(ServeMetrics, ProcessFiguresCountThreads) {
  std::thread t1([] { std::this_thread::sleep_for(std::chrono::milliseconds(300)); });
  const std::string t = ProcessMetricsText();
  t1.join();
  const size_t at = t.find("\nprocess_threads ");
  ASSERT_NE(at, std::string::npos) << t;
  EXPECT_GE(std::stoi(t.substr(at + 17)), 2);
  EXPECT_NE(t.find("\nprocess_resident_memory_bytes "), std::string::npos);
  EXPECT_NE(t.find("\nprocess_open_fds "), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::serve
