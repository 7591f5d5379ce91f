// Request parsing against a schema of every feature type: accepted forms give
// the same table; refusals name the field.
#include "model_request.h"

#include <gtest/gtest.h>

namespace mlpipe::serve {
namespace {

using core::Json;
using table::DataType;

profile::ColumnSchema Col(const char* name, DataType type) {
  profile::ColumnSchema c;
  c.name = name;
  c.type = type;
  return c;
}

profile::Schema MixedSchema() {
  profile::Schema s;
  s.columns = {Col("age", DataType::kInt64), Col("income", DataType::kFloat64),
               Col("city", DataType::kCategorical), Col("owner", DataType::kBool)};
  s.columns[2].categories = std::vector<std::string>{"a", "b"};
  return s;
}

profile::Schema NumericSchema() {
  profile::Schema s;
  s.columns = {Col("x", DataType::kFloat64), Col("y", DataType::kInt64)};
  return s;
}

const std::vector<std::string> kOutputs = {"label", "probabilities"};

std::string Error(const Result<V2InferRequest>& r) { return r.ok() ? "" : r.status().message(); }
std::string Error(const Result<table::Table>& r) { return r.ok() ? "" : r.status().message(); }

TEST(ModelRequest, V2TensorPerFeatureFlatOrNestedWithNulls) {
  Json body = Json::parse(R"({"id": "r1", "inputs": [
    {"name": "age", "shape": [2], "datatype": "INT64", "data": [40, null]},
    {"name": "income", "shape": [2, 1], "datatype": "FP64", "data": [[1.5], [2]]},
    {"name": "city", "shape": [2], "datatype": "BYTES", "data": ["a", "b"]},
    {"name": "owner", "shape": [2], "datatype": "BOOL", "data": [true, false]}],
    "outputs": [{"name": "label"}]})");
  auto r = ParseV2Infer(MixedSchema(), body, kOutputs);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->id, "r1");
  EXPECT_EQ(r->rows.num_rows(), 2u);
  EXPECT_EQ(r->rows.num_columns(), 4u);
  EXPECT_EQ(r->outputs, std::vector<std::string>{"label"});
  EXPECT_FALSE(r->rows.columns()[0].IsValid(1));
  EXPECT_EQ(r->rows.columns()[1].float64s()[1], 2.0);
}

TEST(ModelRequest, V2MatrixOnlyWhenEveryFeatureIsNumeric) {
  Json m = Json::parse(
      R"({"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP64", "data": [1, 2, 3, 4]}]})");
  // "x" is a feature name, so it is read as one feature's tensor: shape refused.
  EXPECT_NE(Error(ParseV2Infer(NumericSchema(), m, kOutputs)).find("[n] or [n, 1]"),
            std::string::npos);
  m["inputs"][0]["name"] = "input-0";
  auto r = ParseV2Infer(NumericSchema(), m, kOutputs);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows.columns()[1].int64s()[1], 4);
  EXPECT_NE(Error(ParseV2Infer(MixedSchema(), Json::parse(R"({"inputs": [{"name": "m",
      "shape": [1, 4], "datatype": "FP64", "data": [1, 2, 3, 4]}]})"),
                               kOutputs))
                .find("feature 'city' is categorical"),
            std::string::npos);
}

TEST(ModelRequest, V2RefusalsNameTheField) {
  auto base = Json::parse(R"({"inputs": [
    {"name": "age", "shape": [1], "datatype": "INT64", "data": [40]},
    {"name": "income", "shape": [1], "datatype": "FP64", "data": [1.5]},
    {"name": "city", "shape": [1], "datatype": "BYTES", "data": ["a"]},
    {"name": "owner", "shape": [1], "datatype": "BOOL", "data": [true]}]})");
  ASSERT_TRUE(ParseV2Infer(MixedSchema(), base, kOutputs).ok());
  struct Case {
    const char* pointer;
    Json value;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"/inputs/2/datatype", "FP64", "inputs[2] (city).datatype"},
      {"/inputs/1/data/0", "x", "inputs[1] (income).data[0]"},
      {"/inputs/0/data/0", 1.5, "expected an integer"},
      {"/inputs/0/shape", {2}, "inputs[0] (age).data: 1 values, the shape needs 2"},
      {"/inputs/0/name", "agee", "'agee' is not a feature"},
      {"/inputs/3/data/0", "yes", "expected true or false"},
      {"/outputs", Json::array({{{"name", "margin"}}}), "unknown output 'margin'"},
      {"/id", 5, "id: expected a string"},
  };
  for (const Case& c : cases) {
    Json b = base;
    b[Json::json_pointer(c.pointer)] = c.value;
    EXPECT_NE(Error(ParseV2Infer(MixedSchema(), b, kOutputs)).find(c.expected), std::string::npos)
        << c.pointer << ": " << Error(ParseV2Infer(MixedSchema(), b, kOutputs));
  }
  Json missing = base;
  missing["inputs"].erase(3);
  EXPECT_NE(Error(ParseV2Infer(MixedSchema(), missing, kOutputs)).find("missing feature 'owner'"),
            std::string::npos);
  Json twice = base;
  twice["inputs"].push_back(base["inputs"][0]);
  EXPECT_NE(Error(ParseV2Infer(MixedSchema(), twice, kOutputs)).find("given twice"),
            std::string::npos);
}

