#include "mlpipe/eval/threshold.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

TEST(ThresholdTest, MatchesFixtureChoices) {
  const auto cases = testing::LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    for (auto [name, objective] : {std::pair{"max_f1", ThresholdObjective::kMaxF1},
                                   std::pair{"youden", ThresholdObjective::kYoudenJ},
                                   std::pair{"cost", ThresholdObjective::kMinCost}}) {
      SCOPED_TRACE(c.model + " " + name);
      const auto& e = c.json["thresholds"][name];
      ThresholdOptions options;
      options.objective = objective;
      if (objective == ThresholdObjective::kMinCost) {
        options.cost_fp = e["cost_fp"].get<double>();
        options.cost_fn = e["cost_fn"].get<double>();
      }
      auto t = ChooseThreshold(c.Input(), options);
      ASSERT_TRUE(t.ok()) << t.status().ToString();
      EXPECT_EQ(t->threshold, e["threshold"].get<double>());
      EXPECT_REL(t->value, e["value"].get<double>(), 1e-12);
      const auto& cm = e["confusion"];  // tp, fp, tn, fn
      EXPECT_EQ(t->tp, cm[0].get<size_t>());
      EXPECT_EQ(t->fp, cm[1].get<size_t>());
      EXPECT_EQ(t->tn, cm[2].get<size_t>());
      EXPECT_EQ(t->fn, cm[3].get<size_t>());
    }
  }
}

TEST(ThresholdTest, CostCanChooseNeverPositive) {
  // Positives are rare and false positives expensive: predicting nothing wins.
  const std::vector<int32_t> y = {0, 0, 0, 1};
  const std::vector<double> s = {0.9, 0.8, 0.7, 0.6};
  MetricInput in;
  in.labels = y;
  in.probabilities = s;
  ThresholdOptions options{ThresholdObjective::kMinCost, 10, 1};
  auto t = ChooseThreshold(in, options);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(std::isinf(t->threshold));
  EXPECT_DOUBLE_EQ(t->value, 0.25);
  EXPECT_EQ(t->fn, 1u);
  // Ties keep the highest threshold: J is 1 at 0.6 only when positives rank first.
  const std::vector<double> perfect = {0.1, 0.2, 0.3, 0.6};
  in.probabilities = perfect;
  auto j = ChooseThreshold(in, {ThresholdObjective::kYoudenJ});
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->threshold, 0.6);
  EXPECT_EQ(j->value, 1.0);
}

TEST(ThresholdTest, Errors) {
  const std::vector<int32_t> y = {1, 1};
  const std::vector<double> s = {0.2, 0.4};
  MetricInput in;
  in.labels = y;
  in.probabilities = s;
  EXPECT_NE(ChooseThreshold(in, {}).status().message().find("only one class present"),
            std::string::npos);
  EXPECT_TRUE(ChooseThreshold(in, {ThresholdObjective::kMinCost, 1, 1}).ok());
  EXPECT_NE(
      ChooseThreshold(in, {ThresholdObjective::kMinCost, -1, 1}).status().message().find("cost_fp"),
      std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
