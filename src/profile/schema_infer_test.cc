#include <cmath>

#include <gtest/gtest.h>

#include "mlpipe/profile/schema.h"
#include "mlpipe/profile/validate.h"

namespace mlpipe::profile {
namespace {

using table::Column;
using table::DataType;
using table::Table;

Table Reference() {
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::CategoricalFromStrings(
                              "home", {"rent", "owner", "rent", "", "parents"}, {1, 1, 1, 0, 1}))
                  .ok());
  EXPECT_TRUE(t.AddColumn(Column::Int64("age", {30, 58, 46, 24, 61})).ok());
  EXPECT_TRUE(
      t.AddColumn(Column::Float64("income", {129.5, NAN, 200, 0, -3.25}, {1, 1, 1, 0, 1})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Bool("flag", {1, 0, 1, 1, 0})).ok());
  EXPECT_TRUE(t.AddColumn(Column::String("id", {"a", "b", "c", "d", "e"})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Float64("empty", {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0})).ok());
  return t;
}

TEST(InferSchemaTest, TypesCategoriesAndRanges) {
  auto s = InferSchema(Reference());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->columns.size(), 6u);
  const ColumnSchema& home = s->columns[0];
  EXPECT_EQ(home.name, "home");
  EXPECT_EQ(home.type, DataType::kCategorical);
  EXPECT_EQ(*home.categories, (std::vector<std::string>{"owner", "parents", "rent"}));
  EXPECT_FALSE(home.min || home.max || home.observed_min || home.observed_max);
  const ColumnSchema& age = s->columns[1];
  EXPECT_EQ(age.type, DataType::kInt64);
  // Observed, never a written bound: a wider sample only warns.
  EXPECT_FALSE(age.min || age.max);
  EXPECT_EQ(*age.observed_min, 24);
  EXPECT_EQ(*age.observed_max, 61);
  EXPECT_EQ(age.max_missing_share, 0.02);  // complete, with the slack of a fresh sample
  const ColumnSchema& income = s->columns[2];
  EXPECT_EQ(income.type, DataType::kFloat64);
  EXPECT_EQ(*income.observed_min, -3.25);  // the NaN is ignored, the missing 0 is not a value
  EXPECT_EQ(*income.observed_max, 200);
  EXPECT_EQ(s->columns[3].type, DataType::kBool);
  EXPECT_FALSE(s->columns[3].observed_min || s->columns[3].categories);
  EXPECT_EQ(s->columns[4].type, DataType::kString);
  EXPECT_FALSE(s->columns[4].categories);
  // No present value: no range.
  EXPECT_FALSE(s->columns[5].observed_min || s->columns[5].observed_max);
  EXPECT_EQ(s->columns[5].max_missing_share, 1.0);
  for (const ColumnSchema& c : s->columns) EXPECT_TRUE(c.required);
}

TEST(InferSchemaTest, MissingShareBoundRule) {
  InferSchemaOptions o;
  EXPECT_DOUBLE_EQ(MissingShareBound(0.0, o), 0.02);  // complete: the absolute slack
  // 1 of 5 missing: 0.2 + max(0.02, 0.1) = 0.3.
  EXPECT_DOUBLE_EQ(MissingShareBound(0.2, o), 0.3);
  // Small shares get the absolute slack and round up to hundredths.
  EXPECT_DOUBLE_EQ(MissingShareBound(0.05, o), 0.08);    // 0.05 + 0.025 = 0.075 -> 0.08
  EXPECT_DOUBLE_EQ(MissingShareBound(0.0002, o), 0.03);  // 0.0202 -> 0.03
  EXPECT_DOUBLE_EQ(MissingShareBound(0.01, o), 0.03);    // 0.03 exactly stays 0.03
  EXPECT_DOUBLE_EQ(MissingShareBound(0.0855, o), 0.13);  // credit_data Income: 381/4454
  EXPECT_EQ(MissingShareBound(0.9, o), 1.0);
  InferSchemaOptions tight;
  tight.min_missing_slack = 0;
  tight.relative_missing_slack = 0;
  EXPECT_DOUBLE_EQ(MissingShareBound(0.05, tight), 0.05);
  EXPECT_EQ(MissingShareBound(0.0, tight), 0.0);
  EXPECT_FALSE(std::signbit(MissingShareBound(0.0, tight)));
}

TEST(InferSchemaTest, OptionsAreValidated) {
  InferSchemaOptions o;
  o.min_missing_slack = -1;
  auto r = InferSchema(Reference(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "min_missing_slack: -1 is outside [0, 1]");
  o = {};
  o.relative_missing_slack = INFINITY;
  EXPECT_FALSE(InferSchema(Reference(), o).ok());
  o = {};
  o.required = false;
  auto optional = InferSchema(Reference(), o);
  ASSERT_TRUE(optional.ok());
  for (const ColumnSchema& c : optional->columns) EXPECT_FALSE(c.required);
}

TEST(InferSchemaTest, ReferencePassesItsOwnSchema) {
  Table t = Reference();
  auto s = InferSchema(t);
  ASSERT_TRUE(s.ok());
  ValidationReport r = Validate(t, *s);
  EXPECT_TRUE(r.anomalies.empty()) << RenderReportText(r);
  // And after a JSON round trip.
  auto back = Schema::Parse(s->ToJsonText(), "mem");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *s);
  EXPECT_TRUE(Validate(t, *back).anomalies.empty());
}

TEST(InferSchemaTest, AWiderSampleWarnsAndAScaledOneFails) {
  Table t = Reference();
  auto s = InferSchema(t);
  ASSERT_TRUE(s.ok());
  // age observed [24, 61]: 18 and 70 are outside it, not far.
  Table wider;
  ASSERT_TRUE(wider.AddColumn(Column::Int64("age", {18, 70, 30})).ok());
  Schema age_only;
  age_only.columns = {*s->FindColumn("age")};
  ValidationReport r = Validate(wider, age_only);
  EXPECT_FALSE(r.HasErrors()) << RenderReportText(r);
  EXPECT_EQ(r.WarningCount(), 1u);
  // Ages in another unit (x100) are an error.
  Table scaled;
  ASSERT_TRUE(scaled.AddColumn(Column::Int64("age", {3000, 5800})).ok());
  EXPECT_TRUE(Validate(scaled, age_only).HasErrors());
}

TEST(InferSchemaTest, CategoriesAfterTakeListOnlyPresentValues) {
  Table t = Reference().Take({0, 2});  // rent, rent
  auto s = InferSchema(t);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s->columns[0].categories, (std::vector<std::string>{"rent"}));
}

}  // namespace
}  // namespace mlpipe::profile
