#include "mlpipe/profile/schema.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace mlpipe::profile {
namespace {

using table::DataType;

ColumnSchema Col(std::string name, DataType type, bool required = true) {
  ColumnSchema c;
  c.name = std::move(name);
  c.type = type;
  c.required = required;
  return c;
}

Schema Sample() {
  Schema s;
  s.source = "credit.csv";
  ColumnSchema status = Col("Status", DataType::kCategorical);
  status.max_missing_share = 0;
  status.categories = std::vector<std::string>{"bad", "good"};
  ColumnSchema age = Col("Age", DataType::kInt64);
  age.max_missing_share = 0.03;
  age.min = 18;
  age.max = 68;
  ColumnSchema income = Col("Income", DataType::kFloat64, false);
  income.max_missing_share = 0.13;
  income.min = 6.5;
  income.observed_min = 6.5;
  income.observed_max = 959.25;
  ColumnSchema flag = Col("flag", DataType::kBool);
  ColumnSchema note = Col("note", DataType::kString);
  s.columns = {status, age, income, flag, note};
  return s;
}

// Parses `text` as a schema and returns the error message ("" when it parses).
std::string ParseError(std::string_view text) {
  auto r = Schema::Parse(text, "s.json");
  return r.ok() ? "" : r.status().message();
}

std::string WithColumn(std::string_view column, int version = kSchemaFormatVersion) {
  return "{\"format_version\": " + std::to_string(version) + ", \"columns\": [" +
         std::string(column) + "]}";
}

TEST(SchemaTest, JsonRoundTrip) {
  Schema s = Sample();
  auto back = Schema::Parse(s.ToJsonText(), "mem");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);
  // And again through the file functions.
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("/d").ok());
  Status saved = SaveSchemaFile(env.get(), s, "/d/schema.json");
  ASSERT_TRUE(saved.ok()) << saved.ToString();
  auto loaded = LoadSchemaFile(env.get(), "/d/schema.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, s);
}

TEST(SchemaTest, JsonHasStableHumanOrder) {
  ColumnSchema age = Col("Age", DataType::kInt64);
  age.max_missing_share = 0.03;
  age.min = 18;
  age.max = 68;
  age.observed_min = 19;
  age.observed_max = 67;
  Schema s;
  s.columns = {age};
  EXPECT_EQ(s.ToJsonText(),
            "{\n"
            "  \"format_version\": 2,\n"
            "  \"columns\": [\n"
            "    {\n"
            "      \"name\": \"Age\",\n"
            "      \"type\": \"int64\",\n"
            "      \"required\": true,\n"
            "      \"max_missing_share\": 0.03,\n"
            "      \"min\": 18,\n"
            "      \"max\": 68,\n"
            "      \"observed_min\": 19,\n"
            "      \"observed_max\": 67\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(SchemaTest, ReadsVersionOneFiles) {
  // A file written before observed ranges existed: its min/max stay bounds
  // whose breach is an error, as they were.
  auto r = Schema::Parse(WithColumn(R"({"name": "Age", "type": "int64", "min": 18, "max": 68})", 1),
                         "old.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns[0].min, 18);
  EXPECT_EQ(r->columns[0].max, 68);
  EXPECT_FALSE(r->columns[0].observed_min || r->columns[0].observed_max);
  // Version 1 has no observed range.
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "observed_min": 1})", 1)),
            "s.json: columns[0]: unknown key 'observed_min' (valid: name, type, required, "
            "max_missing_share, categories, min, max)");
}

TEST(SchemaTest, ObservedRangeRules) {
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "observed_min": 1})")),
            "s.json: columns[0].observed_max: observed_min and observed_max go together; delete "
            "both to drop the check, or write min/max for a one-sided bound (column 'a')");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "observed_max": 1})")),
            "s.json: columns[0].observed_min: observed_min and observed_max go together; delete "
            "both to drop the check, or write min/max for a one-sided bound (column 'a')");
  EXPECT_EQ(ParseError(WithColumn(
                R"({"name": "a", "type": "float64", "observed_min": 3, "observed_max": 1})")),
            "s.json: columns[0].observed_min: 3 is greater than observed_max 1 (column 'a')");
  EXPECT_EQ(ParseError(WithColumn(
                R"({"name": "a", "type": "bool", "observed_min": 0, "observed_max": 1})")),
            "s.json: columns[0].observed_min: only int64 and float64 columns have a range "
            "(column 'a' is bool)");
  EXPECT_EQ(ParseError(WithColumn(
                R"({"name": "a", "type": "int64", "observed_min": "0", "observed_max": 1})")),
            "s.json: columns[0].observed_min: expected a number, found string");
}

TEST(SchemaTest, CategoriesStayOnOneLineOrFill) {
  ColumnSchema home = Col("Home", DataType::kCategorical);
  home.max_missing_share = 0;
  home.categories = std::vector<std::string>{"owner", "rent"};
  ColumnSchema many = Col("code", DataType::kCategorical);
  many.categories.emplace();
  for (int i = 0; i < 30; ++i) many.categories->push_back(fmt::format("c{:02}", i));
  Schema s;
  s.columns = {home, many};
  std::string text = s.ToJsonText();
  EXPECT_NE(text.find("      \"categories\": [\"owner\", \"rent\"]\n"), std::string::npos) << text;
  EXPECT_NE(
      text.find("      \"categories\": [\n"
                "        \"c00\", \"c01\", \"c02\", \"c03\", \"c04\", \"c05\", \"c06\", \"c07\", "
                "\"c08\", \"c09\", \"c10\", \"c11\", \"c12\",\n"
                "        \"c13\","),
      std::string::npos)
      << text;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
  }
  auto back = Schema::Parse(text, "mem");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);
}

