#include "mlpipe/eval/cv.h"

#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace mlpipe::eval {
namespace {

std::vector<int32_t> Imbalanced(size_t n) {
  std::vector<int32_t> y(n);
  for (size_t i = 0; i < n; ++i) y[i] = i % 10 < 3 ? 1 : (i % 10 < 4 ? 2 : 0);  // 60/30/10
  return y;
}

void ExpectPartition(const std::vector<Fold>& folds, size_t n) {
  std::vector<int> seen(n, 0);
  for (const Fold& f : folds) {
    EXPECT_EQ(f.train.size() + f.validation.size(), n);
    for (size_t r : f.validation) ++seen[r];
    std::set<size_t> train(f.train.begin(), f.train.end());
    for (size_t r : f.validation) EXPECT_FALSE(train.contains(r));
  }
  for (int s : seen) EXPECT_EQ(s, 1);
}

TEST(CvTest, KFoldPartitionsAndIsBalanced) {
  auto folds = KFold(103, 5, 7);
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  ExpectPartition(*folds, 103);
  for (const Fold& f : *folds) EXPECT_NEAR(f.validation.size(), 20.6, 1.0);
}

TEST(CvTest, StratifiedKeepsProportions) {
  const auto y = Imbalanced(1000);
  auto folds = StratifiedKFold(y, 5, 3);
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  ExpectPartition(*folds, y.size());
  for (const Fold& f : *folds) {
    std::map<int32_t, int> count;
    for (size_t r : f.validation) ++count[y[r]];
    EXPECT_NEAR(count[0], 120, 1);
    EXPECT_NEAR(count[1], 60, 1);
    EXPECT_NEAR(count[2], 20, 1);
  }
}

TEST(CvTest, StratifiedRejectsTinyClass) {
  std::vector<int32_t> y = {0, 0, 0, 0, 0, 1, 1};
  auto folds = StratifiedKFold(y, 3, 0);
  EXPECT_FALSE(folds.ok());
  EXPECT_NE(folds.status().message().find("class code 1"), std::string::npos);
}

TEST(CvTest, GroupsAreNeverSplit) {
  std::vector<int32_t> groups;
  for (int g = 0; g < 37; ++g) groups.insert(groups.end(), 1 + g % 7, g);
  auto folds = GroupKFold(groups, 4, 11);
  ASSERT_TRUE(folds.ok()) << folds.status().ToString();
  ExpectPartition(*folds, groups.size());
  std::map<int32_t, std::set<size_t>> fold_of_group;
  for (size_t f = 0; f < folds->size(); ++f) {
    for (size_t r : (*folds)[f].validation) fold_of_group[groups[r]].insert(f);
  }
  for (const auto& [g, fs] : fold_of_group) EXPECT_EQ(fs.size(), 1u) << "group " << g;
  EXPECT_FALSE(GroupKFold(std::vector<int32_t>{0, 0, 1, 1}, 3, 0).ok());
}

TEST(CvTest, SameSeedSameFoldsOtherSeedOthers) {
  const auto y = Imbalanced(200);
  auto a = StratifiedKFold(y, 5, 42), b = StratifiedKFold(y, 5, 42), c = StratifiedKFold(y, 5, 43);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  bool differs = false;
  for (size_t f = 0; f < 5; ++f) {
    EXPECT_EQ((*a)[f].validation, (*b)[f].validation);
    differs = differs || (*a)[f].validation != (*c)[f].validation;
  }
  EXPECT_TRUE(differs);
  auto k1 = KFold(50, 3, 9), k2 = KFold(50, 3, 9);
  for (size_t f = 0; f < 3; ++f) EXPECT_EQ((*k1)[f].train, (*k2)[f].train);
}

TEST(CvTest, ThreeWaySplitStratifies) {
  const auto y = Imbalanced(1000);
  auto s = TrainValidationTestSplit(y.size(), y, 0.2, 0.1, 5);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->validation.size(), 200u);
  EXPECT_EQ(s->test.size(), 100u);
  EXPECT_EQ(s->train.size(), 700u);
  int test_ones = 0;
  for (size_t r : s->test) test_ones += y[r] == 1;
  EXPECT_EQ(test_ones, 30);
  auto again = TrainValidationTestSplit(y.size(), y, 0.2, 0.1, 5);
  EXPECT_EQ(s->test, again->test);
  EXPECT_FALSE(TrainValidationTestSplit(10, {}, 0.6, 0.5, 0).ok());
}

TEST(CvTest, EncodeTargetInfersTask) {
  auto bin =
      EncodeTarget(table::Column::CategoricalFromStrings("class", {"good", "bad", "good", "good"}));
  ASSERT_TRUE(bin.ok()) << bin.status().ToString();
  EXPECT_EQ(bin->task, models::Task::kBinary);
  EXPECT_EQ(bin->classes, (std::vector<std::string>{"good", "bad"}));  // minority positive
  EXPECT_EQ(bin->codes, (std::vector<int32_t>{0, 1, 0, 0}));
  auto pos = EncodeTarget(
      table::Column::CategoricalFromStrings("class", {"good", "bad", "good", "good"}), "good");
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(pos->codes, (std::vector<int32_t>{1, 0, 1, 1}));
  auto reg = EncodeTarget(table::Column::Float64("y", {1.5, 2, 3}));
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->task, models::Task::kRegression);
  auto multi = EncodeTarget(table::Column::Int64("y", {3, 1, 2, 1}));
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(multi->task, models::Task::kMulticlass);
  EXPECT_EQ(multi->codes, (std::vector<int32_t>{2, 0, 1, 0}));
  auto one = EncodeTarget(table::Column::CategoricalFromStrings("c", {"a", "a"}));
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().message().find("one class"), std::string::npos);
  EXPECT_FALSE(EncodeTarget(table::Column::CategoricalFromStrings("c", {"a", "b"}), "z").ok());
}

TEST(CvTest, CheckMetricsMatchesTask) {
  EXPECT_TRUE(CheckMetrics({"roc_auc", "accuracy"}, models::Task::kBinary).ok());
  EXPECT_FALSE(CheckMetrics({"rmse"}, models::Task::kBinary).ok());
  EXPECT_FALSE(CheckMetrics({"ks"}, models::Task::kMulticlass).ok());
  EXPECT_FALSE(CheckMetrics({"nope"}, models::Task::kRegression).ok());
  EXPECT_TRUE(CheckMetrics({"r2"}, models::Task::kRegression).ok());
}

}  // namespace
}  // namespace mlpipe::eval
