#include "mlpipe/profile/validate.h"

#include <cmath>

#include <gtest/gtest.h>

namespace mlpipe::profile {
namespace {

using table::Column;
using table::DataType;
using table::Table;

ColumnSchema Col(std::string name, DataType type) {
  ColumnSchema c;
  c.name = std::move(name);
  c.type = type;
  return c;
}

Table One(Column c) {
  Table t;
  EXPECT_TRUE(t.AddColumn(std::move(c)).ok());
  return t;
}

Schema OneSchema(ColumnSchema c) {
  Schema s;
  s.columns = {std::move(c)};
  return s;
}

// The anomalies of `kind` in `r`.
std::vector<Anomaly> OfKind(const ValidationReport& r, AnomalyKind kind) {
  std::vector<Anomaly> out;
  for (const Anomaly& a : r.anomalies)
    if (a.kind == kind) out.push_back(a);
  return out;
}

using Ex = std::vector<AnomalyExample>;

TEST(ValidateTest, MissingColumnsBySeverity) {
  Schema s;
  ColumnSchema opt = Col("b", DataType::kFloat64);
  opt.required = false;
  s.columns = {Col("a", DataType::kInt64), opt, Col("x", DataType::kInt64)};
  Table t = One(Column::Int64("x", {1, 2, 3}));
  ValidationReport r = Validate(t, s);
  ASSERT_EQ(r.anomalies.size(), 2u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kMissingRequiredColumn);
  EXPECT_EQ(r.anomalies[0].column, "a");
  EXPECT_EQ(r.anomalies[0].count, 3u);
  EXPECT_EQ(r.anomalies[0].severity(), Severity::kError);
  EXPECT_EQ(r.anomalies[0].message, "required column (int64) is not in the data");
  EXPECT_EQ(r.anomalies[1].kind, AnomalyKind::kMissingOptionalColumn);
  EXPECT_EQ(r.anomalies[1].severity(), Severity::kWarning);
  EXPECT_EQ(r.ErrorCount(), 1u);
  EXPECT_EQ(r.WarningCount(), 1u);
  EXPECT_TRUE(r.HasErrors());
}

TEST(ValidateTest, UnexpectedColumnIsAWarningWithExamples) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Int64("x", {1, 2, 3})).ok());
  ASSERT_TRUE(t.AddColumn(Column::String("extra", {"p", "", "q"}, {1, 0, 1})).ok());
  ValidationReport r = Validate(t, OneSchema(Col("x", DataType::kInt64)));
  ASSERT_EQ(r.anomalies.size(), 1u);
  const Anomaly& a = r.anomalies[0];
  EXPECT_EQ(a.kind, AnomalyKind::kUnexpectedColumn);
  EXPECT_EQ(a.column, "extra");
  EXPECT_EQ(a.count, 2u);
  EXPECT_EQ(a.examples, (Ex{{1, "p"}, {3, "q"}}));
  EXPECT_EQ(a.message, "column is not in the schema (reads as string, 2 values present)");
  EXPECT_FALSE(r.HasErrors());
  EXPECT_EQ(r.WarningCount(), 1u);
}

TEST(ValidateTest, TextInIntColumnIsTypeMismatchWithRows) {
  // A CSV reader infers the column as categorical because of the stray texts.
  Table t = One(Column::CategoricalFromStrings("age", {"30", "abc", "41", "2.5", "", "7.0", "x"},
                                               {1, 1, 1, 1, 0, 1, 1}));
  ColumnSchema c = Col("age", DataType::kInt64);
  c.min = 18;
  c.max = 65;
  ValidationReport r = Validate(t, OneSchema(c));
  auto mismatch = OfKind(r, AnomalyKind::kTypeMismatch);
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].count, 3u);
  EXPECT_EQ(mismatch[0].examples, (Ex{{2, "abc"}, {4, "2.5"}, {7, "x"}}));
  EXPECT_EQ(mismatch[0].message,
            "expected int64; 3 values are not integers (the data column reads as categorical)");
  // The parseable values are still range-checked: 7.0 is an integer below 18.
  auto range = OfKind(r, AnomalyKind::kOutOfRange);
  ASSERT_EQ(range.size(), 1u);
  EXPECT_EQ(range[0].examples, (Ex{{6, "7.0"}}));
  // Singular wording.
  EXPECT_EQ(
      Validate(One(Column::String("age", {"1", "x"})), OneSchema(Col("age", DataType::kInt64)))
          .anomalies[0]
          .message,
      "expected int64; 1 value is not an integer (the data column reads as string)");
  EXPECT_EQ(range[0].message, "1 value outside [18, 65]");
}

