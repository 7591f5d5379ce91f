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

}  // namespace
}  // namespace mlpipe::core
