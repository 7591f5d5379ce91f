// The reader's JSON of runs (run_view.h): the documented shape of
// `runs show --json` and `runs compare --json` (docs/tracking.md).
#include "mlpipe/store/run_view.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mlpipe::store {
namespace {

// Inside a TEST body `Run` names testing::Test::Run.
using StoreRun = Run;

StoreRun MakeRun(const std::string& id, int64_t start_us, int64_t end_us) {
  StoreRun r;
  r.info.run_id = id;
  r.info.experiment = "train";
  r.info.status = end_us == 0 ? RunStatus::kRunning : RunStatus::kFinished;
  r.info.start_us = start_us;
  r.info.end_us = end_us;
  r.info.origin.user = "alice";
  r.info.origin.host = "build-1";
  r.info.origin.seed = 7;
  return r;
}

TEST(RunView, InfoHasIsoTimesAndNulls) {
  // datetime(2024, 1, 10, 8, 58, 12, tzinfo=timezone.utc).timestamp() == 1704877092
  StoreRun r = MakeRun("5d2c", 1704877092000000, 0);
  core::Json j = RunInfoView(r.info);
  EXPECT_EQ(j["start_time"], "2024-01-10T08:58:12Z");
  EXPECT_EQ(j["start_us"], 1704877092000000);
  EXPECT_TRUE(j["end_time"].is_null());
  EXPECT_EQ(j["end_us"], 0);
  EXPECT_EQ(j["status"], "RUNNING");
  EXPECT_TRUE(j["parent_run_id"].is_null());
  r.info.origin.parent_run_id = "beef";
  r.info.end_us = 1704877100000000;
  j = RunInfoView(r.info);
  EXPECT_EQ(j["parent_run_id"], "beef");
  EXPECT_EQ(j["end_time"], "2024-01-10T08:58:20Z");
  for (const char* key : {"run_id", "experiment", "name", "status", "start_time", "start_us",
                          "end_time", "end_us", "user", "host", "parent_run_id"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j.size(), 11u);
}

TEST(RunView, FullRun) {
  StoreRun r = MakeRun("5d2c", 1704877092000000, 1704877100000000);
  r.params = {{"seed", "7"}};
  r.tags = {{"mlpipe.command", "train"}};
  r.metrics["cv.accuracy"] = Metric{"cv.accuracy", 0.95, 0, 1704877100000000};
  r.artifacts.push_back(RunArtifact{"model.json", "3fa2", 1234});
  r.inputs.push_back(DatasetInput{"iris", 1, DatasetRole::kTrain});
  core::Json j = RunView(r);
  EXPECT_EQ(j["origin"]["seed"], 7);
  EXPECT_EQ(j["origin"]["parent_run_id"], "");
  EXPECT_EQ(j["params"]["seed"], "7");
  EXPECT_EQ(j["metrics"]["cv.accuracy"]["value"], 0.95);
  EXPECT_EQ(j["artifacts"][0]["hash"], "3fa2");
  EXPECT_EQ(j["inputs"][0]["role"], "train");
}

TEST(RunView, CompareMarksDifferencesAndMissingKeys) {
  StoreRun a = MakeRun("a", 1, 2), b = MakeRun("b", 1, 2);
  a.params = {{"seed", "1"}, {"model", "gbdt"}};
  b.params = {{"seed", "2"}, {"model", "gbdt"}};
  a.metrics["auc"] = Metric{"auc", 0.8, 0, 0};
  core::Json j = CompareRunsView({a, b});
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["params"]["seed"]["differs"], true);
  EXPECT_EQ(j["params"]["model"]["differs"], false);
  EXPECT_EQ(j["params"]["model"]["values"], core::Json({"gbdt", "gbdt"}));
  EXPECT_EQ(j["metrics"]["auc"]["values"][0], 0.8);
  EXPECT_TRUE(j["metrics"]["auc"]["values"][1].is_null());
  EXPECT_EQ(j["metrics"]["auc"]["differs"], true);
}

}  // namespace
}  // namespace mlpipe::store