TEST(SchemaTest, MinimalColumnGetsDefaults) {
  auto r = Schema::Parse(WithColumn(R"({"name": "x", "type": "float64"})"), "s.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const ColumnSchema& c = r->columns[0];
  EXPECT_TRUE(c.required);
  EXPECT_EQ(c.max_missing_share, 1.0);
  EXPECT_FALSE(c.min || c.max || c.observed_min || c.observed_max || c.categories);
}

TEST(SchemaTest, SyntaxErrorNamesLineAndColumn) {
  std::string msg = ParseError("{\n  \"format_version\": 1,\n  \"columns\": [,]\n}");
  EXPECT_EQ(msg.rfind("s.json:3:", 0), 0u) << msg;
  EXPECT_NE(msg.find("invalid JSON"), std::string::npos) << msg;
}

TEST(SchemaTest, TopLevelErrorsNameTheKey) {
  EXPECT_EQ(ParseError("[]"), "s.json: expected a JSON object at the top level, found array");
  EXPECT_EQ(ParseError(R"({"columns": []})"), "s.json: format_version: missing required key");
  EXPECT_EQ(ParseError(R"({"format_version": "1", "columns": []})"),
            "s.json: format_version: expected an integer, found string");
  EXPECT_EQ(ParseError(R"({"format_version": 3, "columns": []})"),
            "s.json: format_version: unsupported version 3 (this mlpipe reads versions 1 to 2)");
  EXPECT_EQ(ParseError(R"({"format_version": 0, "columns": []})"),
            "s.json: format_version: unsupported version 0 (this mlpipe reads versions 1 to 2)");
  EXPECT_EQ(ParseError(R"({"format_version": 1})"), "s.json: columns: missing required key");
  EXPECT_EQ(ParseError(R"({"format_version": 1, "columns": {}})"),
            "s.json: columns: expected an array, found object");
  EXPECT_EQ(ParseError(R"({"format_version": 1, "colums": []})"),
            "s.json: unknown key 'colums' (valid: format_version, source, columns)");
}

TEST(SchemaTest, ColumnErrorsNameTheKey) {
  EXPECT_EQ(ParseError(WithColumn("3")), "s.json: columns[0]: expected an object, found number");
  EXPECT_EQ(ParseError(WithColumn(R"({"type": "int64"})")),
            "s.json: columns[0].name: missing required key");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "", "type": "int64"})")),
            "s.json: columns[0].name: must not be empty");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a"})")),
            "s.json: columns[0].type: missing required key");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "integer"})")),
            "s.json: columns[0].type: unknown type 'integer' (valid: bool, int64, float64, "
            "categorical, string)");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "maximum": 3})")),
            "s.json: columns[0]: unknown key 'maximum' (valid: name, type, required, "
            "max_missing_share, categories, min, max, observed_min, observed_max)");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "required": "yes"})")),
            "s.json: columns[0].required: expected true or false, found string");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "min": "0"})")),
            "s.json: columns[0].min: expected a number, found string");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "min": 5, "max": 2})")),
            "s.json: columns[0].min: 5 is greater than max 2 (column 'a')");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "string", "max": 2})")),
            "s.json: columns[0].max: only int64 and float64 columns have a range (column 'a' "
            "is string)");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "max_missing_share": 1.5})")),
            "s.json: columns[0].max_missing_share: 1.5 is outside [0, 1] (column 'a')");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64", "categories": ["x"]})")),
            "s.json: columns[0].categories: only categorical columns have categories (column "
            "'a' is int64)");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "categorical", "categories": "x"})")),
            "s.json: columns[0].categories: expected an array of strings, found string");
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "categorical", "categories": [1]})")),
            "s.json: columns[0].categories[0]: expected a string, found number");
  EXPECT_EQ(
      ParseError(WithColumn(R"({"name": "a", "type": "categorical", "categories": ["x", "x"]})")),
      "s.json: columns[0].categories[1]: 'x' is listed twice");
}

TEST(SchemaTest, DuplicateColumnIsRefused) {
  EXPECT_EQ(ParseError(WithColumn(R"({"name": "a", "type": "int64"}, {"name": "b", "type": "bool"},
                                     {"name": "a", "type": "string"})")),
            "s.json: columns[2].name: column 'a' is listed twice (also columns[0])");
}

TEST(SchemaTest, FindColumn) {
  Schema s = Sample();
  ASSERT_NE(s.FindColumn("Age"), nullptr);
  EXPECT_EQ(s.FindColumn("Age")->type, DataType::kInt64);
  EXPECT_EQ(s.FindColumn("age"), nullptr);
}

TEST(SchemaTest, LoadMissingFileIsNotFound) {
  auto env = core::NewMemEnv();
  auto r = LoadSchemaFile(env.get(), "/nope.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::profile
