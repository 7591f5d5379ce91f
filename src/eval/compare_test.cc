#include "mlpipe/eval/compare.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"
#include "mlpipe/core/thread_pool.h"

namespace mlpipe::eval {
namespace {

using testing::ForEachCase;
using testing::Ints;
using testing::LoadClassification;

TEST(McNemarTest, MatchesStatsmodelsFormulas) {
  const core::Json fixture = testing::LoadFixture("compare");
  ASSERT_TRUE(fixture.contains("cases"));
  ForEachCase(fixture, "cases", 2, [&](const core::Json& c) {
    const auto y = Ints(c["labels"]), a = Ints(c["a"]), b = Ints(c["b"]);
    auto r = McNemar(y, a, b);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->a_only_correct, c["a_only_correct"].get<int64_t>());
    EXPECT_EQ(r->b_only_correct, c["b_only_correct"].get<int64_t>());
    EXPECT_EQ(r->exact_statistic, c["exact_statistic"].get<double>());
    EXPECT_REL(r->exact_p_value, c["exact_p_value"].get<double>(), 1e-12);
    EXPECT_REL(r->chi2_statistic, c["chi2_statistic"].get<double>(), 1e-12);
    EXPECT_REL(r->chi2_p_value, c["chi2_p_value"].get<double>(), 1e-12);
    EXPECT_EQ(r->exact_recommended, r->a_only_correct + r->b_only_correct < 25);
  });
}

TEST(McNemarTest, NoDiscordantRowsAndErrors) {
  const std::vector<int32_t> y = {0, 1, 1}, a = {0, 1, 0};
  auto r = McNemar(y, a, a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exact_p_value, 1.0);
  EXPECT_EQ(r->chi2_p_value, 1.0);
  EXPECT_EQ(r->chi2_statistic, 0.0);
  const std::vector<int32_t> short_b = {0};
  EXPECT_NE(McNemar(y, a, short_b).status().message().find("predicted_b: length 1"),
            std::string::npos);
  EXPECT_NE(McNemar({}, {}, {}).status().message().find("labels: empty"), std::string::npos);
}

TEST(PairedBootstrapTest, CreditModelsAucDifference) {
  const auto cases = LoadClassification("binary");
  ASSERT_EQ(cases.size(), 2u);
  stats::BootstrapOptions options;
  options.resamples = 400;
  options.seed = 5;
  auto d = PairedBootstrap("roc_auc", cases[0].Input(), cases[1].Input(), options);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_REL(d->estimate_a, cases[0].json["metrics"]["roc_auc"].get<double>(), 1e-9);
  EXPECT_REL(d->estimate_b, cases[1].json["metrics"]["roc_auc"].get<double>(), 1e-9);
  EXPECT_EQ(d->difference, d->estimate_b - d->estimate_a);
  EXPECT_LE(d->low, d->difference);
  EXPECT_GE(d->high, d->difference);
  EXPECT_GT(d->p_value, 0.0);
  EXPECT_LE(d->p_value, 1.0);
  EXPECT_EQ(d->resamples_used + d->resamples_skipped, 400);
  // The p-value is below 0.05 exactly when the 95% interval excludes 0
  // (up to the +1 correction at the boundary).
  if (d->low > 0 || d->high < 0) {
    EXPECT_LT(d->p_value, 0.06);
  }
  if (d->low < 0 && d->high > 0) {
    EXPECT_GT(d->p_value, 0.04);
  }
  // Thread count does not matter.
  core::ThreadPool pool(3);
  options.pool = &pool;
  auto again = PairedBootstrap("roc_auc", cases[0].Input(), cases[1].Input(), options);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->low, d->low);
  EXPECT_EQ(again->high, d->high);
  EXPECT_EQ(again->p_value, d->p_value);
}

TEST(PairedBootstrapTest, IdenticalModelsAndClearWinner) {
  const auto cases = LoadClassification("multiclass");
  ASSERT_EQ(cases.size(), 2u);
  stats::BootstrapOptions options;
  options.resamples = 300;
  auto same = PairedBootstrap("accuracy", cases[0].Input(), cases[0].Input(), options);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->difference, 0.0);
  EXPECT_EQ(same->low, 0.0);
  EXPECT_EQ(same->high, 0.0);
  EXPECT_EQ(same->p_value, 1.0);
  // All four iris features beat the two sepal features by 20 points of accuracy.
  auto better = PairedBootstrap("accuracy", cases[0].Input(), cases[1].Input(), options);
  ASSERT_TRUE(better.ok());
  EXPECT_GT(better->low, 0.0);
  EXPECT_DOUBLE_EQ(better->p_value, 2.0 / 301);  // no resample with d <= 0
}

TEST(PairedBootstrapTest, TruthMustMatch) {
  const auto bin = LoadClassification("binary");
  ASSERT_EQ(bin.size(), 2u);
  MetricInput a = bin[0].Input(), b = bin[1].Input();
  std::vector<int32_t> other = bin[1].labels;
  other[0] = 1 - other[0];
  b.labels = other;
  auto r = PairedBootstrap("accuracy", a, b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("labels differ"), std::string::npos);
  EXPECT_NE(PairedBootstrap("nope", a, a).status().message().find("unknown metric 'nope'"),
            std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