TEST(ValidateTest, FloatDataInIntColumn) {
  Table t = One(Column::Float64("n", {1.0, 2.5, 3.0, 1e30, NAN}));
  ValidationReport r = Validate(t, OneSchema(Col("n", DataType::kInt64)));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kTypeMismatch);
  EXPECT_EQ(r.anomalies[0].count, 3u);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{2, "2.5"}, {4, "1e+30"}, {5, "nan"}}));
}

TEST(ValidateTest, FloatSchemaTakesIntsAndRejectsText) {
  Table t = One(Column::String("f", {"1", "1.5e3", " 2 ", "inf", "n/a", "+4", "1e-400", "-1e400"}));
  ColumnSchema c = Col("f", DataType::kFloat64);
  c.max = 1000;
  ValidationReport r = Validate(t, OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 2u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kTypeMismatch);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{5, "n/a"}}));
  EXPECT_EQ(r.anomalies[1].kind, AnomalyKind::kOutOfRange);
  // 1e-400 underflows to 0 (in range); -1e400 overflows to -inf (no min, in range).
  EXPECT_EQ(r.anomalies[1].examples, (Ex{{2, "1.5e3"}, {4, "inf"}}));
  EXPECT_EQ(r.anomalies[1].message, "2 values above max 1000");
  c.min = -5;
  EXPECT_EQ(Validate(t, OneSchema(c)).anomalies[1].examples,
            (Ex{{2, "1.5e3"}, {4, "inf"}, {8, "-1e400"}}));
  // int64 data is fine under float64.
  EXPECT_TRUE(Validate(One(Column::Int64("f", {1, 2})), OneSchema(Col("f", DataType::kFloat64)))
                  .anomalies.empty());
}

TEST(ValidateTest, BoolSchema) {
  Table ok = One(Column::Bool("b", {1, 0}));
  EXPECT_TRUE(Validate(ok, OneSchema(Col("b", DataType::kBool))).anomalies.empty());
  Table text = One(Column::CategoricalFromStrings("b", {"true", "FALSE", "yes", "True", "1"}));
  ValidationReport r = Validate(text, OneSchema(Col("b", DataType::kBool)));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{3, "yes"}, {5, "1"}}));
  EXPECT_EQ(r.anomalies[0].message,
            "expected bool; 2 values are not true or false (the data column reads as categorical)");
  // 0/1 read as int64 are integers, not booleans; true/false are not integers.
  EXPECT_EQ(Validate(One(Column::Int64("b", {0, 1})), OneSchema(Col("b", DataType::kBool)))
                .anomalies[0]
                .count,
            2u);
  EXPECT_EQ(Validate(ok, OneSchema(Col("b", DataType::kInt64))).anomalies[0].examples,
            (Ex{{1, "true"}, {2, "false"}}));
}

TEST(ValidateTest, UnseenCategoryByText) {
  ColumnSchema c = Col("home", DataType::kCategorical);
  c.categories = std::vector<std::string>{"owner", "rent"};
  Table t = One(Column::CategoricalFromStrings("home", {"rent", "castle", "owner", "", "Rent"},
                                               {1, 1, 1, 0, 1}));
  ValidationReport r = Validate(t, OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kUnseenCategory);
  EXPECT_EQ(r.anomalies[0].count, 2u);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{2, "castle"}, {5, "Rent"}}));
  EXPECT_EQ(r.anomalies[0].message,
            "2 values are not among the 2 allowed categories (owner, rent)");
  // Long category lists are cut after ten.
  ColumnSchema many = Col("home", DataType::kCategorical);
  many.categories = std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
  EXPECT_EQ(Validate(t, OneSchema(many)).anomalies[0].message,
            "4 values are not among the 11 allowed categories (a, b, c, d, e, f, g, h, i, j, ...)");
  // A string column is compared the same way.
  Table s = One(Column::String("home", {"rent", "castle"}));
  EXPECT_EQ(Validate(s, OneSchema(c)).anomalies[0].examples, (Ex{{2, "castle"}}));
}

