#include "mlpipe/eval/confidence.h"

#include <atomic>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/classification.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/eval/ranking.h"

namespace mlpipe::eval {
namespace {

using testing::LoadClassification;

// With a metric that is always defined, BootstrapMetric is exactly
// stats::BootstrapPercentileCi over the same rows: the same seed scheme and
// the same quantile rule. The stats statistic gathers rows by hand, so this
// also checks the resampling of every field (multiclass probabilities too).
TEST(ConfidenceTest, SameAsStatsBootstrapWhenAlwaysDefined) {
  for (const char* file : {"binary", "multiclass"}) {
    const auto cases = LoadClassification(file);
    ASSERT_FALSE(cases.empty());
    const auto& c = cases[0];
    const MetricInput in = c.Input(/*weighted=*/true);
    const size_t k = c.num_classes == 2 ? 1 : static_cast<size_t>(c.num_classes);
    for (auto fn : {&Accuracy, &LogLoss}) {
      stats::BootstrapOptions options;
      options.resamples = 400;
      options.seed = 17;
      auto ours = BootstrapMetric(*fn, in, options);
      ASSERT_TRUE(ours.ok()) << ours.status().ToString();
      auto reference = stats::BootstrapPercentileCi(
          in.rows(),
          [&](std::span<const uint32_t> rows) {
            std::vector<int32_t> y, p;
            std::vector<double> pr, w;
            for (uint32_t r : rows) {
              y.push_back(c.labels[r]);
              p.push_back(c.predicted[r]);
              w.push_back(c.weights[r]);
              for (size_t j = 0; j < k; ++j) pr.push_back(c.probabilities[r * k + j]);
            }
            MetricInput x = in;
            x.labels = y;
            x.predicted = p;
            x.probabilities = pr;
            x.weights = w;
            return *(*fn)(x);
          },
          options);
      ASSERT_TRUE(reference.ok());
      EXPECT_EQ(ours->estimate, reference->estimate) << file;
      EXPECT_EQ(ours->low, reference->low) << file;
      EXPECT_EQ(ours->high, reference->high) << file;
      EXPECT_EQ(ours->resamples_used, 400);
      EXPECT_EQ(ours->resamples_skipped, 0);
      EXPECT_LE(ours->low, ours->estimate);
      EXPECT_GE(ours->high, ours->estimate);
    }
  }
}

TEST(ConfidenceTest, SameResultWhateverTheThreadCount) {
  const auto cases = LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  stats::BootstrapOptions options;
  options.resamples = 301;
  options.seed = 99;
  options.confidence = 0.9;
  auto serial = BootstrapMetric("roc_auc", cases[1].Input(), options);
  ASSERT_TRUE(serial.ok()) << serial.status().ToString();
  EXPECT_EQ(serial->confidence, 0.9);
  for (size_t threads : {1u, 2u, 5u}) {
    core::ThreadPool pool(threads);
    options.pool = &pool;
    auto parallel = BootstrapMetric("roc_auc", cases[1].Input(), options);
    ASSERT_TRUE(parallel.ok());
    EXPECT_EQ(parallel->low, serial->low) << threads;
    EXPECT_EQ(parallel->high, serial->high) << threads;
  }
  // Another seed gives another interval.
  options.pool = nullptr;
  options.seed = 100;
  auto other = BootstrapMetric("roc_auc", cases[1].Input(), options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->low, serial->low);
  // A 95% interval of AUC on 300 rows is a few points wide and holds the estimate.
  EXPECT_LT(serial->low, serial->estimate);
  EXPECT_GT(serial->high, serial->estimate);
  EXPECT_LT(serial->high - serial->low, 0.2);
}

// Resamples without both classes leave AUC undefined: they are skipped and
// counted. The expected count is found by redrawing the same rows.
TEST(ConfidenceTest, UndefinedResamplesAreSkippedAndCounted) {
  const std::vector<int32_t> y = {0, 0, 0, 0, 0, 1};
  const std::vector<double> s = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  MetricInput in;
  in.labels = y;
  in.probabilities = s;
  stats::BootstrapOptions options;
  options.resamples = 500;
  options.seed = 3;
  auto ci = BootstrapMetric("roc_auc", in, options);
  ASSERT_TRUE(ci.ok()) << ci.status().ToString();
  int expected_skips = 0;
  for (int r = 0; r < options.resamples; ++r) {
    core::Rng rng(core::Rng::Derive(options.seed, static_cast<uint64_t>(r)));
    int positives = 0;
    for (size_t i = 0; i < y.size(); ++i) positives += y[rng.Below(y.size())];
    if (positives == 0 || positives == static_cast<int>(y.size())) ++expected_skips;
  }
  EXPECT_GT(expected_skips, 50);  // (5/6)^6 of 500 is about 167
  EXPECT_EQ(ci->resamples_skipped, expected_skips);
  EXPECT_EQ(ci->resamples_used + ci->resamples_skipped, 500);
  EXPECT_EQ(ci->estimate, 1.0);
}

TEST(ConfidenceTest, FairnessMetricsResampleGroups) {
  const core::Json fixture = testing::LoadFixture("binary");
  const auto cases = LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  const auto codes = testing::Ints(fixture["groups"][0]["codes"]);
  MetricInput in = cases[0].Input();
  in.groups = codes;
  in.num_groups = fixture["groups"][0]["group_names"].size();
  stats::BootstrapOptions options;
  options.resamples = 200;
  auto ci = BootstrapMetric("demographic_parity_difference", in, options);
  ASSERT_TRUE(ci.ok()) << ci.status().ToString();
  auto direct = DemographicParityDifference(in);
  EXPECT_EQ(ci->estimate, *direct);
  EXPECT_LE(ci->low, ci->high);
  EXPECT_GE(ci->low, 0.0);
}

TEST(ConfidenceTest, Errors) {
  const auto cases = LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  stats::BootstrapOptions options;
  options.resamples = 0;
  EXPECT_NE(BootstrapMetric("accuracy", cases[0].Input(), options)
                .status()
                .message()
                .find("bootstrap.resamples"),
            std::string::npos);
  options.resamples = 20;
  EXPECT_NE(BootstrapMetric("acc", cases[0].Input(), options)
                .status()
                .message()
                .find("valid metrics: accuracy"),
            std::string::npos);
  MetricInput bad = cases[0].Input();
  const std::vector<double> short_w = {1, 2};
  bad.weights = short_w;
  EXPECT_NE(BootstrapMetric("accuracy", bad, options)
                .status()
                .message()
                .find("weights: length 2 differs"),
            std::string::npos);
  // The metric's own error on the original rows comes back as is.
  const std::vector<int32_t> one = {1, 1, 1};
  const std::vector<double> s = {0.1, 0.2, 0.3};
  MetricInput single;
  single.labels = one;
  single.probabilities = s;
  EXPECT_NE(
      BootstrapMetric("roc_auc", single, options).status().message().find("only one class present"),
      std::string::npos);
  // Defined on the original rows, undefined on every resample.
  std::atomic<int> calls{0};
  auto only_first = [&](const MetricInput&) -> Result<double> {
    if (calls++ == 0) return 1.0;
    return InvalidArgumentError("undefined");
  };
  auto all_skipped = BootstrapMetric(only_first, single, options);
  ASSERT_FALSE(all_skipped.ok());
  EXPECT_NE(all_skipped.status().message().find("undefined on every one of the 20 resamples"),
            std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
