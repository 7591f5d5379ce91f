#include "mlpipe/eval/fairness.h"

#include <cmath>
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

TEST(FairnessTest, MatchesFairlearnDefinitionsOnCreditG) {
  const core::Json fixture = LoadFixture("binary");
  const auto cases = LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  int columns = 0;
  for (const auto& c : cases) {
    ForEachCase(fixture, "groups", 3, [&](const core::Json& g) {
      const std::string name = g["name"].get<std::string>();
      SCOPED_TRACE(c.model + " " + name);
      const auto codes = Ints(g["codes"]);
      ProtectedColumn column{name, codes, g["group_names"].get<std::vector<std::string>>()};
      auto r = EvaluateFairness(c.labels, c.predicted, column);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      const auto& e = c.json["fairness"][name];
      EXPECT_EQ(r->column, name);
      ASSERT_EQ(r->groups.size(), e["per_group"].size());
      for (size_t k = 0; k < r->groups.size(); ++k) {
        const auto& got = r->groups[k];
        const auto& want = e["per_group"][k];
        EXPECT_EQ(got.code, want["group"].get<int32_t>());
        EXPECT_EQ(got.name, column.group_names[static_cast<size_t>(got.code)]);
        EXPECT_EQ(got.count, want["count"].get<size_t>());
        EXPECT_REL(got.selection_rate, want["selection_rate"].get<double>(), 1e-12);
        EXPECT_REL(got.tpr, want["tpr"].get<double>(), 1e-12);
        EXPECT_REL(got.fpr, want["fpr"].get<double>(), 1e-12);
        EXPECT_REL(got.accuracy, want["accuracy"].get<double>(), 1e-12);
        EXPECT_REL(got.disparate_impact, e["disparate_impact"][k].get<double>(), 1e-12);
        EXPECT_EQ(got.four_fifths_flag, e["four_fifths_flag"][k].get<bool>());
      }
      EXPECT_REL(r->demographic_parity_difference, e["demographic_parity_difference"].get<double>(),
                 1e-12);
      EXPECT_REL(r->demographic_parity_ratio, e["demographic_parity_ratio"].get<double>(), 1e-12);
      EXPECT_REL(r->equalized_odds_difference, e["equalized_odds_difference"].get<double>(), 1e-12);
      EXPECT_REL(r->equalized_odds_ratio, e["equalized_odds_ratio"].get<double>(), 1e-12);
      EXPECT_REL(r->equal_opportunity_difference, e["equal_opportunity_difference"].get<double>(),
                 1e-12);

      // The scalar table functions agree with the report.
      MetricInput in = c.Input();
      in.groups = codes;
      in.num_groups = column.group_names.size();
      EXPECT_EQ(*DemographicParityDifference(in), r->demographic_parity_difference);
      EXPECT_EQ(*EqualizedOddsRatio(in), r->equalized_odds_ratio);
      ++columns;
    });
  }
  EXPECT_EQ(columns, 6);
}

TEST(FairnessTest, HandWorkedFourFifths) {
  // Group a: 4 rows, 2 selected (0.5); group b: 4 rows, 1 selected (0.25).
  const std::vector<int32_t> y = {1, 0, 1, 0, 1, 0, 1, 0};
  const std::vector<int32_t> p = {1, 1, 0, 0, 1, 0, 0, 0};
  const std::vector<int32_t> g = {0, 0, 0, 0, 1, 1, 1, 1};
  auto r = EvaluateFairness(y, p, {"grp", g, {"a", "b", "unused"}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->groups.size(), 2u);  // "unused" has no rows: not reported
  EXPECT_DOUBLE_EQ(r->groups[1].disparate_impact, 0.5);
  EXPECT_TRUE(r->groups[1].four_fifths_flag);
  EXPECT_FALSE(r->groups[0].four_fifths_flag);
  EXPECT_DOUBLE_EQ(r->demographic_parity_difference, 0.25);
  EXPECT_DOUBLE_EQ(r->demographic_parity_ratio, 0.5);
  EXPECT_DOUBLE_EQ(r->equal_opportunity_difference, 0.0);  // TPR 1/2 in both
  EXPECT_DOUBLE_EQ(r->equalized_odds_difference, 0.5);     // FPR 1/2 vs 0
  EXPECT_DOUBLE_EQ(r->equalized_odds_ratio, 0.0);
}

TEST(FairnessTest, UndefinedRatioAndErrors) {
  const std::vector<int32_t> y = {1, 0, 1, 0}, none = {0, 0, 0, 0}, g = {0, 0, 1, 1};
  auto r = EvaluateFairness(y, none, {"grp", g, {"a", "b"}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(r->demographic_parity_ratio));
  EXPECT_TRUE(std::isnan(r->groups[0].disparate_impact));
  MetricInput in;
  in.labels = y;
  in.predicted = none;
  in.groups = g;
  in.num_groups = 2;
  EXPECT_NE(DemographicParityRatio(in).status().message().find("ratio undefined"),
            std::string::npos);
  EXPECT_EQ(*DemographicParityDifference(in), 0.0);
  const std::vector<int32_t> bad = {0, 0, 2, 1};
  auto e = EvaluateFairness(y, none, {"sex", bad, {"f", "m"}});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("fairness[sex]: groups[2]: group code 2 outside [0, 2)"),
            std::string::npos);
  const std::vector<int32_t> short_g = {0, 1};
  EXPECT_NE(EvaluateFairness(y, none, {"sex", short_g, {"f", "m"}})
                .status()
                .message()
                .find("groups: length 2 differs"),
            std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
