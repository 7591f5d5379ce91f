// FeaturePipeline: specs, the default pipeline, the matrix, determinism.
#include <chrono>
#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "mlpipe/features/default_pipeline.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

using ::testing::HasSubstr;

TEST(FeaturePipeline, MatrixConvertsTypesAndMissing) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(table::Column::Bool("b", {1, 0, 1}, {1, 1, 0})).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("i", {5, -2, 7})).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("f", {0.25, 0, 1e10}, {1, 0, 1})).ok());
  auto m = FeaturePipeline::TableToMatrix(t);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->rows, 3u);
  EXPECT_EQ(m->cols, 3u);
  EXPECT_EQ(m->names, (std::vector<std::string>{"b", "i", "f"}));
  EXPECT_EQ(m->at(0, 0), 1.0f);
  EXPECT_EQ(m->at(1, 0), 0.0f);
  EXPECT_TRUE(std::isnan(m->at(2, 0)));
  EXPECT_EQ(m->at(1, 1), -2.0f);
  EXPECT_EQ(m->at(0, 2), 0.25f);
  EXPECT_TRUE(std::isnan(m->at(1, 2)));
  EXPECT_EQ(m->at(2, 2), 1e10f);
}

TEST(FeaturePipeline, SpecObjectAndOrderOfSteps) {
  const auto t = testing::MixedTable(300, 4);
  auto p = FeaturePipeline::FromJson(core::Json::parse(R"({
    "name": "feature_pipeline", "format_version": 1, "seed": 5,
    "transforms": [
      {"name": "impute", "columns": ["x"], "strategy": "median", "add_indicator": true},
      {"name": "expression", "output": "xz", "expression": "x * z"},
      {"name": "one_hot", "columns": ["color"], "handle_unknown": "ignore"},
      {"name": "scale", "columns": ["x", "xz"]},
      {"name": "drop", "columns": ["note", "city"]}
    ]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->seed(), 5u);
  auto out = p->FitTransform(t, t.FindColumn("y"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->ColumnNames(),
            (std::vector<std::string>{"x", "x_missing", "z", "n", "b", "color=blue", "color=green",
                                      "color=red", "color=teal", "xz"}));
  EXPECT_EQ(out->FindColumn("x")->null_count(), 0u);  // imputed before the expression
  EXPECT_EQ(out->FindColumn("xz")->null_count(), 0u);
  auto m = p->ToMatrix(t);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->cols, 10u);
  for (float v : m->values) EXPECT_FALSE(std::isnan(v));
}

TEST(FeaturePipeline, SameDataAndSeedGiveIdenticalOutput) {
  const auto t = testing::MixedTable(2000, 8);
  auto run = [&] {
    auto p = InferDefaultPipeline(t, t.FindColumn("y"), {.scale = true, .seed = 4});
    EXPECT_TRUE(p.ok());
    auto out = p->FitTransform(t, t.FindColumn("y"));
    EXPECT_TRUE(out.ok());
    return std::make_pair(p->ToJson().dump(), std::move(*out));
  };
  auto [j1, t1] = run();
  auto [j2, t2] = run();
  EXPECT_EQ(j1, j2);
  EXPECT_TRUE(t1.Equals(t2));
}

TEST(DefaultPipeline, CreditData) {
  // credit_data has missing values in numeric and text columns.
  const auto& data = testing::ExampleData("credit_data.csv");
  const auto train = testing::Rows(data, 0, 3000);
  const auto test = testing::Rows(data, 3000, data.num_rows());
  const table::Column* target = train.FindColumn("Status");
  ASSERT_NE(target, nullptr);
  auto p = InferDefaultPipeline(train, target, {.scale = true, .seed = 1});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const core::Json spec = p->ToJson();
  EXPECT_THAT(spec.dump(), HasSubstr("\"median\""));
  EXPECT_THAT(spec.dump(), HasSubstr("\"one_hot\""));
  EXPECT_THAT(spec.dump(), HasSubstr("\"scale\""));
  auto out = p->FitTransform(train, target);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->FindColumn("Income_missing"), nullptr);
  EXPECT_EQ(out->FindColumn("Status"), nullptr);
  auto m = p->ToMatrix(test);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->rows, test.num_rows());
  for (float v : m->values) ASSERT_FALSE(std::isnan(v));
  // Standard-scaled training columns have mean ~0 and std ~1.
  const auto& age = out->FindColumn("Age")->float64s();
  double mean = 0;
  for (double v : age) mean += v;
  EXPECT_NEAR(mean / static_cast<double>(age.size()), 0.0, 1e-9);
}

TEST(DefaultPipeline, HighCardinalityUsesTargetOrHashing) {
  const auto t = testing::MixedTable(1000, 3);
  DefaultPipelineOptions opts;
  opts.max_one_hot = 10;  // city has 40 values
  auto with_target = InferDefaultPipeline(t, t.FindColumn("y"), opts);
  ASSERT_TRUE(with_target.ok());
  EXPECT_THAT(with_target->ToJson().dump(), HasSubstr("target_encode"));
  EXPECT_THAT(with_target->ToJson().dump(), ::testing::Not(HasSubstr("\"scale\"")));
  auto without = InferDefaultPipeline(t.Drop({"y"}), nullptr, opts);
  ASSERT_TRUE(without.ok());
  EXPECT_THAT(without->ToJson().dump(), HasSubstr("\"hash\""));
  auto out = without->FitTransform(t.Drop({"y"}), nullptr);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(FeaturePipeline::TableToMatrix(*out).ok());
}

}  // namespace
}  // namespace mlpipe::features
