#include "mlpipe/stats/groups.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Expected codes and intervals from pandas 1.5:
// pd.qcut(v, 4, duplicates="drop") -> (18.999, 25.0], (25.0, 33.0], (33.0, 45.0], (45.0, 75.0]
TEST(GroupNumericTest, ManyValuesAreQuartileBinsAsPandasQcut) {
  std::vector<double> v = {19, 22, 25, 25, 27, 30, 33, 35, 41, 45, 52, 60, 75};
  NumericGroups g = GroupNumeric(v);
  EXPECT_TRUE(g.binned);
  EXPECT_EQ(g.edges, (std::vector<double>{25, 33, 45}));
  EXPECT_EQ(g.labels, (std::vector<std::string>{"[19, 25]", "(25, 33]", "(33, 45]", "(45, 75]"}));
  EXPECT_EQ(GroupCodes(g, v), (std::vector<int32_t>{0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3}));
}

// pd.qcut([0]*10 + list(range(1, 12)), 4, duplicates="drop"): q1 equals the
// minimum and is dropped -> (-0.001, 1.0], (1.0, 6.0], (6.0, 11.0].
TEST(GroupNumericTest, QuartilesEqualToTheMinimumAreDropped) {
  std::vector<double> v(10, 0.0);
  for (int i = 1; i <= 11; ++i) v.push_back(i);
  NumericGroups g = GroupNumeric(v);
  EXPECT_EQ(g.labels, (std::vector<std::string>{"[0, 1]", "(1, 6]", "(6, 11]"}));
  std::vector<int32_t> expected(11, 0);
  for (int32_t c : {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}) expected.push_back(c);
  EXPECT_EQ(GroupCodes(g, v), expected);
}

TEST(GroupNumericTest, FewValuesKeepOneGroupEach) {
  std::vector<double> v = {2, 0.5, 2, -0.0, 0, kNaN, 7};
  NumericGroups g = GroupNumeric(v);
  EXPECT_FALSE(g.binned);
  EXPECT_EQ(g.labels, (std::vector<std::string>{"0", "0.5", "2", "7"}));
  EXPECT_EQ(GroupCodes(g, v), (std::vector<int32_t>{2, 1, 2, 0, 0, -1, 3}));
  EXPECT_EQ(g.GroupOf(3), -1);  // not one of the values
}

TEST(GroupNumericTest, TheThresholdIsTheNumberOfDistinctValues) {
  std::vector<double> ten, eleven;
  for (int i = 0; i < 10; ++i) ten.push_back(i);
  eleven = ten;
  eleven.push_back(10);
  EXPECT_FALSE(GroupNumeric(ten).binned);
  EXPECT_EQ(GroupNumeric(ten).labels.size(), 10u);
  EXPECT_TRUE(GroupNumeric(eleven).binned);
  EXPECT_EQ(GroupNumeric(eleven).labels.size(), 4u);
  EXPECT_TRUE(GroupNumeric(ten, 5).binned);
}

TEST(GroupNumericTest, MissingValuesAreIgnoredAndAllMissingHasNoGroups) {
  std::vector<double> v = {kNaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, kNaN};
  NumericGroups g = GroupNumeric(v);
  EXPECT_TRUE(g.binned);
  // numpy.quantile(range(1, 12), [.25, .5, .75]) = [3.5, 6, 8.5]
  EXPECT_EQ(g.labels, (std::vector<std::string>{"[1, 3.5]", "(3.5, 6]", "(6, 8.5]", "(8.5, 11]"}));
  EXPECT_EQ(GroupCodes(g, v).front(), -1);
  std::vector<double> none = {kNaN, kNaN};
  EXPECT_TRUE(GroupNumeric(none).labels.empty());
}

}  // namespace
}  // namespace mlpipe::stats
