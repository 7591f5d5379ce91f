#include "mlpipe/eval/metric_table.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

using testing::ForEachCase;
using testing::Ints;
using testing::LoadClassification;
using testing::LoadFixture;

// Every entry of the table is checked against scikit-learn's (or the
// fairlearn-definition pandas) value on at least one real fixture; an entry
// without a reference fails the test.
TEST(MetricTableTest, EveryMetricMatchesItsReference) {
  const core::Json binary = LoadFixture("binary");
  const core::Json multiclass = LoadFixture("multiclass");
  const auto binary_cases = LoadClassification("binary");
  const auto multi_cases = LoadClassification("multiclass");
  const auto regression = testing::LoadRegression();
  ASSERT_FALSE(binary_cases.empty());
  ASSERT_FALSE(multi_cases.empty());
  std::set<std::string> binary_only;
  for (const auto& n : multiclass["binary_only"]) binary_only.insert(n.get<std::string>());

  for (const MetricDef& def : Metrics()) {
    const std::string name(def.name);
    SCOPED_TRACE(name);
    int checks = 0;
    auto check = [&](const MetricInput& in, const core::Json& expected, double rel) {
      auto v = ComputeMetric(def, in);
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      EXPECT_REL(*v, expected.get<double>(), rel);
      ++checks;
    };
    switch (def.kind) {
      case MetricKind::kClassification:
        for (const auto& c : binary_cases) {
          MetricInput in = c.Input();
          in.lift_fraction = binary["lift_fraction"].get<double>();
          check(in, c.json["metrics"][name], 1e-9);
          if (def.supports_weights) check(c.Input(true), c.json["weighted_metrics"][name], 1e-9);
        }
        for (const auto& c : multi_cases) {
          if (binary_only.count(name) != 0) {
            auto v = ComputeMetric(def, c.Input());
            EXPECT_FALSE(v.ok());
            EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
          } else {
            check(c.Input(), c.json["metrics"][name], 1e-9);
            check(c.Input(true), c.json["weighted_metrics"][name], 1e-9);
          }
        }
        break;
      case MetricKind::kRegression:
        check(regression.Input(), regression.json["metrics"][name], 1e-9);
        check(regression.Input(true), regression.json["weighted_metrics"][name], 1e-9);
        break;
      case MetricKind::kFairness:
        for (const auto& c : binary_cases) {
          ForEachCase(binary, "groups", 3, [&](const core::Json& g) {
            const auto codes = Ints(g["codes"]);
            MetricInput in = c.Input();
            in.groups = codes;
            in.num_groups = g["group_names"].size();
            check(in, c.json["fairness"][g["name"].get<std::string>()][name], 1e-12);
          });
        }
        break;
    }
    EXPECT_GT(checks, 0) << name << " has no reference value in the fixtures";
    if (!def.supports_weights) {
      const std::vector<double> w(binary_cases[0].labels.size(), 1.0);
      MetricInput in = binary_cases[0].Input();
      in.weights = w;
      auto v = ComputeMetric(def, in);
      ASSERT_FALSE(v.ok());
      EXPECT_NE(v.status().message().find("weights"), std::string::npos);
    }
  }
}

TEST(MetricTableTest, NamesAreUniqueAndDescribed) {
  std::set<std::string_view> names;
  for (const MetricDef& def : Metrics()) {
    EXPECT_TRUE(names.insert(def.name).second) << def.name;
    EXPECT_FALSE(def.description.empty()) << def.name;
    EXPECT_NE(def.fn, nullptr) << def.name;
    auto found = FindMetric(def.name);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, &def);
  }
  EXPECT_EQ(names.size(), 21u);
}

TEST(MetricTableTest, UnknownNameListsTheValidOnes) {
  auto r = FindMetric("auc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  const std::string msg = r.status().message();
  EXPECT_NE(msg.find("unknown metric 'auc'"), std::string::npos);
  for (const MetricDef& def : Metrics()) {
    EXPECT_NE(msg.find(std::string(def.name)), std::string::npos) << def.name;
  }
}

TEST(MetricTableTest, HelpListsEveryMetric) {
  const std::string help = MetricHelp();
  for (const MetricDef& def : Metrics()) {
    EXPECT_NE(help.find(std::string(def.name)), std::string::npos) << def.name;
  }
  EXPECT_NE(help.find("roc_auc"), std::string::npos);
  EXPECT_NE(help.find("(lower is better)"), std::string::npos);
}

TEST(MetricTableTest, DirectionFlags) {
  EXPECT_TRUE((*FindMetric("roc_auc"))->higher_is_better);
  EXPECT_TRUE((*FindMetric("roc_auc"))->needs_probabilities);
  EXPECT_FALSE((*FindMetric("log_loss"))->higher_is_better);
  EXPECT_FALSE((*FindMetric("accuracy"))->needs_probabilities);
  EXPECT_FALSE((*FindMetric("rmse"))->higher_is_better);
  EXPECT_EQ((*FindMetric("r2"))->kind, MetricKind::kRegression);
  EXPECT_EQ(MetricKindName(MetricKind::kFairness), "fairness");
}

}  // namespace
}  // namespace mlpipe::eval
