// eval::Train on real data: the held-out split, the leaderboard's order, the
// protected column kept out of the features, the written model folder
// reloading into the same predictions, determinism, and the errors.
#include "mlpipe/eval/train.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "mlpipe/core/env.h"
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

// A column with no missing value in the training rows but some in the test
// rows: the linear model sees the training median there (regression test:
// the test rows used to fail with "linear models need imputed input").
TEST(Train, LinearModelImputesTestRowsMissingWhatTrainingHad) {
  auto text =
      core::Env::Default()->ReadFile(std::string(MLPIPE_SOURCE_DIR) + "/examples/data/cpu.csv");
  ASSERT_TRUE(text.ok());
  std::vector<std::string> lines;
  for (size_t b = 0, e; b < text->size(); b = e + 1) {
    e = text->find('\n', b);
    if (e == std::string::npos) e = text->size();
    if (e > b) lines.push_back(text->substr(b, e - b));
  }
  const size_t rows = lines.size() - 1, n_train = 180;
  std::vector<double> train_myct;
  std::string blanked = lines[0] + "\n";
  for (size_t r = 0; r < rows; ++r) {
    const std::string& l = lines[r + 1];
    const size_t comma = l.find(',');
    if (r < n_train) train_myct.push_back(std::stod(l.substr(0, comma)));
    // Every third test row loses its MYCT.
    blanked += (r >= n_train && r % 3 == 0 ? l.substr(comma) : l) + "\n";
  }
  std::sort(train_myct.begin(), train_myct.end());
  const size_t m = train_myct.size();
  const double median = (train_myct[m / 2 - 1] + train_myct[m / 2]) / 2;  // m is even
  auto data = table::ReadCsvString(blanked, "cpu_blanked.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  TrainOptions o;
  o.target = "class";
  o.families = {"ridge"};
  o.search = "random:2";
  o.cv = 3;
  o.bootstrap = 20;
  for (size_t r = 0; r < rows; ++r) (r < n_train ? o.train_rows : o.test_rows).push_back(r);
  auto r = Train(*data, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const TrainEntry& best = r->best();
  // The same test rows with the training median written in: same predictions.
  std::string filled = lines[0] + "\n";
  for (size_t i = n_train; i < rows; ++i) {
    const std::string& l = lines[i + 1];
    filled += (i % 3 == 0 ? fmt::format("{}", median) + l.substr(l.find(',')) : l) + "\n";
  }
  auto test = table::ReadCsvString(filled, "cpu_filled.csv");
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  auto x = best.fitted.pipeline.ToMatrix(test->Drop({"class"}));
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  auto p = best.fitted.model->Predict(*x);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->values.size(), best.test_predictions.values.size());
  for (size_t i = 0; i < p->values.size(); ++i) {
    EXPECT_NEAR(best.test_predictions.values[i], p->values[i], 1e-9 * (1 + std::fabs(p->values[i])))
        << "test row " << i;
  }
}

// A family that fails on the data is left out with its error in "failed";
// the others are still trained. When every family fails, Train fails.
TEST(Train, OneFailedFamilyDoesNotEndTheSearch) {
  auto data = table::ReadCsvString(
      "x,y\n1,0\n2,1\n,0\n4,1\n5,0\n6,1\n7,0\n,1\n9,0\n10,1\n11,0\n12,1\n", "gaps.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  TrainOptions o;
  o.target = "y";
  o.families = {"logreg", "gbdt"};
  o.search = "random:1";
  o.cv = 2;
  o.bootstrap = 5;
  o.test_size = 0.25;
  // No imputation for logreg: its fit refuses the missing x.
  o.pipelines["logreg"] = {{"name", "feature_pipeline"},
                           {"format_version", features::FeaturePipeline::kFormatVersion},
                           {"transforms", core::Json::array()}};
  auto r = Train(*data, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->leaderboard.size(), 1u);
  EXPECT_EQ(r->best().family, "gbdt");
  ASSERT_TRUE(r->summary.contains("failed"));
  ASSERT_EQ(r->summary["failed"].size(), 1u);
  EXPECT_EQ(r->summary["failed"][0]["family"], "logreg");
  EXPECT_NE(r->summary["failed"][0]["error"].get<std::string>().find("imputed"), std::string::npos);
  o.families = {"logreg"};
  auto all = Train(*data, o);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(all.status().message().find("imputed"), std::string::npos);
}

// inf in a feature is refused, the first one named with its row.
TEST(Train, InfiniteFeatureValueIsRefusedNamingTheRow) {
  auto data = table::ReadCsvString(
      "x,z,y\n1,1,0\n2,2,1\n3,3,0\n4,-inf,1\n5,5,0\n6,inf,1\n7,7,0\n8,8,1\n", "inf.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->column(1).type(), table::DataType::kFloat64);
  TrainOptions o;
  o.target = "y";
  o.families = {"gbdt"};
  o.search = "random:1";
  o.cv = 2;
  auto r = Train(*data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("data row 3: column 'z' is -inf (2 infinite values"),
            std::string::npos)
      << r.status().message();
  o.describe_row = [](size_t row) { return fmt::format("inf.csv:{}", row + 2); };
  r = Train(*data, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("inf.csv:5: column 'z'"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace mlpipe::eval