TEST(ValidateTest, CategoricalCodesReadAsIntegersCompareByText) {
  ColumnSchema c = Col("grade", DataType::kCategorical);
  c.categories = std::vector<std::string>{"1", "2", "3"};
  ValidationReport r = Validate(One(Column::Int64("grade", {1, 3, 2, 4})), OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kUnseenCategory);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{4, "4"}}));
  // Categorical without a category list, and string columns, accept anything.
  EXPECT_TRUE(
      Validate(One(Column::Int64("grade", {9})), OneSchema(Col("grade", DataType::kCategorical)))
          .anomalies.empty());
  EXPECT_TRUE(
      Validate(One(Column::Float64("grade", {9.5})), OneSchema(Col("grade", DataType::kString)))
          .anomalies.empty());
}

TEST(ValidateTest, OutOfRangeIntAndOneSidedBounds) {
  ColumnSchema c = Col("n", DataType::kInt64);
  c.min = 0;
  c.max = 10;
  Table t = One(Column::Int64("n", {-1, 0, 10, 11, 5, 0}, {1, 1, 1, 1, 1, 0}));
  ValidationReport r = Validate(t, OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{1, "-1"}, {4, "11"}}));
  c.max.reset();
  r = Validate(t, OneSchema(c));
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{1, "-1"}}));
  EXPECT_EQ(r.anomalies[0].message, "1 value below min 0");
  // NaN is not range-checked.
  ColumnSchema f = Col("f", DataType::kFloat64);
  f.min = 0;
  EXPECT_TRUE(Validate(One(Column::Float64("f", {NAN, 1})), OneSchema(f)).anomalies.empty());
}

TEST(ValidateTest, ObservedRangeWarnsAndFarOutsideIsAnError) {
  // Observed [10, 20]: width 10, so "far" starts beyond [10 - 100, 20 + 100].
  ColumnSchema c = Col("n", DataType::kInt64);
  c.observed_min = 10;
  c.observed_max = 20;
  Table t = One(Column::Int64("n", {10, 9, 20, 21, 120, 121, -90, -91, 2000}));
  ValidationReport r = Validate(t, OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 2u) << RenderReportText(r);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kFarOutsideObservedRange);
  EXPECT_EQ(r.anomalies[0].severity(), Severity::kError);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{6, "121"}, {8, "-91"}, {9, "2000"}}));
  EXPECT_EQ(r.anomalies[0].message,
            "3 values far outside the observed range [10, 20]: beyond [-90, 120] (10 widths of "
            "it on each side)");
  EXPECT_EQ(r.anomalies[1].kind, AnomalyKind::kOutsideObservedRange);
  EXPECT_EQ(r.anomalies[1].severity(), Severity::kWarning);
  EXPECT_EQ(r.anomalies[1].examples, (Ex{{2, "9"}, {4, "21"}, {5, "120"}, {7, "-90"}}));
  EXPECT_EQ(r.anomalies[1].message,
            "4 values outside the observed range [10, 20] of the reference data");
  EXPECT_FALSE(Validate(One(Column::Int64("n", {9, 21})), OneSchema(c)).HasErrors());

  // Data scaled by 100 is an error.
  ColumnSchema f = Col("f", DataType::kFloat64);
  f.observed_min = 0.5;
  f.observed_max = 2.5;
  EXPECT_TRUE(Validate(One(Column::Float64("f", {50, 250})), OneSchema(f)).HasErrors());
  // NaN is not range-checked.
  EXPECT_TRUE(Validate(One(Column::Float64("f", {NAN, 1})), OneSchema(f)).anomalies.empty());
}

TEST(ValidateTest, FarOutsideLimitsOfAConstantColumn) {
  ColumnSchema c = Col("n", DataType::kFloat64);
  c.observed_min = -4;
  c.observed_max = -4;
  // Width 0: measured by |c| = 4 instead.
  EXPECT_EQ(FarOutsideLimits(c), (std::pair<double, double>{-44, 36}));
  c.observed_min = c.observed_max = 0;
  EXPECT_FALSE(FarOutsideLimits(c));  // nothing to measure "far" by: warnings only
  ValidationReport r = Validate(One(Column::Float64("n", {0, 1e9})), OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kOutsideObservedRange);
  c.observed_min.reset();
  c.observed_max.reset();
  EXPECT_FALSE(FarOutsideLimits(c));
}

