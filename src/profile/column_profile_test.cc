#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/stats/association.h"
#include "profile_internal.h"

namespace mlpipe::profile::internal {
namespace {

using table::Column;

ProfileOptions Options(int bins = 4) {
  ProfileOptions o;
  o.histogram_bins = bins;
  return o;
}

TEST(ProfileColumn, NumericFiguresByHand) {
  // Present: 1 2 3 4 0 0 (one missing). Checked with pandas and numpy.
  Column c = Column::Float64("x", {1, 2, 3, 4, 0, 0, 0}, {1, 1, 1, 1, 0, 1, 1});
  ColumnData data;
  ColumnProfile p = ProfileColumn(c, Options(), &data);
  EXPECT_EQ(p.count, 6u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_NEAR(p.missing_share, 1.0 / 7, 1e-12);
  EXPECT_EQ(p.distinct, 5u);
  ASSERT_TRUE(p.numeric);
  const NumericSummary& s = *p.numeric;
  EXPECT_NEAR(s.mean, 1.6666666666666667, 1e-12);
  EXPECT_NEAR(s.std, 1.632993161855452, 1e-12);
  EXPECT_NEAR(s.skewness, 0.3827327723098712, 1e-9);
  EXPECT_NEAR(s.kurtosis, -1.481250000000001, 1e-9);
  EXPECT_EQ(s.min, 0);
  EXPECT_DOUBLE_EQ(s.q1, 0.25);
  EXPECT_DOUBLE_EQ(s.median, 1.5);
  EXPECT_DOUBLE_EQ(s.q3, 2.75);
  EXPECT_EQ(s.max, 4);
  EXPECT_EQ(s.zeros, 2u);
  EXPECT_EQ(s.outliers_iqr, 0u);
  EXPECT_EQ(s.outliers_z, 0u);
  EXPECT_EQ(s.histogram.edges, (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_EQ(s.histogram.counts, (std::vector<uint64_t>{2, 1, 1, 2}));
  ASSERT_EQ(p.top.size(), 5u);
  EXPECT_EQ(p.top[0].value, "0");
  EXPECT_EQ(p.top[0].count, 2u);
  EXPECT_EQ(p.top[1].value, "1");
  EXPECT_EQ(p.top[4].value, "4");
  // Kept for the association pass.
  EXPECT_EQ(data.kind, ColumnData::Kind::kNumeric);
  EXPECT_NEAR(data.mean, 1.6666666666666667, 1e-12);
}

TEST(ProfileColumn, OutliersIqrAndZ) {
  std::vector<int64_t> v(30, 10);
  for (int i = 0; i < 30; ++i) v[i] = 10 + i % 3;
  v.push_back(1000);
  ColumnProfile p = ProfileColumn(Column::Int64("x", v), Options(), nullptr);
  ASSERT_TRUE(p.numeric);
  EXPECT_EQ(p.numeric->outliers_iqr, 1u);
  EXPECT_EQ(p.numeric->outliers_z, 1u);
  EXPECT_EQ(p.top.size(), 4u);
  EXPECT_EQ(p.top[0].value, "10");  // 10, 11, 12 have 10 each; ties by value
  EXPECT_EQ(p.top[3].value, "1000");
}

TEST(ProfileColumn, TopValuesAreCappedAndOrdered) {
  ProfileOptions o = Options();
  o.top_values = 2;
  ColumnProfile p = ProfileColumn(Column::Int64("x", {5, 3, 3, 5, 7, 7, 7, 1}), o, nullptr);
  ASSERT_EQ(p.top.size(), 2u);
  EXPECT_EQ(p.top[0].value, "7");
  EXPECT_EQ(p.top[0].count, 3u);
  EXPECT_EQ(p.top[1].value, "3");  // 3 and 5 tie; the smaller first
  EXPECT_EQ(p.distinct, 4u);
}

TEST(ProfileColumn, CategoricalCountsAndCodes) {
  Column c = Column::CategoricalFromStrings("c", {"b", "a", "b", "", "c", "b"}, {1, 1, 1, 0, 1, 1});
  ColumnData data;
  ColumnProfile p = ProfileColumn(c, Options(), &data);
  EXPECT_EQ(p.count, 5u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_EQ(p.distinct, 3u);
  EXPECT_FALSE(p.numeric);
  ASSERT_EQ(p.top.size(), 3u);
  EXPECT_EQ(p.top[0].value, "b");
  EXPECT_EQ(p.top[0].count, 3u);
  EXPECT_EQ(p.top[1].value, "a");
  EXPECT_EQ(data.kind, ColumnData::Kind::kCategorical);
  EXPECT_EQ(data.num_codes, static_cast<int32_t>(c.categories().size()));
}

TEST(ProfileColumn, BoolAndString) {
  ColumnProfile b =
      ProfileColumn(Column::Bool("b", {1, 0, 1, 1}, {1, 1, 1, 0}), Options(), nullptr);
  EXPECT_EQ(b.count, 3u);
  EXPECT_EQ(b.distinct, 2u);
  EXPECT_EQ(b.top[0].value, "true");
  EXPECT_EQ(b.top[0].count, 2u);
  ColumnProfile s =
      ProfileColumn(Column::String("s", {"x", "y", "x", "z", "z", "x"}), Options(), nullptr);
  EXPECT_EQ(s.distinct, 3u);
  ASSERT_EQ(s.top.size(), 3u);
  EXPECT_EQ(s.top[0].value, "x");
  EXPECT_EQ(s.top[1].value, "z");
  EXPECT_EQ(s.top[2].value, "y");
}

TEST(ProfileColumn, AllMissingAndEmpty) {
  ColumnProfile p = ProfileColumn(Column::Float64("x", {0, 0}, {0, 0}), Options(), nullptr);
  EXPECT_EQ(p.count, 0u);
  EXPECT_EQ(p.missing, 2u);
  EXPECT_EQ(p.distinct, 0u);
  EXPECT_FALSE(p.numeric);
  ColumnProfile e = ProfileColumn(Column::Int64("x", {}), Options(), nullptr);
  EXPECT_EQ(e.count, 0u);
  EXPECT_EQ(e.missing_share, 0);
}

TEST(ProfileColumn, NanCountsAsMissing) {
  ColumnProfile p = ProfileColumn(Column::Float64("x", {1, NAN, 2}), Options(), nullptr);
  EXPECT_EQ(p.count, 2u);
  EXPECT_EQ(p.missing, 1u);
  EXPECT_DOUBLE_EQ(p.numeric->mean, 1.5);
}

table::Table MakeTable(std::vector<Column> columns) {
  table::Table t;
  for (auto& c : columns) EXPECT_TRUE(t.AddColumn(std::move(c)).ok());
  return t;
}

TEST(CountDuplicateRows, MissingEqualsMissing) {
  table::Table t = MakeTable({
      Column::Int64("a", {1, 1, 2, 1, 1, 3}, {1, 1, 1, 1, 0, 0}),
      Column::CategoricalFromStrings("b", {"x", "x", "x", "y", "", ""}, {1, 1, 1, 1, 0, 0}),
      Column::Float64("c", {0.0, -0.0, 1, 0, NAN, NAN}),
  });
  // Row 1 repeats row 0 (-0.0 == 0.0); row 5 repeats row 4 (all missing; NaN is missing).
  EXPECT_EQ(CountDuplicateRows(t), 2u);
  EXPECT_EQ(CountDuplicateRows(MakeTable({Column::String("s", {"a", "b", "a", "a"})})), 2u);
  EXPECT_EQ(CountDuplicateRows(table::Table()), 0u);
}

TEST(ComputeAssociations, AgreesWithStatsOnCompleteRows) {
  core::Rng rng(3);
  std::vector<double> x, y;
  std::vector<uint8_t> vy;
  for (int i = 0; i < 200; ++i) {
    x.push_back(rng.Normal());
    y.push_back(x.back() * 2 + rng.Normal());
    vy.push_back(i % 10 != 0);
  }
  std::vector<std::string> cat, cat2;
  for (int i = 0; i < 200; ++i) {
    cat.push_back(x[i] > 0 ? "pos" : "neg");
    cat2.push_back(i % 3 == 0 ? "a" : "b");
  }
  table::Table t =
      MakeTable({Column::Float64("x", x), Column::Float64("y", y, vy),
                 Column::CategoricalFromStrings("c", cat),
                 Column::CategoricalFromStrings("d", cat2), Column::String("s", cat2)});
  std::vector<ColumnData> data(t.num_columns());
  for (size_t i = 0; i < t.num_columns(); ++i) ProfileColumn(t.column(i), Options(), &data[i]);
  AssociationSummary a = ComputeAssociations(t, data, Options());
  EXPECT_EQ(a.excluded_columns, std::vector<std::string>{"s"});
  // x-y: pearson, spearman; x-c, x-d: ratio; y-c, y-d: ratio; c-d: V.
  ASSERT_EQ(a.pairs.size(), 7u);
  std::vector<double> xs, ys;
  for (int i = 0; i < 200; ++i) {
    if (vy[i]) {
      xs.push_back(x[i]);
      ys.push_back(y[i]);
    }
  }
  EXPECT_EQ(a.pairs[0].method, AssociationMethod::kPearson);
  EXPECT_EQ(a.pairs[0].rows, 180u);
  EXPECT_NEAR(a.pairs[0].value, stats::Pearson(xs, ys), 1e-12);
  EXPECT_EQ(a.pairs[1].method, AssociationMethod::kSpearman);
  EXPECT_GT(a.pairs[1].value, 0.8);
  EXPECT_EQ(a.pairs[2].method, AssociationMethod::kCorrelationRatio);
  EXPECT_EQ(a.pairs[2].a, "x");
  EXPECT_EQ(a.pairs[2].b, "c");
  EXPECT_GT(a.pairs[2].value, 0.7);
  EXPECT_EQ(a.pairs[6].method, AssociationMethod::kCramersV);
  EXPECT_EQ(a.pairs[6].a, "c");
  EXPECT_EQ(a.pairs[6].b, "d");
  EXPECT_EQ(a.pairs[6].rows, 200u);

  ProfileOptions capped = Options();
  capped.max_association_pairs = 2;
  AssociationSummary b = ComputeAssociations(t, data, capped);
  EXPECT_EQ(b.pairs_skipped, 4u);  // 6 pairs, 2 computed
  EXPECT_EQ(b.pairs.size(), 3u);   // x-y (two figures) and x-c
}

TEST(ComputeAssociations, SpearmanIsExactWithoutMissingValues) {
  std::vector<double> x = {1, 2, 2, 3, 10, 4}, y = {5, 4, 4, 1, 0, 2};
  table::Table t = MakeTable({Column::Float64("x", x), Column::Float64("y", y)});
  std::vector<ColumnData> data(2);
  for (size_t i = 0; i < 2; ++i) ProfileColumn(t.column(i), Options(), &data[i]);
  AssociationSummary a = ComputeAssociations(t, data, Options());
  ASSERT_EQ(a.pairs.size(), 2u);
  EXPECT_NEAR(a.pairs[1].value, stats::Spearman(x, y), 1e-12);
}

TEST(ComputeAssociations, LargeTablesUseAFixedSample) {
  core::Rng rng(11);
  std::vector<double> x, y;
  std::vector<std::string> c;
  for (int i = 0; i < 5000; ++i) {
    x.push_back(rng.Normal());
    y.push_back(x.back() + rng.Normal());
    c.push_back(x.back() > 0 ? "pos" : "neg");
  }
  table::Table t = MakeTable(
      {Column::Float64("x", x), Column::Float64("y", y), Column::CategoricalFromStrings("c", c)});
  std::vector<ColumnData> data(t.num_columns());
  for (size_t i = 0; i < t.num_columns(); ++i) ProfileColumn(t.column(i), Options(), &data[i]);
  AssociationSummary full = ComputeAssociations(t, data, Options());
  EXPECT_EQ(full.sample_rows, 0u);
  EXPECT_EQ(full.pairs[0].rows, 5000u);
  ProfileOptions o = Options();
  o.association_sample_rows = 1000;
  AssociationSummary a = ComputeAssociations(t, data, o), b = ComputeAssociations(t, data, o);
  EXPECT_GT(a.sample_rows, 850u);
  EXPECT_LT(a.sample_rows, 1150u);
  ASSERT_EQ(a.pairs.size(), full.pairs.size());
  for (size_t i = 0; i < a.pairs.size(); ++i) {
    EXPECT_EQ(a.pairs[i].rows, a.sample_rows);
    EXPECT_EQ(a.pairs[i].value, b.pairs[i].value);  // the same sample every time
    EXPECT_NEAR(a.pairs[i].value, full.pairs[i].value, 0.1) << i;
  }
}

}  // namespace
}  // namespace mlpipe::profile::internal
