#include "mlpipe/table/task.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mlpipe::table {
namespace {

using ::testing::HasSubstr;

Column Doubles(std::vector<double> v) { return Column::Float64("y", std::move(v)); }

std::vector<double> Range(int lo, int hi) {
  std::vector<double> v;
  for (int i = lo; i <= hi; ++i) v.push_back(i);
  return v;
}

TEST(TaskTest, CountTargetWithManyValuesIsRegression) {
  // 0..17: 18 distinct integers (more than kMaxInferredClasses).
  EXPECT_EQ(*InferTask(Doubles(Range(0, 17))), Task::kRegression);
  EXPECT_EQ(*InferTask(Doubles(Range(1, 10))), Task::kMulticlass);  // 10: still classes
  EXPECT_EQ(*InferTask(Doubles(Range(1, 11))), Task::kRegression);
}

TEST(TaskTest, FloatCodedIntegersAreClassesAndFractionsRegression) {
  EXPECT_EQ(*InferTask(Doubles({0.0, 1.0, 2.0, 1.0})), Task::kMulticlass);
  EXPECT_EQ(*InferTask(Doubles({0.0, 1.0, 0.0})), Task::kBinary);
  EXPECT_EQ(*InferTask(Doubles({0.0, 0.5, 1.0})), Task::kRegression);
}

TEST(TaskTest, TextAndBoolAreClassification) {
  EXPECT_EQ(*InferTask(Column::String("y", {"a", "b", "a"})), Task::kBinary);
  EXPECT_EQ(*InferTask(Column::String("y", {"a", "b", "c"})), Task::kMulticlass);
  EXPECT_EQ(*InferTask(Column::Bool("y", {0, 1, 1})), Task::kBinary);
}

TEST(TaskTest, StatedTaskWinsWhenFeasible) {
  EXPECT_EQ(*ResolveTask(Doubles(Range(0, 17)), "multiclass"), Task::kMulticlass);
  EXPECT_EQ(*ResolveTask(Doubles({1, 2, 3}), "regression"), Task::kRegression);
  EXPECT_EQ(*ResolveTask(Doubles({1, 2, 3}), ""), Task::kMulticlass);
}

TEST(TaskTest, InfeasibleStatedTaskIsAClearError) {
  auto b = ResolveTask(Doubles({0, 1, 2}), "binary");
  ASSERT_FALSE(b.ok());
  EXPECT_THAT(b.status().message(),
              HasSubstr("task binary: target 'y' has more than 2 distinct values (0, 1, 2); "
                        "binary needs exactly 2 (use multiclass or regression)"));
  auto m = ResolveTask(Column::String("y", {"a", "b"}), "multiclass");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("multiclass needs at least 3 (use binary)"));
  auto r = ResolveTask(Column::String("y", {"a", "b"}), "regression");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("target 'y' is not numeric"));
  auto u = ResolveTask(Doubles({0, 1}), "regresion");
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.status().message(), HasSubstr("(did you mean 'regression'?)"));
}

}  // namespace
}  // namespace mlpipe::table
