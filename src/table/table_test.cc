#include "mlpipe/table/table.h"

#include <gtest/gtest.h>

namespace mlpipe::table {
namespace {

Table Sample() {
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Int64("age", {30, 40, 0}, {1, 1, 0})).ok());
  EXPECT_TRUE(t.AddColumn(Column::CategoricalFromStrings("job", {"a", "b", "a"})).ok());
  EXPECT_TRUE(t.AddColumn(Column::Float64("amount", {1.5, 2.5, 3.5})).ok());
  return t;
}

TEST(TableTest, AddColumnChecksNamesAndLengths) {
  Table t = Sample();
  EXPECT_EQ(t.num_rows(), 3u);
  EXPECT_EQ(t.num_columns(), 3u);
  EXPECT_FALSE(t.AddColumn(Column::Int64("age", {1, 2, 3})).ok());
  Status s = t.AddColumn(Column::Int64("x", {1, 2}));
  EXPECT_EQ(s.message(), "column 'x' has 2 rows, the table has 3");
}

TEST(TableTest, MissingIsValidityNotValue) {
  Table t = Sample();
  const Column& age = t.column(0);
  EXPECT_EQ(age.null_count(), 1u);
  EXPECT_FALSE(age.IsValid(2));
  EXPECT_EQ(age.ToStringAt(2), "");
  EXPECT_EQ(t.column(1).categories(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.column(1).TextAt(2), "a");
}

TEST(TableTest, GetColumnListsAlternatives) {
  Table t = Sample();
  auto r = t.GetColumn("salary");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "no column named 'salary' (columns: age, job, amount)");
}

TEST(TableTest, TakeSelectDrop) {
  Table t = Sample();
  Table r = t.Take({2, 0});
  EXPECT_EQ(r.num_rows(), 2u);
  EXPECT_FALSE(r.column(0).IsValid(0));
  EXPECT_EQ(r.column(0).int64s()[1], 30);
  EXPECT_EQ(r.column(2).float64s()[0], 3.5);
  auto s = t.Select({"amount", "age"});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ColumnNames(), (std::vector<std::string>{"amount", "age"}));
  EXPECT_EQ(t.Drop({"job"}).ColumnNames(), (std::vector<std::string>{"age", "amount"}));
  EXPECT_TRUE(t.Equals(t.Take({0, 1, 2})));
  EXPECT_FALSE(t.Equals(r));
}

}  // namespace
}  // namespace mlpipe::table