TEST(ValidateTest, AWrittenBoundSpeaksBeforeTheObservedRange) {
  // Each value is reported once: out_of_range when it breaks min/max, else
  // against the observed range.
  ColumnSchema c = Col("n", DataType::kInt64);
  c.min = 0;
  c.max = 100;
  c.observed_min = 10;
  c.observed_max = 20;
  ValidationReport r = Validate(One(Column::Int64("n", {-1, 5, 15, 99, 101, 1000})), OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 2u) << RenderReportText(r);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kOutOfRange);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{1, "-1"}, {5, "101"}, {6, "1000"}}));
  EXPECT_EQ(r.anomalies[1].kind, AnomalyKind::kOutsideObservedRange);
  EXPECT_EQ(r.anomalies[1].examples, (Ex{{2, "5"}, {4, "99"}}));
}

TEST(ValidateTest, MissingShareExceeded) {
  ColumnSchema c = Col("x", DataType::kFloat64);
  c.max_missing_share = 0.25;
  // 2 of 8 missing: exactly at the bound, fine.
  Table at = One(Column::Float64("x", std::vector<double>(8, 1.0), {1, 0, 1, 1, 0, 1, 1, 1}));
  EXPECT_TRUE(Validate(at, OneSchema(c)).anomalies.empty());
  Table over = One(Column::Float64("x", std::vector<double>(8, 1.0), {1, 0, 1, 1, 0, 1, 0, 1}));
  ValidationReport r = Validate(over, OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].kind, AnomalyKind::kMissingShareExceeded);
  EXPECT_EQ(r.anomalies[0].count, 3u);
  EXPECT_EQ(r.anomalies[0].examples, (Ex{{2, ""}, {5, ""}, {7, ""}}));
  EXPECT_EQ(r.anomalies[0].message,
            "missing share 0.375 (3 of 8 rows) exceeds max_missing_share 0.25");
  // A bound of 0 refuses a single missing value, in any column type.
  ColumnSchema s = Col("s", DataType::kString);
  s.max_missing_share = 0;
  EXPECT_EQ(Validate(One(Column::String("s", {"a", ""}, {1, 0})), OneSchema(s)).anomalies.size(),
            1u);
}

TEST(ValidateTest, ExamplesAreCappedButCountIsFull) {
  std::vector<int64_t> v(100);
  for (int i = 0; i < 100; ++i) v[i] = i;
  ColumnSchema c = Col("n", DataType::kInt64);
  c.max = 10;
  ValidationReport r = Validate(One(Column::Int64("n", v)), OneSchema(c));
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].count, 89u);
  EXPECT_EQ(r.anomalies[0].examples,
            (Ex{{12, "11"}, {13, "12"}, {14, "13"}, {15, "14"}, {16, "15"}}));
  ValidateOptions two;
  two.max_examples = 2;
  EXPECT_EQ(Validate(One(Column::Int64("n", v)), OneSchema(c), two).anomalies[0].examples.size(),
            2u);
}

TEST(ValidateTest, OrderIsSchemaThenKindThenExtras) {
  Schema s;
  ColumnSchema a = Col("a", DataType::kInt64);
  a.max = 0;
  a.max_missing_share = 0;
  s.columns = {Col("gone", DataType::kString), a};
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::String("z", {"1", "2"})).ok());
  ASSERT_TRUE(t.AddColumn(Column::CategoricalFromStrings("a", {"q", "5"}, {1, 1})).ok());
  ValidationReport r = Validate(t, s);
  std::vector<AnomalyKind> kinds;
  for (const Anomaly& x : r.anomalies) kinds.push_back(x.kind);
  EXPECT_EQ(kinds, (std::vector<AnomalyKind>{AnomalyKind::kMissingRequiredColumn,
                                             AnomalyKind::kTypeMismatch, AnomalyKind::kOutOfRange,
                                             AnomalyKind::kUnexpectedColumn}));
  // Within a column: out_of_range, far outside, outside the observed range,
  // missing share.
  ColumnSchema b = Col("b", DataType::kInt64);
  b.max = 50;
  b.observed_min = 0;
  b.observed_max = 1;
  b.max_missing_share = 0;
  Table u = One(Column::Int64("b", {2, 0, 51, 40}, {1, 0, 1, 1}));
  kinds.clear();
  for (const Anomaly& x : Validate(u, OneSchema(b)).anomalies) kinds.push_back(x.kind);
  EXPECT_EQ(kinds, (std::vector<AnomalyKind>{
                       AnomalyKind::kOutOfRange, AnomalyKind::kFarOutsideObservedRange,
                       AnomalyKind::kOutsideObservedRange, AnomalyKind::kMissingShareExceeded}));
  EXPECT_EQ(r.num_rows, 2u);
  EXPECT_EQ(r.num_columns, 2u);
}

}  // namespace
}  // namespace mlpipe::profile
