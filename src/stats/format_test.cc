#include "mlpipe/stats/format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(FormatEstimateTest, EstimateWithInterval) {
  // Python: f"{0.77123:.4f} [{0.73006:.4f}, {0.80904:.4f}]"
  EXPECT_EQ(FormatEstimate(0.77123, 0.73006, 0.80904), "0.7712 [0.7301, 0.8090]");
  EXPECT_EQ(FormatEstimate(-1.5, -2.0, 0.25), "-1.5000 [-2.0000, 0.2500]");
}

TEST(FormatEstimateTest, MissingEndsShowTheEstimateAlone) {
  EXPECT_EQ(FormatEstimate(0.5, std::nullopt, std::nullopt), "0.5000");
  EXPECT_EQ(FormatEstimate(0.5, 0.25, std::nullopt), "0.5000");
  EXPECT_EQ(FormatEstimate(0.5, kNaN, 0.75), "0.5000 [n/a, 0.7500]");
}

TEST(FormatEstimateTest, UndefinedEstimate) {
  EXPECT_EQ(FormatEstimate(std::nullopt, 0.1, 0.2), "n/a");
  EXPECT_EQ(FormatEstimate(kNaN, std::nullopt, std::nullopt, "undefined"), "undefined");
}

}  // namespace
}  // namespace mlpipe::stats