TEST(ModelRequest, RecordsAndSplitGiveTheSameTable) {
  Json records = Json::parse(R"([{"age": 3, "income": 1.25, "city": "b", "owner": false},
                                 {"age": null, "income": 2, "city": null, "owner": true}])");
  Json split = Json::parse(R"({"columns": ["city", "owner", "age", "income"],
                               "data": [["b", false, 3, 1.25], [null, true, null, 2]]})");
  auto a = RowsFromRecords(MixedSchema(), records, "instances");
  auto b = RowsFromDataframeSplit(MixedSchema(), split);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  for (size_t c = 0; c < 4; ++c) {
    for (size_t r = 0; r < 2; ++r) {
      EXPECT_EQ(a->columns()[c].IsValid(r), b->columns()[c].IsValid(r));
      if (a->columns()[c].IsValid(r)) {
        EXPECT_EQ(a->columns()[c].ToStringAt(r), b->columns()[c].ToStringAt(r));
      }
    }
  }
}

TEST(ModelRequest, RecordsRefuseMissingExtraMistypedAndHugeValues) {
  auto err = [](const char* text) {
    return Error(RowsFromRecords(MixedSchema(), Json::parse(text), "instances"));
  };
  EXPECT_NE(err(R"([{"age": 1, "income": 1, "city": "a"}])")
                .find("instances[0]: missing feature "
                      "'owner'"),
            std::string::npos);
  EXPECT_NE(err(R"([{"age": 1, "income": 1, "city": "a", "owner": true, "zip": 1}])")
                .find("unknown feature 'zip'"),
            std::string::npos);
  EXPECT_NE(err(R"([{"age": "1", "income": 1, "city": "a", "owner": true}])")
                .find("feature 'age' (int64) expected a number, got string"),
            std::string::npos);
  // JSON has no NaN or Inf; a number beyond double's range is refused where it is parsed.
  auto huge = ParseJsonBody(R"([{"age": 1, "income": 1e999, "city": "a", "owner": true}])");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("1e999"), std::string::npos) << huge.status().message();
  EXPECT_NE(err(R"({"age": 1})").find("instances: expected a list"), std::string::npos);
}

TEST(ModelRequest, MlflowBodies) {
  auto schema = MixedSchema();
  auto csv = RowsFromMlflowBody(schema, "text/csv; charset=utf-8",
                                "owner,city,age,income\ntrue,a,4,1.5\n");
  ASSERT_TRUE(csv.ok()) << csv.status().message();
  EXPECT_EQ(csv->num_rows(), 1u);
  EXPECT_NE(Error(RowsFromMlflowBody(schema, "text/csv", "owner,city,age\ntrue,a,4\n"))
                .find("missing feature column 'income'"),
            std::string::npos);
  EXPECT_NE(Error(RowsFromMlflowBody(schema, "application/json", R"({"inputs": []})"))
                .find("unknown key 'inputs'"),
            std::string::npos);
  EXPECT_NE(
      Error(RowsFromMlflowBody(schema, "application/json", "{\"instances\": [")).find("body:"),
      std::string::npos);
  EXPECT_NE(Error(RowsFromMlflowBody(schema, "text/html", "x")).find("Content-Type"),
            std::string::npos);
}

}  // namespace
}  // namespace mlpipe::serve
