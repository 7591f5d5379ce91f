#include "mlpipe/table/jsonl.h"

#include <gtest/gtest.h>

#include "mlpipe/table/read.h"

namespace mlpipe::table {
namespace {

TEST(JsonlReaderTest, UnionOfKeysAndTypes) {
  Result<Table> t = ReadJsonlString(
      "{\"b\": true, \"i\": 1, \"f\": 1, \"c\": \"x\"}\n"
      "\n"
      "{\"i\": null, \"f\": 2.5, \"c\": \"x\", \"late\": [1, 2], \"b\": false}\r\n"
      "{\"b\": true, \"i\": -3, \"f\": 3, \"c\": \"y\", \"m\": 1}\n"
      "{\"b\": false, \"i\": 4, \"f\": 1e3, \"c\": \"x\", \"m\": \"two\"}\n",
      "d.jsonl");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->ColumnNames(), (std::vector<std::string>{"b", "i", "f", "c", "late", "m"}));
  EXPECT_EQ(t->num_rows(), 4u);
  EXPECT_EQ(t->column(0).type(), DataType::kBool);
  EXPECT_EQ(t->column(1).type(), DataType::kInt64);
  EXPECT_EQ(t->column(1).null_count(), 1u);
  EXPECT_EQ(t->column(1).int64s()[2], -3);
  EXPECT_EQ(t->column(2).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(2).float64s()[3], 1000.0);
  EXPECT_EQ(t->column(3).type(), DataType::kCategorical);
  EXPECT_EQ(t->column(4).type(), DataType::kString);
  EXPECT_EQ(t->column(4).TextAt(1), "[1,2]");
  EXPECT_EQ(t->column(4).null_count(), 3u);
  EXPECT_EQ(t->column(5).type(), DataType::kString);  // number and string
  EXPECT_EQ(t->column(5).TextAt(2), "1");
  EXPECT_FALSE(t->column(5).IsValid(0));
}

TEST(JsonlReaderTest, BigUnsignedIsFloatAndAllNullIsFloat) {
  Result<Table> t =
      ReadJsonlString("{\"a\": 18446744073709551615, \"n\": null}\n{\"a\": 1}\n", "d.jsonl");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(1).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(1).null_count(), 2u);
}

TEST(JsonlReaderTest, ExplicitTypes) {
  CsvReadOptions o;
  o.types = {{"a", DataType::kInt64}, {"b", DataType::kCategorical}};
  Result<Table> t =
      ReadJsonlString("{\"a\": \"5\", \"b\": 1}\n{\"a\": 6, \"b\": 2}\n", "d.jsonl", o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(0).int64s()[0], 5);
  EXPECT_EQ(t->column(1).type(), DataType::kCategorical);
  o.types = {{"a", DataType::kInt64}};
  Result<Table> bad = ReadJsonlString("{\"a\": 1}\n\n{\"a\": \"x\"}\n", "d.jsonl", o);
  EXPECT_EQ(bad.status().message(), "d.jsonl:3: column 'a': 'x' is not a valid int64");
  o.types = {{"zz", DataType::kInt64}};
  bad = ReadJsonlString("{\"a\": 1}\n", "d.jsonl", o);
  EXPECT_EQ(bad.status().message(), "d.jsonl: explicit type for unknown column 'zz'");
}

TEST(JsonlReaderTest, Errors) {
  Result<Table> t = ReadJsonlString("{\"a\": 1}\n{\"a\": }\n", "d.jsonl");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message().rfind("d.jsonl:2: invalid JSON: ", 0), 0u) << t.status().message();
  t = ReadJsonlString("{\"a\": 1}\n[1]\n", "d.jsonl");
  EXPECT_EQ(t.status().message(), "d.jsonl:2: expected a JSON object, found array");
  t = ReadJsonlString("\n \n", "d.jsonl");
  EXPECT_EQ(t.status().message(), "d.jsonl: the file is empty");
}

// Regression: a value nested 100,000 deep crashed (stack overflow while
// dumping it as the column's text).
TEST(JsonlReaderTest, DeepNestingIsAnError) {
  std::string deep =
      "{\"a\": 1}\n{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}\n";
  Result<Table> t = ReadJsonlString(deep, "d.jsonl");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "d.jsonl:2:262: JSON nested deeper than 256 levels");
  // 255 arrays inside the row object: 256 levels, accepted and kept as text.
  std::string ok = "{\"a\": " + std::string(255, '[') + std::string(255, ']') + "}\n";
  t = ReadJsonlString(ok, "d.jsonl");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->num_rows(), 1u);
}

TEST(JsonlReaderTest, ReadTableFileByExtension) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->WriteFileAtomic("x.NDJSON", "{\"a\": 1}\n").ok());
  ASSERT_TRUE(env->WriteFileAtomic("x.tsv", "a,b\tc\n1,2\t3\n").ok());
  ASSERT_TRUE(env->WriteFileAtomic("x.txt", "a;b\n1;2\n").ok());
  Result<Table> t = ReadTableFile(env.get(), "x.NDJSON");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kInt64);
  t = ReadTableFile(env.get(), "x.tsv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ColumnNames(), (std::vector<std::string>{"a,b", "c"}));
  t = ReadTableFile(env.get(), "x.txt");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_columns(), 2u);
  EXPECT_EQ(ReadTableFile(env.get(), "nope.jsonl").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::table
