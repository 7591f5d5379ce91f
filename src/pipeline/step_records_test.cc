// The steps' summaries read back exactly as written, and a summary of another
// shape is refused with the key at fault.
#include "step_records.h"

#include <gtest/gtest.h>

namespace mlpipe::pipeline::internal {
namespace {

core::Json Parse(const char* text) {
  auto j = core::ParseJson(text, "test");
  EXPECT_TRUE(j.ok()) << j.status().ToString();
  return *j;
}

// As the train step writes it (nulls where a figure was undefined).
const char* kTrain = R"({
  "best": "gbdt", "metrics": ["roc_auc"], "fit_seconds": 1.5, "bundle_bytes": 1234,
  "trials": 4, "_run_id": "r1",
  "leaderboard": [{
    "family": "gbdt", "params": {"max_depth": 4.0, "penalty": "l2"}, "trials": 2,
    "cv": {"roc_auc": {"mean": 0.75, "std": 0.02}},
    "test": {"roc_auc": {"value": 0.77, "ci_low": 0.7, "ci_high": null, "confidence": 0.95}},
    "fairness": {"sex": {"demographic_parity_ratio": null, "equalized_odds_difference": 0.1,
                         "groups": 2}}}]})";

TEST(StepRecordsTest, TrainSummaryRoundTrips) {
  core::Json j = Parse(kTrain);
  auto s = TrainSummary::FromJson(j);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->leaderboard[0].test.at("roc_auc").value, 0.77);
  EXPECT_FALSE(s->leaderboard[0].test.at("roc_auc").ci_high.has_value());
  j.erase("_run_id");  // added by the runner, not part of the record
  EXPECT_EQ(s->ToJson().dump(), j.dump());
}

TEST(StepRecordsTest, MissingAndMistypedKeysAreNamed) {
  core::Json j = Parse(kTrain);
  j["leaderboard"][0].erase("family");
  auto missing = TrainSummary::FromJson(j, "train summary");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "train summary.leaderboard[0].family: missing required key");

  j = Parse(kTrain);
  j["trials"] = "4";
  EXPECT_EQ(TrainSummary::FromJson(j).status().message(),
            "trials: expected an integer, found string");

  j = Parse(kTrain);
  j["leaderboard"][0]["cv"]["roc_auc"]["mean"] = "high";
  EXPECT_EQ(TrainSummary::FromJson(j).status().message(),
            "leaderboard[0].cv.roc_auc.mean: expected a number or null, found string");

  j = Parse(kTrain);
  j["leaderboard"][0]["params"]["max_depth"] = core::Json::array();
  EXPECT_EQ(TrainSummary::FromJson(j).status().message(),
            "leaderboard[0].params.max_depth: expected a number or a string, found array");

  EXPECT_EQ(TrainSummary::FromJson(core::Json::array()).status().message(),
            "expected an object, found array");
}

TEST(StepRecordsTest, EvaluateSummaryKeepsFailedMetricsAndNulls) {
  core::Json j = Parse(R"({
    "test_rows": 250,
    "kpis": [{"metric": "roc_auc", "value": 0.8, "ci_low": 0.75, "ci_high": 0.85,
              "confidence": 0.95, "constraints": ["roc_auc >= 0.6"], "passed": true}],
    "fairness": [{"metric": "demographic_parity_difference", "column": "sex",
                  "constraint": "demographic_parity_difference <= 0.5", "passed": false,
                  "error": "one group only"}],
    "groups": {"sex": [{"group": "f", "count": 10, "selection_rate": 0.5, "tpr": null,
                        "fpr": 0.25, "four_fifths_flag": false}]},
    "latency": {"rows": 200, "p50_ms": 0.1, "p99_ms": 0.3, "budget_ms": 50.0, "passed": true}})");
  auto s = EvaluateSummary::FromJson(j);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE(s->fairness[0].estimate.has_value());
  EXPECT_EQ(s->fairness[0].error, "one group only");
  EXPECT_EQ(s->ToJson().dump(), j.dump());

  // A fairness entry with neither an estimate nor an error is not one the step writes.
  j["fairness"][0].erase("error");
  EXPECT_EQ(EvaluateSummary::FromJson(j).status().message(),
            "fairness[0].value: missing required key (nor is there an error)");
}

TEST(StepRecordsTest, CompareSummaryWithAndWithoutChampion) {
  core::Json none =
      Parse(R"({"champion": null, "passed": true, "evidence": "nothing to beat", "margin": 0.0})");
  auto a = CompareSummary::FromJson(none);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->champion.has_value());
  EXPECT_EQ(a->ToJson().dump(), none.dump());

  core::Json some = Parse(R"({"champion": "m@1", "passed": false, "evidence": "e",
    "margin": 0.01, "metric": "roc_auc", "champion_value": 0.7, "challenger_value": 0.72,
    "gain": 0.02, "gain_ci": [-0.01, 0.05], "p_value": 0.2})");
  auto b = CompareSummary::FromJson(some);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->ToJson().dump(), some.dump());
  some["gain_ci"] = {0.1};
  EXPECT_EQ(CompareSummary::FromJson(some).status().message(),
            "gain_ci: expected [low, high], found 1 values");
}

}  // namespace
}  // namespace mlpipe::pipeline::internal
