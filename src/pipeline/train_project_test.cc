// TrainAndRecord (train_project.h): a training inside a project versions its
// data, records a FINISHED run with the bundle as an artifact and writes the
// files; a failing one leaves a FAILED run; outside a project nothing is recorded.
#include "mlpipe/pipeline/train_project.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/sha256.h"

namespace mlpipe::pipeline {
namespace {

namespace fs = std::filesystem;

class TrainProject : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() /
            ("mlpipe_train_project_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    data_ = dir_ + "/iris data.csv";
    fs::copy_file(std::string(MLPIPE_SOURCE_DIR) + "/examples/data/iris.csv", data_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TrainRequest Request() const {
    TrainRequest r;
    r.options.data = data_;
    r.options.target = "class";
    r.options.families = {"logreg"};
    r.options.search = "random:2";
    r.options.cv = 2;
    r.options.seed = 4;
    r.options.bootstrap = 10;
    r.bundle_path = dir_ + "/out/model.mlpb";
    r.predictions_path = dir_ + "/pred.csv";
    r.command_line = "mlpipe train --data iris.csv";
    return r;
  }

  core::Env* env_ = core::Env::Default();
  std::string dir_, data_;
};

TEST_F(TrainProject, RecordsTheRunInsideAProject) {
  fs::create_directories(dir_ + "/.mlpipe");
  auto stores = OpenTrackingStores(env_, dir_, "", "");
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  ASSERT_TRUE(stores->has_value());
  fs::create_directories(dir_ + "/out");
  auto out = TrainAndRecord(env_, Request(), &**stores);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->data_version, "iris-data@1");
  EXPECT_EQ(out->result.summary["run_id"], out->run_id);
  EXPECT_EQ(out->result.summary["data_version"], "iris-data@1");

  auto run = (*stores)->meta->GetRun(out->run_id);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->info.status, store::RunStatus::kFinished);
  EXPECT_EQ(run->info.experiment, "train");
  EXPECT_EQ(run->info.origin.command, "mlpipe train --data iris.csv");
  // The data set is the run's input twice: its training and its test part.
  ASSERT_EQ(run->inputs.size(), 2u);
  for (const auto& in : run->inputs) EXPECT_EQ(in.dataset, "iris-data");
  EXPECT_NE(run->inputs[0].role, run->inputs[1].role);
  for (const auto& in : run->inputs) {
    EXPECT_TRUE(in.role == store::DatasetRole::kTrain || in.role == store::DatasetRole::kTest);
  }
  // The bundle written is the run's artifact model.mlpb, byte for byte.
  auto written = env_->ReadFile(dir_ + "/out/model.mlpb");
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, out->bundle);
  bool logged = false;
  for (const auto& a : run->artifacts) {
    if (a.path == "model.mlpb") {
      logged = true;
      EXPECT_EQ(a.object_hash, core::Sha256Hex(*written));
    }
  }
  EXPECT_TRUE(logged);
  auto b = bundle::DecodeBundle(*written, "model.mlpb");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->lineage["run_id"], out->run_id);
  EXPECT_EQ(b->lineage["data_version"], "iris-data@1");
  EXPECT_TRUE(fs::exists(dir_ + "/pred.csv"));
}

TEST_F(TrainProject, FailedTrainingLeavesAFailedRunAndNoFiles) {
  auto stores = OpenTrackingStores(env_, dir_, dir_, "");  // --project names it
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  ASSERT_TRUE(stores->has_value());
  TrainRequest r = Request();
  r.options.target = "no_such_column";
  auto out = TrainAndRecord(env_, r, &**stores);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  store::RunQuery q;
  auto page = (*stores)->meta->SearchRuns(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->runs[0].status, store::RunStatus::kFailed);
  EXPECT_FALSE(fs::exists(dir_ + "/pred.csv"));
}

TEST_F(TrainProject, OutsideAProjectNothingIsRecorded) {
  auto stores = OpenTrackingStores(env_, dir_, "", "");
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  EXPECT_FALSE(stores->has_value());
  TrainRequest r = Request();
  r.bundle_path = dir_ + "/model.mlpb";
  auto out = TrainAndRecord(env_, r, nullptr);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->run_id.empty());
  EXPECT_FALSE(out->result.summary.contains("run_id"));
  EXPECT_FALSE(fs::exists(dir_ + "/.mlpipe"));
  auto b = bundle::DecodeBundle(*env_->ReadFile(dir_ + "/model.mlpb"), "model.mlpb");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_FALSE(b->lineage.contains("run_id"));
}

TEST(DefaultDataName, StemWithUnsafeCharactersReplaced) {
  EXPECT_EQ(DefaultDataName("/x/credit-g.csv"), "credit-g");
  EXPECT_EQ(DefaultDataName("iris data.v2.csv"), "iris-data.v2");
  EXPECT_EQ(DefaultDataName("_hidden.csv"), "data_hidden");
  EXPECT_EQ(DefaultDataName(".csv"), "data.csv");
  EXPECT_EQ(DefaultDataName("noext"), "noext");
}

}  // namespace
}  // namespace mlpipe::pipeline
