// Errors name what is at fault: the transform, the column, its type, the
// valid choices.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "mlpipe/features/pipeline.h"

namespace mlpipe::features {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Status FitOne(const core::Json& spec, const table::Table& t) {
  auto p = FeaturePipeline::FromJson(core::Json::array({spec}));
  if (!p.ok()) return p.status();
  return p->FitTransform(t, t.FindColumn("y")).status();
}

TEST(TransformErrors, UnknownNameListsValidOnes) {
  auto t = CreateTransform("standardise");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(),
              AllOf(HasSubstr("standardise"), HasSubstr("one_hot"), HasSubstr("target_encode")));
  auto p = FeaturePipeline::FromJson(core::Json::parse(R"([{"name": "scale"}, {"name": "x"}])"));
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("transforms[1]"));
}

TEST(TransformErrors, MissingColumnNamesTransformAndColumn) {
  const auto t = testing::MixedTable(50, 1);
  Status s = FitOne({{"name", "scale"}, {"columns", {"nope"}}}, t);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("scale"), HasSubstr("'nope'"), HasSubstr("color")));
}

TEST(TransformErrors, WrongTypeNamesTransformColumnAndType) {
  const auto t = testing::MixedTable(50, 1);
  Status s = FitOne({{"name", "scale"}, {"columns", {"color"}}}, t);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("scale"), HasSubstr("'color'"), HasSubstr("categorical"),
                                 HasSubstr("one_hot")));
  s = FitOne({{"name", "impute"}, {"columns", {"note"}}, {"strategy", "median"}}, t);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("impute"), HasSubstr("'note'"), HasSubstr("string")));
  s = FitOne({{"name", "pca"}, {"columns", {"city"}}}, t);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("pca"), HasSubstr("'city'"), HasSubstr("categorical")));
}

TEST(TransformErrors, UnknownParameterListsValidKeys) {
  auto t = TransformFromJson({{"name", "scale"}, {"methd", "minmax"}}, "transforms[0]");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(),
              AllOf(HasSubstr("transforms[0]"), HasSubstr("'methd'"), HasSubstr("method")));
  auto u = TransformFromJson({{"name", "scale"}, {"method", "zscore"}}, "transforms[0]");
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(), AllOf(HasSubstr("zscore"), HasSubstr("robust")));
}

TEST(TransformErrors, MatrixRefusesUnencodedText) {
  const auto t = testing::MixedTable(50, 1);
  auto p = FeaturePipeline::FromJson(
      core::Json::parse(R"([{"name": "impute", "columns": ["x"], "strategy": "median"}])"));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->FitTransform(t, t.FindColumn("y")).ok());
  auto m = p->ToMatrix(t);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("'color'"), HasSubstr("categorical"), HasSubstr("one_hot")));
}

TEST(TransformErrors, UnknownCategoryPolicyError) {
  const auto t = testing::MixedTable(200, 1);
  auto p =
      FeaturePipeline::FromJson(core::Json::parse(R"([{"name": "one_hot", "columns": ["note"]}])"));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->FitTransform(t, nullptr).ok());
  std::vector<std::string> notes(t.num_rows(), "n1");
  notes[7] = "brand-new";
  table::Table serve;
  for (const auto& c : t.columns()) {
    ASSERT_TRUE(
        serve.AddColumn(c.name() == "note" ? table::Column::String("note", notes) : c).ok());
  }
  auto out = p->Transform(serve);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(),
              AllOf(HasSubstr("one_hot"), HasSubstr("'note'"), HasSubstr("row 7"),
                    HasSubstr("'brand-new'"), HasSubstr("handle_unknown")));
}

TEST(TransformErrors, ServingDataMustHaveTheInputs) {
  const auto t = testing::MixedTable(100, 2);
  auto p = FeaturePipeline::FromJson(core::Json::parse(
      R"([{"name": "scale", "columns": ["z"]}, {"name": "one_hot", "columns": ["color"]}])"));
  ASSERT_TRUE(p.ok());
  auto unfitted = p->Transform(t);
  EXPECT_EQ(unfitted.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(p->FitTransform(t, t.FindColumn("y")).ok());
  EXPECT_EQ(p->FitTransform(t, nullptr).status().code(), StatusCode::kFailedPrecondition);
  auto missing = p->Transform(t.Drop({"z"}));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("'z'"));
  table::Table wrong;
  for (const auto& c : t.columns()) {
    if (c.name() == "z") {
      ASSERT_TRUE(
          wrong.AddColumn(table::Column::String("z", std::vector<std::string>(c.size(), "a")))
              .ok());
    } else {
      ASSERT_TRUE(wrong.AddColumn(c).ok());
    }
  }
  auto bad = p->Transform(wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              AllOf(HasSubstr("'z'"), HasSubstr("string"), HasSubstr("float64")));
  // Extra columns are ignored; the target is not an input.
  table::Table extra = t.Drop({"y"});
  ASSERT_TRUE(extra.AddColumn(table::Column::Int64("extra", std::vector<int64_t>(100, 1))).ok());
  auto ok = p->Transform(extra);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->FindColumn("extra"), nullptr);
  EXPECT_EQ(ok->FindColumn("y"), nullptr);
}

TEST(TransformErrors, ValueErrorsNameColumnAndRow) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("v", {0.5, 2.0, -3.0})).ok());
  Status s = FitOne({{"name", "log1p"}, {"columns", {"v"}}}, t);
  EXPECT_THAT(s.message(), AllOf(HasSubstr("log1p"), HasSubstr("'v'"), HasSubstr("row 2")));
  s = FitOne({{"name", "expression"}, {"output", "w"}, {"expression", "v * missing_col"}}, t);
  EXPECT_THAT(s.message(), HasSubstr("'missing_col'"));
  auto parse = TransformFromJson(
      {{"name", "expression"}, {"output", "w"}, {"expression", "v * (2 +"}}, "transforms[0]");
  ASSERT_FALSE(parse.ok());
  EXPECT_THAT(parse.status().message(), AllOf(HasSubstr("transforms[0]"), HasSubstr("v * (2 +")));
}

}  // namespace
}  // namespace mlpipe::features
