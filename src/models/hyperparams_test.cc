#include "mlpipe/models/hyperparams.h"

#include <gtest/gtest.h>

namespace mlpipe::models {
namespace {

std::vector<HyperParamSpec> Specs() {
  return {
      {"depth", ParamType::kInt, "", 6, 1, 16, false, {}, ""},
      {"rate", ParamType::kFloat, "", 0.1, 1e-3, 1, true, {}, ""},
      {"penalty", ParamType::kCategorical, "", 0, 0, 0, false, {"l2", "l1"}, "l2"},
  };
}

TEST(HyperParamsTest, DefaultsFillAbsentNames) {
  auto p = ResolveParams("fam", Specs(), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p->Int("depth"), 6);
  EXPECT_DOUBLE_EQ(*p->Float("rate"), 0.1);
  EXPECT_EQ(*p->Choice("penalty"), "l2");
  EXPECT_EQ(p->ToJson().dump(), R"({"depth":6.0,"penalty":"l2","rate":0.1})");
}

TEST(HyperParamsTest, GivenValuesAndNumericStrings) {
  auto p = ResolveParams(
      "fam", Specs(), {{"depth", std::string("4")}, {"rate", 0.5}, {"penalty", std::string("l1")}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p->Int("depth"), 4);
  EXPECT_DOUBLE_EQ(*p->Float("rate"), 0.5);
  EXPECT_DOUBLE_EQ(*p->Number("depth"), 4);
  EXPECT_EQ(*p->Choice("penalty"), "l1");
}

TEST(HyperParamsTest, UnknownNameListsValidOnes) {
  auto p = ResolveParams("fam", Specs(), {{"detph", 3.0}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "fam: unknown hyperparameter 'detph'; valid: depth, rate, penalty");
}

// A family's code reading a misspelt name gets an error listing the valid
// names, not 0 or "".
TEST(HyperParamsTest, ReadingAnUnknownNameListsValidOnes) {
  auto p = ResolveParams("fam", Specs(), {});
  ASSERT_TRUE(p.ok());
  const std::string expected = "fam: unknown hyperparameter 'detph'; valid: depth, rate, penalty";
  auto i = p->Int("detph");
  ASSERT_FALSE(i.ok());
  EXPECT_EQ(i.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(i.status().message(), expected);
  EXPECT_EQ(p->Float("detph").status().message(), expected);
  EXPECT_EQ(p->Number("detph").status().message(), expected);
  auto c = p->Choice("penalt");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "fam: unknown hyperparameter 'penalt'; valid: depth, rate, penalty");
  auto none = ResolveParams("bare", {}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->Float("alpha").status().message(),
            "bare: unknown hyperparameter 'alpha'; valid: (none)");
}

TEST(HyperParamsTest, ReadingAsAnotherTypeIsAnError) {
  auto p = ResolveParams("fam", Specs(), {});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Int("rate").status().message(), "fam.rate: is float, read as int");
  EXPECT_EQ(p->Float("depth").status().message(), "fam.depth: is int, read as float");
  EXPECT_EQ(p->Choice("depth").status().message(), "fam.depth: is int, read as categorical");
  EXPECT_EQ(p->Number("penalty").status().message(),
            "fam.penalty: is categorical, read as a number");
}

TEST(HyperParamsTest, OutOfRangeNamesTheParameter) {
  auto p = ResolveParams("fam", Specs(), {{"rate", 2.0}});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(p.status().message(), "fam.rate: 2 is outside [0.001, 1]");
}

TEST(HyperParamsTest, TypeErrors) {
  auto a = ResolveParams("fam", Specs(), {{"depth", 2.5}});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "fam.depth: expected an integer, found 2.5");
  auto b = ResolveParams("fam", Specs(), {{"penalty", std::string("l3")}});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "fam.penalty: \"l3\" is not one of l2, l1");
  auto c = ResolveParams("fam", Specs(), {{"rate", std::string("fast")}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "fam.rate: expected a number, found \"fast\"");
  auto d = ResolveParams("fam", Specs(), {{"penalty", 1.0}});
  EXPECT_FALSE(d.ok());
}

TEST(HyperParamsTest, FromJson) {
  auto j = core::ParseJson(R"({"depth": 3, "penalty": "l1"})", "t");
  ASSERT_TRUE(j.ok());
  auto hp = HyperParamsFromJson(*j, "t");
  ASSERT_TRUE(hp.ok());
  EXPECT_EQ(std::get<double>(hp->at("depth")), 3.0);
  EXPECT_FALSE(HyperParamsFromJson(core::Json::array(), "t").ok());
  auto bad = core::ParseJson(R"({"depth": [1]})", "t");
  EXPECT_FALSE(HyperParamsFromJson(*bad, "t").ok());
}

}  // namespace
}  // namespace mlpipe::models
