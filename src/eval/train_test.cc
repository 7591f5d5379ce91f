// eval::Train on real data: the held-out split, the leaderboard's order, the
// protected column kept out of the features, the written model folder
// reloading into the same predictions, determinism, and the errors.
#include "mlpipe/eval/train.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "mlpipe/features/pipeline.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::eval {
namespace {

table::Table Load(const std::string& name) {
  auto t = table::ReadCsv(core::Env::Default(),
                          std::string(MLPIPE_SOURCE_DIR) + "/examples/data/" + name);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return std::move(t).value();
}

TrainOptions CreditOptions() {
  TrainOptions o;
  o.data = "credit_data.csv";
  o.target = "Status";
  o.positive = "bad";
  o.families = {"logreg", "gbdt"};
  o.search = "random:3";
  o.cv = 3;
  o.metrics = {"roc_auc", "accuracy"};
  o.protected_columns = {"Marital"};
  o.seed = 7;
  o.bootstrap = 50;
  return o;
}

class TrainCredit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new table::Table(Load("credit_data.csv"));
    auto r = Train(*data_, CreditOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    result_ = new TrainResult(std::move(r).value());
  }
  static void TearDownTestSuite() {
    delete result_;
    delete data_;
  }
  static table::Table* data_;
  static TrainResult* result_;
};
table::Table* TrainCredit::data_ = nullptr;
TrainResult* TrainCredit::result_ = nullptr;

TEST_F(TrainCredit, SplitIsDisjointAndCoversEveryRow) {
  const auto& r = *result_;
  std::set<size_t> all(r.train_rows.begin(), r.train_rows.end());
  for (size_t i : r.test_rows) EXPECT_TRUE(all.insert(i).second) << "row " << i << " in both";
  EXPECT_EQ(all.size(), data_->num_rows());
  EXPECT_NEAR(static_cast<double>(r.test_rows.size()) / data_->num_rows(), 0.2, 0.01);
  EXPECT_TRUE(std::is_sorted(r.test_rows.begin(), r.test_rows.end()));
  EXPECT_EQ(r.target.classes, (std::vector<std::string>{"good", "bad"}));
}

TEST_F(TrainCredit, LeaderboardSortedByCvScoreWithEveryFamily) {
  const auto& board = result_->leaderboard;
  ASSERT_EQ(board.size(), 2u);
  std::set<std::string> families;
  for (size_t i = 0; i < board.size(); ++i) {
    families.insert(board[i].family);
    EXPECT_EQ(board[i].search.trials.size(), 3u);
    if (i > 0) {
      EXPECT_GE(board[i - 1].json["cv"]["roc_auc"]["mean"].get<double>(),
                board[i].json["cv"]["roc_auc"]["mean"].get<double>());
    }
    const auto& test = board[i].json["test"]["roc_auc"];
    EXPECT_LE(test["ci_low"].get<double>(), test["value"].get<double>());
    EXPECT_GE(test["ci_high"].get<double>(), test["value"].get<double>());
    EXPECT_GT(test["value"].get<double>(), 0.75);  // credit_data is learnable
  }
  EXPECT_EQ(families, (std::set<std::string>{"logreg", "gbdt"}));
}

TEST_F(TrainCredit, ProtectedColumnIsNotAFeatureButHasFairness) {
  for (const auto& e : result_->leaderboard) {
    for (const auto& name : e.fitted.model->feature_names()) {
      EXPECT_EQ(name.find("Marital"), std::string::npos) << e.family << " uses " << name;
    }
    ASSERT_TRUE(e.json["fairness"].contains("Marital")) << e.json["fairness"].dump();
  }
}

TEST_F(TrainCredit, WrittenFolderReloadsIntoTheSamePredictions) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(WriteTrainOutput(env.get(), "/out", *result_).ok());
  auto model_bytes = env->ReadFile("/out/model.json");
  auto feature_bytes = env->ReadFile("/out/features.json");
  ASSERT_TRUE(model_bytes.ok() && feature_bytes.ok());
  auto model = models::LoadModel(*model_bytes);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto spec = core::ParseJson(*feature_bytes, "features.json");
  ASSERT_TRUE(spec.ok());
  auto pipeline = features::FeaturePipeline::FromJson(*spec);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();

  auto x = pipeline->ToMatrix(data_->Take(result_->test_rows));
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  auto pred = (*model)->Predict(*x);
  ASSERT_TRUE(pred.ok());
  const auto& want = result_->best().test_predictions.probabilities;
  ASSERT_EQ(pred->probabilities.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(pred->probabilities[i], want[i]) << i;

  auto metrics = env->ReadFile("/out/metrics.json");
  ASSERT_TRUE(metrics.ok());
  auto summary = core::ParseJson(*metrics, "metrics.json");
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ((*summary)["best"]["family"], result_->best().family);
}

TEST_F(TrainCredit, SameSeedSameResult) {
  auto again = Train(*data_, CreditOptions());
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->leaderboard.size(), result_->leaderboard.size());
  for (size_t i = 0; i < again->leaderboard.size(); ++i) {
    const auto& a = again->leaderboard[i];
    const auto& b = result_->leaderboard[i];
    EXPECT_EQ(a.family, b.family);
    EXPECT_EQ(a.json["params"], b.json["params"]);
    EXPECT_EQ(a.json["test"], b.json["test"]);
    EXPECT_EQ(*a.fitted.model->Save(), *b.fitted.model->Save());
  }
}

TEST(Train, ErrorsNameWhatIsWrong) {
  const table::Table data = Load("credit_data.csv");
  auto expect_error = [&](TrainOptions o, const std::string& fragment) {
    auto r = Train(data, o);
    ASSERT_FALSE(r.ok()) << "expected an error containing " << fragment;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  TrainOptions o = CreditOptions();
  o.target = "Nope";
  expect_error(o, "Nope");
  o = CreditOptions();
  o.families = {"gbdt", "svm"};
  expect_error(o, "logreg");  // the valid families are listed
  o = CreditOptions();
  o.search = "random:zero";
  expect_error(o, "random:zero");
  o = CreditOptions();
  o.protected_columns = {"Gender"};
  expect_error(o, "Gender");
  o = CreditOptions();
  o.positive = "ugly";
  expect_error(o, "ugly");
}

TEST(Train, RegressionOnCpu) {
  const table::Table data = Load("cpu.csv");
  TrainOptions o;
  o.target = "class";
  o.families = {"ridge"};
  o.search = "random:2";
  o.cv = 3;
  o.seed = 1;
  o.bootstrap = 20;
  auto r = Train(data, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->target.task, models::Task::kRegression);
  EXPECT_EQ(r->best().test_predictions.values.size(), r->test_rows.size());
  EXPECT_TRUE(r->summary["leaderboard"].is_array());
}

}  // namespace
}  // namespace mlpipe::eval
