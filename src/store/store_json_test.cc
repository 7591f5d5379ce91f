// Tests of the tracking API's wire format: every record round-trips through
// JSON, non-finite doubles survive, wrong types name the key, and the
// percent-encoding matches RFC 3986 (values checked with Python's
// urllib.parse.quote(s, safe='')).
#include "mlpipe/store/store_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mlpipe::store {
namespace {

template <typename T>
T RoundTrip(const T& v) {
  auto text = DumpJson(ToJson(v));
  EXPECT_TRUE(text.ok());
  T out;
  Status s = FromJson(Json::parse(*text), "x", &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(StoreJsonTest, RunRoundTrips) {
  store::Run r;
  r.info.run_id = "0123456789abcdef0123456789abcdef";
  r.info.experiment_id = 3;
  r.info.experiment = "credit";
  r.info.status = RunStatus::kFailed;
  r.info.start_us = 1700000000000000;
  r.info.end_us = 1700000000000042;
  r.info.origin.seed = std::numeric_limits<uint64_t>::max();
  r.info.origin.git_dirty = true;
  r.info.origin.command = "mlpipe train --data \"a b.csv\"";
  r.params = {{"model", "gbdt"}, {"eta", "0.1"}};
  r.tags = {{"team", "risk ü"}};
  r.metrics["auc"] = {"auc", 0.8125, 7, 99};
  r.metrics["inf"] = {"inf", -std::numeric_limits<double>::infinity(), 0, 1};
  r.artifacts = {{"model.json", std::string(64, 'a'), 12345}};
  r.inputs = {{"credit", 2, DatasetRole::kValidation}};
  store::Run got = RoundTrip(r);
  EXPECT_EQ(got.info.run_id, r.info.run_id);
  EXPECT_EQ(got.info.status, RunStatus::kFailed);
  EXPECT_EQ(got.info.end_us, r.info.end_us);
  EXPECT_EQ(got.info.origin.seed, r.info.origin.seed);
  EXPECT_TRUE(got.info.origin.git_dirty);
  EXPECT_EQ(got.info.origin.command, r.info.origin.command);
  EXPECT_EQ(got.params, r.params);
  EXPECT_EQ(got.tags, r.tags);
  EXPECT_EQ(got.metrics.at("auc").value, 0.8125);
  EXPECT_EQ(got.metrics.at("auc").step, 7);
  EXPECT_TRUE(std::isinf(got.metrics.at("inf").value));
  EXPECT_LT(got.metrics.at("inf").value, 0);
  ASSERT_EQ(got.artifacts.size(), 1u);
  EXPECT_EQ(got.artifacts[0].size, 12345u);
  ASSERT_EQ(got.inputs.size(), 1u);
  EXPECT_EQ(got.inputs[0].role, DatasetRole::kValidation);
}

TEST(StoreJsonTest, NaNTravelsAsAString) {
  Metric m{"m", std::numeric_limits<double>::quiet_NaN(), 0, 0};
  EXPECT_EQ(ToJson(m)["value"], "NaN");
  EXPECT_TRUE(std::isnan(RoundTrip(m).value));
}

TEST(StoreJsonTest, RegistryAndLineageRoundTrip) {
  ModelVersion v;
  v.model = "credit-risk";
  v.version = 4;
  v.status = ModelVersionStatus::kArchived;
  v.tags = {{"a", "b"}};
  ModelVersion gv = RoundTrip(v);
  EXPECT_EQ(gv.status, ModelVersionStatus::kArchived);
  EXPECT_EQ(gv.tags, v.tags);
  RegisteredModel m{"credit-risk", "d", 5, {{"prod", 2}, {"staging", 3}}};
  EXPECT_EQ(RoundTrip(m).aliases, m.aliases);
  LineageGraph g;
  g.artifacts = {{1, "dataset", "credit@3", "h"}};
  g.executions = {{2, "train", "r", "{}", 1, 2}};
  g.edges = {{2, 1, EventDirection::kOutput, "model"}};
  LineageGraph gg = RoundTrip(g);
  ASSERT_EQ(gg.edges.size(), 1u);
  EXPECT_EQ(gg.edges[0].direction, EventDirection::kOutput);
  EXPECT_EQ(gg.artifacts[0].name, "credit@3");
}

TEST(StoreJsonTest, WrongTypesNameTheKey) {
  Metric m;
  Status s = FromJson(Json::parse(R"({"key": "a", "step": "seven"})"), "body.metrics[3]", &m);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("body.metrics[3].step"), std::string::npos) << s.message();
  RunInfo r;
  s = FromJson(Json::parse(R"({"status": "DONE"})"), "run", &r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("RUNNING"), std::string::npos) << s.message();
  std::vector<Metric> ms;
  s = FromJson(Json::parse(R"([{"key": 1}])"), "metrics", &ms);
  EXPECT_NE(s.message().find("metrics[0].key"), std::string::npos) << s.message();
  EXPECT_EQ(FromJson(Json::parse("{}"), "metrics", &ms).code(), StatusCode::kInvalidArgument);
}

TEST(StoreJsonTest, InvalidUtf8IsAnErrorNotAnException) {
  Experiment e{1, std::string("bad \xff name"), 0};
  EXPECT_EQ(DumpJson(ToJson(e)).status().code(), StatusCode::kInvalidArgument);
}

TEST(StoreJsonTest, PercentEncodingMatchesPython) {
  // urllib.parse.quote("credit risk/v2?ü&=~._-", safe='')
  EXPECT_EQ(PercentEncode("credit risk/v2?\xc3\xbc&=~._-"),
            "credit%20risk%2Fv2%3F%C3%BC%26%3D~._-");
  EXPECT_EQ(*PercentDecode("credit%20risk%2Fv2%3F%C3%BC%26%3D~._-"),
            "credit risk/v2?\xc3\xbc&=~._-");
  EXPECT_EQ(PercentDecode("a%2").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PercentDecode("a%zz").status().code(), StatusCode::kInvalidArgument);
  auto q = ParseQuery("filter=metrics.auc%20%3E%200.8&order_by=a&order_by=b%20DESC&empty=");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->find("filter")->second, "metrics.auc > 0.8");
  auto [lo, hi] = q->equal_range("order_by");
  ASSERT_EQ(std::distance(lo, hi), 2);
  EXPECT_EQ(lo->second, "a");
  EXPECT_EQ(std::next(lo)->second, "b DESC");
  EXPECT_EQ(q->find("empty")->second, "");
  EXPECT_TRUE(ParseQuery("")->empty());
}

TEST(StoreJsonTest, StatusCodesRoundTripByName) {
  for (int c = 1; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    auto code = static_cast<StatusCode>(c);
    EXPECT_EQ(StatusCodeFromName(StatusCodeName(code)), code);
  }
  EXPECT_EQ(StatusCodeFromName("unauthenticated"), StatusCode::kInternal);
}

}  // namespace
}  // namespace mlpipe::store
