#include "mlpipe/stats/outliers.h"

#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/stats/descriptive.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::LoadFixture;

TEST(OutliersTest, IqrFencesMatchNumpy) {
  const core::Json f = LoadFixture("outliers");
  const std::vector<double> x = Doubles(f["x"]);
  const std::vector<double> qs = {0.25, 0.75};
  const std::vector<double> q = Quantiles(x, qs);
  EXPECT_REL(q[0], f["q1"].get<double>(), 1e-12);
  EXPECT_REL(q[1], f["q3"].get<double>(), 1e-12);
  ForEachCase(f, "iqr", 2, [&](const core::Json& c) {
    const Fences fences = IqrFences(q[0], q[1], c["k"].get<double>());
    EXPECT_REL(fences.low, c["low"].get<double>(), 1e-12);
    EXPECT_REL(fences.high, c["high"].get<double>(), 1e-12);
    EXPECT_EQ(CountOutside(x, fences), c["outside"].get<uint64_t>());
  });
}

TEST(OutliersTest, ZScoreMatchesScipy) {
  const core::Json f = LoadFixture("outliers");
  const std::vector<double> x = Doubles(f["x"]);
  Moments m;
  m.AddAll(x);
  EXPECT_REL(m.mean(), f["mean"].get<double>(), 1e-12);
  EXPECT_REL(m.stddev(0), f["std"].get<double>(), 1e-12);
  ForEachCase(f, "zscore", 2, [&](const core::Json& c) {
    EXPECT_EQ(CountZScoreOutliers(x, m.mean(), m.stddev(0), c["threshold"].get<double>()),
              c["count"].get<uint64_t>());
  });
}

TEST(OutliersTest, EdgeCases) {
  const std::vector<double> x = {1, 2, 3};
  EXPECT_EQ(CountOutside(x, {2, 2}), 2u);  // strictly outside
  EXPECT_EQ(CountOutside({}, {0, 1}), 0u);
  EXPECT_EQ(CountZScoreOutliers(x, 2, 0), 0u);  // zero std: no outliers
  const Fences f = IqrFences(1, 3);
  EXPECT_EQ(f.low, -2);
  EXPECT_EQ(f.high, 6);
}

}  // namespace
}  // namespace mlpipe::stats
