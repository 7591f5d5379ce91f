// The protected-attribute check: direct use, use through derived features in
// unfitted specs and fitted pipelines, overrides.
#include "mlpipe/governance/protected_check.h"

#include <gtest/gtest.h>

#include "mlpipe/features/pipeline.h"

namespace mlpipe::governance {
namespace {

using features::FeaturePipeline;

FeaturePipeline Spec(const char* json) {
  auto parsed = core::ParseJson(json, "spec");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto p = FeaturePipeline::FromJson(*parsed);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return std::move(*p);
}

TEST(ProtectedCheckTest, DirectUseStopsTheRun) {
  auto r = CheckProtectedFeatures(nullptr, {"age", "sex", "purpose"}, {"sex"}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->uses.size(), 1u);
  EXPECT_TRUE(r->uses[0].direct);
  const Status s = r->ToStatus();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "protected column 'sex' is used as a feature (directly as a feature); remove it or "
            "run with --override protected:sex --reason TEXT");
}

TEST(ProtectedCheckTest, NoProtectedFeatureIsOk) {
  auto r = CheckProtectedFeatures(nullptr, {"age", "purpose"}, {"sex"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->uses.empty());
  EXPECT_TRUE(r->ToStatus().ok());
}

TEST(ProtectedCheckTest, ThroughDerivedFeatureInAnUnfittedSpec) {
  FeaturePipeline p = Spec(R"js([
    {"name": "expression", "output": "sex_age", "expression": "sex * age"},
    {"name": "drop", "columns": ["sex"]},
    {"name": "scale", "columns": ["age", "sex_age"]}])js");
  auto r = CheckProtectedFeatures(&p, {"age", "sex", "duration"}, {"sex"}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->uses.size(), 1u);
  EXPECT_FALSE(r->uses[0].direct);
  EXPECT_EQ(r->uses[0].feature, "sex_age");
  EXPECT_EQ(r->ToStatus().message(),
            "protected column 'sex' is used as a feature (through derived feature 'sex_age' = "
            "sex * age); remove it or run with --override protected:sex --reason TEXT");
}

TEST(ProtectedCheckTest, ThroughDerivedFeatureInAFittedPipeline) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("sex", {0, 1, 0, 1})).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("age", {30, 40, 50, 60})).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("amount", {1, 2, 3, 4})).ok());
  FeaturePipeline p = Spec(R"js([
    {"name": "expression", "output": "ratio", "expression": "amount / (1 + sex)"},
    {"name": "expression", "output": "twice", "expression": "2 * ratio"},
    {"name": "drop", "columns": ["sex", "ratio"]}])js");
  ASSERT_TRUE(p.FitTransform(t, nullptr).ok());
  // Round-trip through JSON: the check reads the fitted state.
  auto q = FeaturePipeline::FromJson(p.ToJson());
  ASSERT_TRUE(q.ok());
  auto r = CheckProtectedFeatures(&*q, t.ColumnNames(), {"sex", "age"}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->uses.size(), 2u);  // age directly; sex through twice (via ratio)
  EXPECT_EQ(r->uses[0].protected_column, "age");
  EXPECT_TRUE(r->uses[0].direct);
  EXPECT_EQ(r->uses[1].protected_column, "sex");
  EXPECT_EQ(r->uses[1].feature, "twice");
  EXPECT_EQ(r->uses[1].How(), "through derived feature 'twice' = 2 * ratio");
  const std::string msg = r->ToStatus().message();
  EXPECT_NE(msg.find("protected column 'age'"), std::string::npos);
  EXPECT_NE(msg.find("\nprotected column 'sex'"), std::string::npos);
}

TEST(ProtectedCheckTest, DroppedOrUnselectedColumnsDoNotCount) {
  FeaturePipeline drop = Spec(R"js([{"name": "drop", "columns": ["sex"]}])js");
  auto r = CheckProtectedFeatures(&drop, {"age", "sex"}, {"sex"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->uses.empty());
  FeaturePipeline select = Spec(R"js([{"name": "select", "columns": ["age"]}])js");
  r = CheckProtectedFeatures(&select, {"age", "sex"}, {"sex"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->uses.empty());
}

TEST(ProtectedCheckTest, EncodedAndPcaUses) {
  FeaturePipeline p = Spec(R"js([
    {"name": "one_hot", "columns": ["sex"]},
    {"name": "pca", "columns": ["age", "income"], "n_components": 1}])js");
  auto r = CheckProtectedFeatures(&p, {"sex", "age", "income"}, {"sex", "age"}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->uses.size(), 2u);
  EXPECT_EQ(r->uses[0].protected_column, "age");
  EXPECT_EQ(r->uses[0].feature, "pc*");
  EXPECT_EQ(r->uses[0].How(), "through derived feature 'pc*' = PCA of age, income");
  EXPECT_EQ(r->uses[1].protected_column, "sex");
  EXPECT_EQ(r->uses[1].How(), "directly as a feature");
}

TEST(ProtectedCheckTest, OverrideIsReportedNotAViolation) {
  auto r = CheckProtectedFeatures(nullptr, {"age", "sex"}, {"sex", "age"},
                                  {{"sex", "regulator-approved pricing study"}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->uses.size(), 2u);
  EXPECT_FALSE(r->uses[0].overridden);  // age
  EXPECT_TRUE(r->uses[1].overridden);   // sex
  EXPECT_EQ(r->uses[1].override_reason, "regulator-approved pricing study");
  ASSERT_EQ(r->Violations().size(), 1u);
  EXPECT_EQ(r->Violations()[0].protected_column, "age");

  auto all = CheckProtectedFeatures(nullptr, {"sex"}, {"sex"}, {{"sex", "why"}});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->ToStatus().ok());
}

TEST(ProtectedCheckTest, BadOverrides) {
  auto no_reason = CheckProtectedFeatures(nullptr, {"sex"}, {"sex"}, {{"sex", ""}});
  EXPECT_EQ(no_reason.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_reason.status().message().find("--reason"), std::string::npos);
  auto unknown = CheckProtectedFeatures(nullptr, {"sex"}, {"sex", "age"}, {{"gender", "x"}});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("protected: sex, age"), std::string::npos);
}

TEST(ProtectedCheckTest, TransformInputColumns) {
  FeaturePipeline p = Spec(R"js([
    {"name": "expression", "output": "y", "expression": "b * a + 1"},
    {"name": "one_hot"},
    {"name": "scale", "columns": ["a"]}])js");
  EXPECT_EQ(p.transform(0).InputColumns(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.transform(1).InputColumns().empty());  // resolved at fit time
  EXPECT_EQ(p.transform(2).InputColumns(), (std::vector<std::string>{"a"}));
}

}  // namespace
}  // namespace mlpipe::governance
