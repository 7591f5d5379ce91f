#include "mlpipe/eval/calibration.h"

#include <vector>

#include <gtest/gtest.h>

#include "eval_fixtures.h"

namespace mlpipe::eval {
namespace {

using testing::Doubles;
using testing::LoadClassification;

TEST(CalibrationTest, MatchesSklearnCalibrationCurve) {
  const auto cases = LoadClassification("binary");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    for (auto [name, strategy] : {std::pair{"uniform", CalibrationStrategy::kUniform},
                                  std::pair{"quantile", CalibrationStrategy::kQuantile}}) {
      SCOPED_TRACE(c.model + " " + name);
      const auto& e = c.json["calibration"][name];
      auto curve = ComputeCalibrationCurve(c.Input(), e["n_bins"].get<int>(), strategy);
      ASSERT_TRUE(curve.ok()) << curve.status().ToString();
      const auto pt = Doubles(e["prob_true"]), pp = Doubles(e["prob_pred"]);
      ASSERT_EQ(curve->prob_true.size(), pt.size());
      size_t total = 0;
      for (size_t k = 0; k < pt.size(); ++k) {
        EXPECT_REL(curve->prob_true[k], pt[k], 1e-12);
        EXPECT_REL(curve->prob_pred[k], pp[k], 1e-12);
        total += curve->counts[k];
      }
      EXPECT_EQ(total, c.labels.size());
    }
  }
}

TEST(CalibrationTest, EdgeValueFallsInLowerBin) {
  // 0.5 is the inner edge of 2 uniform bins: searchsorted side='left' puts it low.
  const std::vector<int32_t> y = {0, 1, 1};
  const std::vector<double> p = {0.5, 0.5, 0.9};
  MetricInput in;
  in.labels = y;
  in.probabilities = p;
  auto curve = ComputeCalibrationCurve(in, 2);
  ASSERT_TRUE(curve.ok());
  ASSERT_EQ(curve->counts, (std::vector<size_t>{2, 1}));
  EXPECT_DOUBLE_EQ(curve->prob_true[0], 0.5);
  EXPECT_DOUBLE_EQ(curve->prob_pred[1], 0.9);
}

TEST(CalibrationTest, RejectsBadInput) {
  const std::vector<int32_t> y = {0, 1};
  const std::vector<double> p = {-0.1, 0.5};
  MetricInput in;
  in.labels = y;
  in.probabilities = p;
  auto r = ComputeCalibrationCurve(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("probabilities[0]"), std::string::npos);
  const std::vector<double> ok = {0.1, 0.5};
  in.probabilities = ok;
  EXPECT_NE(ComputeCalibrationCurve(in, 0).status().message().find("n_bins"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::eval
