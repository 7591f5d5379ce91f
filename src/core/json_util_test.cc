#include "mlpipe/core/json_util.h"

#include <gtest/gtest.h>

namespace mlpipe::core {
namespace {

TEST(JsonUtilTest, ParseErrorNamesLineAndColumn) {
  auto r = ParseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "schema.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("schema.json:3:", 0), 0u) << r.status().message();
}

TEST(JsonUtilTest, GetFieldNamesKey) {
  Json j = Json::parse(R"({"name": "age", "min": 3})");
  EXPECT_EQ(*GetField<std::string>(j, "name", "columns[0]"), "age");
  auto missing = GetField<std::string>(j, "type", "columns[0]");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "columns[0].type: missing required key");
  auto wrong = GetField<std::string>(j, "min", "columns[0]");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("columns[0].min"), std::string::npos);
  EXPECT_EQ(*GetFieldOr<double>(j, "max", "c", 9.5), 9.5);
}

std::string Nested(size_t depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

// Regression: values nested 100,000 deep overflowed the stack (nlohmann's
// dump and comparison recurse); now refused before parsing.
TEST(JsonUtilTest, DepthIsLimited) {
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth), "a.json").ok());
  auto deep = ParseJson(Nested(kMaxJsonDepth + 1), "a.json");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(deep.status().message(), "a.json:1:257: JSON nested deeper than 256 levels");
  auto huge = ParseJson("{\"a\":\n" + Nested(100000) + "}", "b.json");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().message(), "b.json:2:256: JSON nested deeper than 256 levels");
  // Brackets inside strings (with escaped quotes) do not count.
  std::string in_string = "[\"" + std::string(1000, '[') + "\\\"{\"]";
  EXPECT_TRUE(ParseJson(in_string, "c.json").ok());
}

// Regression: a number beyond double threw out_of_range, which escaped
// ParseJson (an HTTP 500 for a request body).
TEST(JsonUtilTest, NumberOutOfRangeIsInvalidArgument) {
  auto r = ParseJson(R"({"name": 1e999})", "request body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "request body: invalid JSON: number overflow parsing '1e999'");
}

}  // namespace
}  // namespace mlpipe::core
