#include "mlpipe/eval/ranking.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

using testing::LoadClassification;
using testing::LoadFixture;

TEST(RankingTest, RocAucAndAveragePrecisionMatchSklearn) {
  for (const auto& c : LoadClassification("binary")) {
    for (bool weighted : {false, true}) {
      SCOPED_TRACE(c.model + (weighted ? " weighted" : ""));
      const auto& expected = c.json[weighted ? "weighted_metrics" : "metrics"];
      auto auc = RocAuc(c.Input(weighted));
      ASSERT_TRUE(auc.ok()) << auc.status().ToString();
      EXPECT_REL(*auc, expected["roc_auc"].get<double>(), 1e-9);
      auto ap = AveragePrecision(c.Input(weighted));
      ASSERT_TRUE(ap.ok()) << ap.status().ToString();
      EXPECT_REL(*ap, expected["average_precision"].get<double>(), 1e-9);
    }
  }
}

TEST(RankingTest, MulticlassOvrAucMatchesSklearn) {
  const auto cases = LoadClassification("multiclass");
  ASSERT_EQ(cases.size(), 2u);
  for (const auto& c : cases) {
    for (bool weighted : {false, true}) {
      auto auc = RocAuc(c.Input(weighted));
      ASSERT_TRUE(auc.ok()) << auc.status().ToString();
      EXPECT_REL(*auc, c.json[weighted ? "weighted_metrics" : "metrics"]["roc_auc"].get<double>(),
                 1e-9);
    }
    // Binary-only metrics refuse multiclass input.
    EXPECT_FALSE(AveragePrecision(c.Input()).ok());
    EXPECT_FALSE(KsStatistic(c.Input()).ok());
    EXPECT_FALSE(Lift(c.Input()).ok());
  }
}

TEST(RankingTest, KsAndLiftMatchScipyAndPandas) {
  const core::Json fixture = LoadFixture("binary");
  for (const auto& c : LoadClassification("binary")) {
    SCOPED_TRACE(c.model);
    MetricInput in = c.Input();
    in.lift_fraction = fixture["lift_fraction"].get<double>();
    auto ks = KsStatistic(in);
    ASSERT_TRUE(ks.ok());
    EXPECT_REL(*ks, c.json["metrics"]["ks"].get<double>(), 1e-12);
    auto lift = Lift(in);
    ASSERT_TRUE(lift.ok());
    EXPECT_REL(*lift, c.json["metrics"]["lift"].get<double>(), 1e-12);

    auto table = LiftTable(in, 10);
    ASSERT_TRUE(table.ok());
    const auto& expected = c.json["lift_table"];
    ASSERT_EQ(table->size(), expected.size());
    for (size_t d = 0; d < table->size(); ++d) {
      const auto& row = (*table)[d];
      const auto& e = expected[d];
      EXPECT_EQ(row.count, e["count"].get<size_t>()) << d;
      EXPECT_EQ(row.positives, e["positives"].get<size_t>()) << d;
      EXPECT_EQ(row.min_score, e["min_score"].get<double>()) << d;
      EXPECT_EQ(row.max_score, e["max_score"].get<double>()) << d;
      EXPECT_REL(row.lift, e["lift"].get<double>(), 1e-12);
      EXPECT_REL(row.cumulative_gain, e["cumulative_gain"].get<double>(), 1e-12);
      EXPECT_REL(row.cumulative_lift, e["cumulative_lift"].get<double>(), 1e-12);
    }
    EXPECT_EQ(table->back().cumulative_gain, 1.0);
  }
}

TEST(RankingTest, TiedScoresAreGrouped) {
  // Every score tied: AUC 0.5 (sklearn), AP = positive rate, KS 0.
  const std::vector<int32_t> y = {0, 1, 0, 1, 1};
  const std::vector<double> s = {0.3, 0.3, 0.3, 0.3, 0.3};
  MetricInput in;
  in.labels = y;
  in.probabilities = s;
  EXPECT_DOUBLE_EQ(*RocAuc(in), 0.5);
  EXPECT_DOUBLE_EQ(*AveragePrecision(in), 0.6);
  EXPECT_DOUBLE_EQ(*KsStatistic(in), 0.0);
  // Scores need not be probabilities for ranking metrics.
  const std::vector<double> raw = {-3, 2, -1, 5, 7};
  in.probabilities = raw;
  EXPECT_DOUBLE_EQ(*RocAuc(in), 1.0);
}

TEST(RankingTest, OneClassIsAnError) {
  const std::vector<int32_t> y = {1, 1, 1};
  const std::vector<double> s = {0.2, 0.5, 0.9};
  MetricInput in;
  in.labels = y;
  in.probabilities = s;
  auto auc = RocAuc(in);
  ASSERT_FALSE(auc.ok());
  EXPECT_EQ(auc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(auc.status().message().find("roc_auc: labels: only one class present (1)"),
            std::string::npos);
  EXPECT_FALSE(KsStatistic(in).ok());
  EXPECT_TRUE(AveragePrecision(in).ok());  // defined without negatives: AP = 1
  EXPECT_DOUBLE_EQ(*AveragePrecision(in), 1.0);
  const std::vector<int32_t> zeros = {0, 0, 0};
  in.labels = zeros;
  EXPECT_NE(AveragePrecision(in).status().message().find("no positive rows"), std::string::npos);
  EXPECT_FALSE(Lift(in).ok());
  // Multiclass: a class missing from the labels.
  const std::vector<int32_t> y3 = {0, 1, 0, 1};
  const std::vector<double> p3 = {.5, .3, .2, .1, .8, .1, .6, .2, .2, .3, .4, .3};
  in.labels = y3;
  in.probabilities = p3;
  in.num_classes = 3;
  EXPECT_NE(RocAuc(in).status().message().find("class 2 has no rows"), std::string::npos);
}

TEST(RankingTest, RejectsBadInput) {
  const std::vector<int32_t> y = {0, 1};
  const std::vector<double> nan = {0.1, std::numeric_limits<double>::quiet_NaN()};
  const std::vector<double> w = {1, 2};
  MetricInput in;
  in.labels = y;
  in.probabilities = nan;
  EXPECT_NE(RocAuc(in).status().message().find("probabilities[1]: not finite"), std::string::npos);
  const std::vector<double> ok = {0.1, 0.9};
  in.probabilities = ok;
  in.weights = w;
  EXPECT_NE(KsStatistic(in).status().message().find("weights: sample weights are not supported"),
            std::string::npos);
  in.weights = {};
  in.lift_fraction = 0;
  EXPECT_NE(Lift(in).status().message().find("lift_fraction"), std::string::npos);
  EXPECT_FALSE(LiftTable(in, 0).ok());
  // Multiclass probabilities must sum to 1 for one-vs-rest AUC.
  const std::vector<int32_t> y3 = {0, 1, 2};
  const std::vector<double> p3 = {.5, .3, .2, .1, .8, .1, .6, .2, .1};
  in.labels = y3;
  in.probabilities = p3;
  in.num_classes = 3;
  EXPECT_NE(RocAuc(in).status().message().find("row 2 sums to"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
