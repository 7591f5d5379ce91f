// The compiled predictor against XGBoost's own in-place prediction on every row
// of every data set: margins bit for bit, probabilities to 1e-7.
#include "mlpipe/models/tree_predictor.h"

#include <cmath>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/models/family_table.h"
#include "xgb_booster.h"

namespace mlpipe::models {
namespace {

using testing::Fixture;
using testing::LoadFixture;

// The XGBoost JSON model inside a saved tree model.
core::Json XgbJson(const Model& m) {
  auto saved = m.Save();
  EXPECT_TRUE(saved.ok());
  auto j = core::ParseJson(*saved, "saved");
  EXPECT_TRUE(j.ok());
  return (*j)["model"];
}

class TreePredictorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TreePredictorTest, EqualsXgboostOnEveryRow) {
  const Fixture& f = LoadFixture(GetParam());
  for (const std::string family : {"gbdt", "rf", "tree"}) {
    SCOPED_TRACE(family);
    FitOptions options;
    options.task = f.task;
    options.num_classes = f.task == Task::kRegression ? 0 : f.num_classes;
    options.seed = 11;
    options.nthread = 2;
    Dataset train{&f.x, f.labels, {}};
    auto m = FitModel(family, train, options);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    const core::Json json = XgbJson(**m);
    auto p = TreeEnsemblePredictor::FromXgboostJson(json);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    auto booster = XgbBooster::Load(json.dump());
    ASSERT_TRUE(booster.ok()) << booster.status().ToString();
    auto xgb_margin =
        booster->PredictDense(f.x.values.data(), f.x.rows, f.x.cols, XgbPredictType::kMargin);
    auto xgb_value =
        booster->PredictDense(f.x.values.data(), f.x.rows, f.x.cols, XgbPredictType::kValue);
    ASSERT_TRUE(xgb_margin.ok() && xgb_value.ok()) << xgb_margin.status().ToString();
    const size_t k = p->num_outputs();
    ASSERT_EQ(xgb_margin->size(), f.x.rows * k);
    std::vector<float> margin(k), value(k);
    size_t nan_rows = 0;
    for (size_t r = 0; r < f.x.rows; ++r) {
      const float* row = f.x.row(r);
      for (size_t c = 0; c < f.x.cols; ++c) nan_rows += std::isnan(row[c]) && c == 0;
      p->PredictMargin(row, margin.data());
      p->Predict(row, value.data());
      for (size_t o = 0; o < k; ++o) {
        // Bit-for-bit equal margins.
        ASSERT_EQ(std::memcmp(&margin[o], &(*xgb_margin)[r * k + o], sizeof(float)), 0)
            << "row " << r << ": " << margin[o] << " vs " << (*xgb_margin)[r * k + o];
        ASSERT_NEAR(value[o], (*xgb_value)[r * k + o], 1e-7) << "row " << r;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Datasets, TreePredictorTest,
                         ::testing::Values("credit_g", "credit_data", "iris", "cpu", "diamonds"));

TEST(TreePredictorTest, CreditDataHasMissingValuesRoutedByDefaultDirection) {
  const Fixture& f = LoadFixture("credit_data");
  size_t missing = 0;
  for (float v : f.x.values) missing += std::isnan(v);
  EXPECT_GT(missing, 100u);  // the set exercises default_left
}

TEST(TreePredictorTest, AllMissingRowFollowsDefaults) {
  const Fixture& f = LoadFixture("credit_data");
  FitOptions options;
  options.seed = 3;
  Dataset train{&f.x, f.labels, {}};
  auto m = FitModel("gbdt", train, options);
  ASSERT_TRUE(m.ok());
  const core::Json json = XgbJson(**m);
  auto p = TreeEnsemblePredictor::FromXgboostJson(json);
  auto booster = XgbBooster::Load(json.dump());
  ASSERT_TRUE(p.ok() && booster.ok());
  std::vector<float> row(f.x.cols, std::numeric_limits<float>::quiet_NaN());
  float mine = 0;
  p->PredictMargin(row.data(), &mine);
  auto theirs = booster->PredictDense(row.data(), 1, row.size(), XgbPredictType::kMargin);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(mine, (*theirs)[0]);
}

TEST(TreePredictorTest, RejectsMalformedModels) {
  EXPECT_EQ(TreeEnsemblePredictor::FromXgboostJson(core::Json::object()).status().code(),
            StatusCode::kDataLoss);
  const Fixture& f = LoadFixture("iris");
  FitOptions options;
  options.task = Task::kMulticlass;
  options.num_classes = 3;
  Dataset train{&f.x, f.labels, {}};
  auto m = FitModel("tree", train, options);
  ASSERT_TRUE(m.ok());
  core::Json json = XgbJson(**m);
  core::Json& tree = json["learner"]["gradient_booster"]["model"]["trees"][0];
  tree["left_children"][0] = 99;
  auto bad = TreeEnsemblePredictor::FromXgboostJson(json);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("trees[0]"), std::string::npos) << bad.status().message();
  json = XgbJson(**m);
  json["learner"]["objective"]["name"] = "rank:pairwise";
  auto obj = TreeEnsemblePredictor::FromXgboostJson(json);
  ASSERT_FALSE(obj.ok());
  EXPECT_NE(obj.status().message().find("rank:pairwise"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::models
