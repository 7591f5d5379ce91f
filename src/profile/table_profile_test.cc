#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "mlpipe/profile/profile.h"

namespace mlpipe::profile {
namespace {

using table::Column;

table::Table MakeTable(std::vector<Column> columns) {
  table::Table t;
  for (auto& c : columns) EXPECT_TRUE(t.AddColumn(std::move(c)).ok());
  return t;
}

table::Table Credit() {
  return MakeTable({
      Column::CategoricalFromStrings("y",
                                     {"good", "bad", "good", "good", "bad", "good", "", "good"},
                                     {1, 1, 1, 1, 1, 1, 0, 1}),
      Column::CategoricalFromStrings("g", {"m", "f", "f", "m", "f", "m", "m", ""},
                                     {1, 1, 1, 1, 1, 1, 1, 0}),
      Column::Int64("n", {1, 2, 3, 4, 5, 6, 7, 8}),
  });
}

TEST(ProfileTable, TargetBalanceAndGroupRates) {
  ProfileOptions o;
  o.target = "y";
  o.protected_columns = {"g"};
  o.thresholds.min_group_rows = 1;
  auto p = ProfileTable(Credit(), o, "credit");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->source, "credit");
  EXPECT_EQ(p->rows, 8u);
  EXPECT_EQ(p->missing_cells, 2u);
  ASSERT_TRUE(p->target);
  const TargetSummary& t = *p->target;
  EXPECT_TRUE(t.classification);
  ASSERT_EQ(t.classes.size(), 2u);
  EXPECT_EQ(t.classes[0].value, "good");
  EXPECT_EQ(t.classes[0].count, 5u);
  EXPECT_EQ(t.classes[1].value, "bad");
  EXPECT_EQ(t.positive, "bad");  // the minority class
  EXPECT_NEAR(t.positive_rate, 2.0 / 7, 1e-12);
  EXPECT_EQ(t.missing, 1u);
  ASSERT_EQ(p->protected_groups.size(), 1u);
  const ProtectedSummary& g = p->protected_groups[0];
  EXPECT_FALSE(g.binned);
  EXPECT_EQ(g.missing, 1u);
  ASSERT_EQ(g.groups.size(), 2u);
  EXPECT_EQ(g.groups[0].group, "f");
  EXPECT_EQ(g.groups[0].rows, 3u);
  EXPECT_NEAR(g.groups[0].rate, 2.0 / 3, 1e-12);
  EXPECT_EQ(g.groups[1].group, "m");
  EXPECT_EQ(g.groups[1].rows, 3u);  // row 6 has no target
  EXPECT_EQ(g.groups[1].rate, 0);
  EXPECT_NEAR(g.max_gap, 2.0 / 3, 1e-12);
  EXPECT_EQ(g.min_ratio, 0);
}

TEST(ProfileTable, PositiveOptionAndSmallGroupsAreNotCompared) {
  ProfileOptions o;
  o.target = "y";
  o.positive = "good";
  o.protected_columns = {"g"};
  auto p = ProfileTable(Credit(), o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->target->positive, "good");
  EXPECT_NEAR(p->target->positive_rate, 5.0 / 7, 1e-12);
  EXPECT_NEAR(p->protected_groups[0].groups[1].rate, 1.0, 1e-12);
  // Groups of 3 rows are under the default 30: no gap is measured.
  EXPECT_EQ(p->protected_groups[0].max_gap, 0);
  EXPECT_EQ(p->protected_groups[0].min_ratio, 1);
}

TEST(ProfileTable, NumericProtectedColumnIsBinnedByQuartiles) {
  std::vector<int64_t> age, y;
  for (int i = 1; i <= 12; ++i) {
    age.push_back(i);
    y.push_back(i > 9 ? 1 : 0);
  }
  table::Table t = MakeTable({Column::Int64("age", age), Column::Int64("y", y)});
  ProfileOptions o;
  o.target = "y";
  o.positive = "1";
  o.protected_columns = {"age"};
  auto p = ProfileTable(t, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const ProtectedSummary& g = p->protected_groups[0];
  EXPECT_TRUE(g.binned);
  // pandas quantile(0.25, 0.5, 0.75) of 1..12: 3.75, 6.5, 9.25.
  ASSERT_EQ(g.edges.size(), 5u);
  EXPECT_DOUBLE_EQ(g.edges[1], 3.75);
  EXPECT_DOUBLE_EQ(g.edges[2], 6.5);
  EXPECT_DOUBLE_EQ(g.edges[3], 9.25);
  ASSERT_EQ(g.groups.size(), 4u);
  EXPECT_EQ(g.groups[0].rows, 3u);
  EXPECT_EQ(g.groups[0].group, "[1, 3.75]");  // pandas.qcut prints (0.999, 3.75]
  EXPECT_EQ(g.groups[3].group, "(9.25, 12]");
  EXPECT_EQ(g.groups[3].rows, 3u);
  EXPECT_EQ(g.groups[3].rate, 1);  // 10, 11, 12
  EXPECT_EQ(g.groups[2].rate, 0);  // 7, 8, 9
}

TEST(ProfileTable, RegressionTargetReportsMeanPerGroup) {
  std::vector<double> v;
  std::vector<std::string> g;
  for (int i = 0; i < 40; ++i) {
    v.push_back(i);
    g.push_back(i < 20 ? "a" : "b");
  }
  table::Table t = MakeTable({Column::Float64("v", v), Column::CategoricalFromStrings("g", g)});
  ProfileOptions o;
  o.target = "v";
  o.protected_columns = {"g"};
  auto p = ProfileTable(t, o);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->target->classification);
  EXPECT_DOUBLE_EQ(p->target->mean, 19.5);
  EXPECT_DOUBLE_EQ(p->protected_groups[0].groups[0].rate, 9.5);
  EXPECT_DOUBLE_EQ(p->protected_groups[0].groups[1].rate, 29.5);
  o.positive = "3";
  EXPECT_EQ(ProfileTable(t, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(ProfileTable, UnknownColumnsAndLabelsAreErrors) {
  ProfileOptions o;
  o.target = "nope";
  Status s = ProfileTable(Credit(), o).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("nope"), std::string::npos);
  EXPECT_NE(s.message().find("--target"), std::string::npos);
  o.target = "y";
  o.protected_columns = {"g", "sex"};
  s = ProfileTable(Credit(), o).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("sex"), std::string::npos);
  o.protected_columns = {};
  o.positive = "ugly";
  s = ProfileTable(Credit(), o).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'ugly' is not a class of 'y' (bad, good)"), std::string::npos);
  ProfileOptions bad;
  bad.histogram_bins = 0;
  EXPECT_EQ(ProfileTable(Credit(), bad).status().code(), StatusCode::kInvalidArgument);
}

TEST(ProfileTable, TableListsAndDuplicates) {
  table::Table t = MakeTable({
      Column::Int64("k", {7, 7, 7, 7}),
      Column::Float64("x", {1, 1, 2, 3}),
  });
  auto p = ProfileTable(t, {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->duplicate_rows, 1u);
  EXPECT_EQ(p->constant_columns, std::vector<std::string>{"k"});
  EXPECT_TRUE(p->high_cardinality_columns.empty());
  ASSERT_EQ(p->columns.size(), 2u);
  EXPECT_EQ(p->columns[1].distinct, 3u);
}

TEST(ProfileTable, SameResultWhateverTheColumnOrderOfWork) {
  // Many columns so that the parallel pass splits them; figures must match a
  // one-column profile of each column.
  std::vector<Column> cols;
  for (int c = 0; c < 9; ++c) {
    std::vector<double> v;
    for (int r = 0; r < 500; ++r) v.push_back(std::sin(r * (c + 1)));
    cols.push_back(Column::Float64(fmt::format("c{}", c), v));
  }
  table::Table t = MakeTable(cols);
  auto p = ProfileTable(t, {});
  ASSERT_TRUE(p.ok());
  for (int c = 0; c < 9; ++c) {
    auto single = ProfileTable(MakeTable({cols[c]}), {});
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(p->columns[c].numeric->mean, single->columns[0].numeric->mean);
    EXPECT_EQ(p->columns[c].numeric->q3, single->columns[0].numeric->q3);
  }
  EXPECT_EQ(p->associations.pairs.size(), 9u * 8u);  // 36 pairs, two figures each
}

}  // namespace
}  // namespace mlpipe::profile
