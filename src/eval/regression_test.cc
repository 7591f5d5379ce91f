#include "mlpipe/eval/regression.h"

#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

struct Named {
  const char* name;
  Result<double> (*fn)(const MetricInput&);
};
constexpr Named kMetrics[] = {{"rmse", Rmse},
                              {"mae", Mae},
                              {"r2", R2},
                              {"mape", Mape},
                              {"median_absolute_error", MedianAbsoluteError}};

TEST(RegressionTest, MatchesSklearnOnCpuLinearRegression) {
  const auto r = testing::LoadRegression();
  ASSERT_FALSE(r.y_true.empty());
  for (bool weighted : {false, true}) {
    for (const auto& m : kMetrics) {
      SCOPED_TRACE(std::string(m.name) + (weighted ? " weighted" : ""));
      auto v = m.fn(r.Input(weighted));
      ASSERT_TRUE(v.ok()) << v.status().ToString();
      EXPECT_REL(*v, r.json[weighted ? "weighted_metrics" : "metrics"][m.name].get<double>(), 1e-9);
    }
  }
}

TEST(RegressionTest, HandWorkedAndForceFinite) {
  const std::vector<double> y = {1, 2, 3, 4}, p = {1, 3, 3, 6};
  MetricInput in;
  in.y_true = y;
  in.y_pred = p;
  EXPECT_DOUBLE_EQ(*Mae(in), 0.75);
  EXPECT_DOUBLE_EQ(*Rmse(in), std::sqrt(5.0 / 4));
  EXPECT_DOUBLE_EQ(*MedianAbsoluteError(in), 0.5);  // errors 0 1 0 2: median (0 + 1) / 2
  EXPECT_DOUBLE_EQ(*R2(in), 1 - 5.0 / 5.0);
  // Constant truth: 1 when perfect, 0 otherwise (sklearn force_finite=True).
  const std::vector<double> c = {2, 2, 2};
  in.y_true = c;
  in.y_pred = c;
  EXPECT_EQ(*R2(in), 1.0);
  in.y_pred = std::span<const double>(y).first(3);
  EXPECT_EQ(*R2(in), 0.0);
  // MAPE divides by max(|y|, eps): a zero truth gives a huge, finite value.
  const std::vector<double> zero = {0.0}, one = {1.0};
  in.y_true = zero;
  in.y_pred = one;
  EXPECT_DOUBLE_EQ(*Mape(in), 1.0 / DBL_EPSILON);
  EXPECT_NE(R2(in).status().message().find("at least 2 rows"), std::string::npos);
}

TEST(RegressionTest, ErrorsNameTheArgument) {
  const std::vector<double> y = {1, 2, 3}, p = {1, 2}, inf = {1, INFINITY, 3};
  MetricInput in;
  EXPECT_NE(Rmse(in).status().message().find("rmse: y_true: empty input"), std::string::npos);
  in.y_true = y;
  in.y_pred = p;
  EXPECT_NE(Mae(in).status().message().find("y_pred: length 2 differs"), std::string::npos);
  in.y_pred = inf;
  EXPECT_NE(Mape(in).status().message().find("y_pred[1]: not finite"), std::string::npos);
  in.y_pred = y;
  const std::vector<double> zero_w = {0, 0, 0};
  in.weights = zero_w;
  EXPECT_NE(R2(in).status().message().find("weights: sum to 0"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
