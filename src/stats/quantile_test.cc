#include "mlpipe/stats/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/core/random.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::LoadFixture;

TEST(QuantileTest, SortedAndSelectionMatchNumpy) {
  const core::Json f = LoadFixture("quantile");
  ForEachCase(f, "cases", 5, [&](const core::Json& c) {
    std::vector<double> x = Doubles(c["x"]);
    const std::vector<double> qs = Doubles(c["q"]);
    const std::vector<double> expected = Doubles(c["expected"]);
    const std::vector<double> selected = Quantiles(x, qs);
    std::sort(x.begin(), x.end());
    for (size_t i = 0; i < qs.size(); ++i) {
      EXPECT_REL(QuantileSorted(x, qs[i]), expected[i], 1e-12);
      EXPECT_EQ(selected[i], QuantileSorted(x, qs[i])) << "q = " << qs[i];
    }
  });
}

TEST(QuantileTest, SelectionEqualsSortOnManyQuantiles) {
  core::Rng rng(11);
  std::vector<double> x(5001);
  for (auto& v : x) v = std::round(rng.Normal() * 50);  // many ties
  std::vector<double> qs;
  for (int i = 0; i <= 100; ++i) qs.push_back(i / 100.0);
  std::reverse(qs.begin(), qs.end());  // any order
  const std::vector<double> got = Quantiles(x, qs);
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < qs.size(); ++i) EXPECT_EQ(got[i], QuantileSorted(sorted, qs[i]));
}

TEST(QuantileTest, EdgeCases) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(QuantileSorted({}, 0.5)));
  const std::vector<double> x = {1, 2, 3};
  EXPECT_TRUE(std::isnan(QuantileSorted(x, -0.1)));
  EXPECT_TRUE(std::isnan(QuantileSorted(x, 1.5)));
  EXPECT_TRUE(std::isnan(QuantileSorted(x, nan)));
  const std::vector<double> qs = {0.5, 2.0};
  const std::vector<double> r = Quantiles(x, qs);
  EXPECT_EQ(r[0], 2);
  EXPECT_TRUE(std::isnan(r[1]));
  const std::vector<double> with_nan = {1, nan, 3};
  EXPECT_TRUE(std::isnan(Quantiles(with_nan, qs)[0]));  // numpy propagates NaN
  EXPECT_TRUE(std::isnan(Quantiles({}, qs)[0]));
}

// The rank of v in sorted data: the number of values < v, plus half of those
// equal (a value inside a run of ties can stand for any rank in the run).
double RankOf(const std::vector<double>& sorted, double v) {
  const auto lo = std::lower_bound(sorted.begin(), sorted.end(), v);
  const auto hi = std::upper_bound(sorted.begin(), sorted.end(), v);
  return static_cast<double>(lo - sorted.begin()) + 0.5 * static_cast<double>(hi - lo);
}

double MaxRankError(const QuantileSketch& s, const std::vector<double>& sorted) {
  double worst = 0;
  const double n = static_cast<double>(sorted.size());
  for (int i = 1; i < 100; ++i) {
    const double q = i / 100.0;
    const double rank = RankOf(sorted, s.Quantile(q));
    worst = std::max(worst, std::abs(rank - q * (n - 1)) / n);
  }
  return worst;
}

TEST(QuantileSketchTest, RankErrorOnAMillionValues) {
  constexpr int kK = 200;
  core::Rng rng(5);
  std::vector<double> x(1000000);
  for (auto& v : x) v = rng.Normal();
  QuantileSketch sketch(kK, 42);
  for (double v : x) sketch.Add(v);
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sketch.count(), x.size());
  EXPECT_EQ(sketch.Quantile(0), sorted.front());
  EXPECT_EQ(sketch.Quantile(1), sorted.back());
  const double err = MaxRankError(sketch, sorted);
  EXPECT_LE(err, 1.7 / kK) << "worst normalised rank error over 99 quantiles";
  EXPECT_GT(err, 0.0);  // a 1e6-value sketch of ~600 items cannot be exact
}

TEST(QuantileSketchTest, MergedSketchesKeepTheBound) {
  constexpr int kK = 200;
  core::Rng rng(6);
  std::vector<double> x(1000000);
  for (auto& v : x) v = rng.Uniform() * rng.Uniform();  // skewed
  std::vector<QuantileSketch> parts;
  for (int p = 0; p < 8; ++p) parts.emplace_back(kK, core::Rng::Derive(1, p));
  for (size_t i = 0; i < x.size(); ++i) parts[(i * 8) / x.size()].Add(x[i]);
  QuantileSketch merged = parts[0];
  for (int p = 1; p < 8; ++p) merged.Merge(parts[p]);
  std::sort(x.begin(), x.end());
  EXPECT_EQ(merged.count(), x.size());
  EXPECT_EQ(merged.Quantile(0), x.front());
  EXPECT_EQ(merged.Quantile(1), x.back());
  EXPECT_LE(MaxRankError(merged, x), 1.7 / kK);
}

TEST(QuantileSketchTest, ExactWhileSmallAndDeterministic) {
  QuantileSketch s(200, 9);
  EXPECT_TRUE(std::isnan(s.Quantile(0.5)));
  std::vector<double> x = {5, 1, 4, 2, 3, std::numeric_limits<double>::quiet_NaN()};
  for (double v : x) s.Add(v);
  EXPECT_EQ(s.count(), 5u);  // NaN ignored
  EXPECT_EQ(s.Quantile(0.5), 3);
  EXPECT_EQ(s.Quantile(0.1), 1.4);  // numpy linear while exact
  const std::vector<double> qs = {0.0, 0.25, 1.0};
  EXPECT_EQ(s.Quantiles(qs), (std::vector<double>{1, 2, 5}));

  QuantileSketch a(64, 3), b(64, 3);
  core::Rng rng(1);
  for (int i = 0; i < 100000; ++i) {
    const double v = rng.Uniform();
    a.Add(v);
    b.Add(v);
  }
  for (int i = 1; i < 20; ++i) EXPECT_EQ(a.Quantile(i / 20.0), b.Quantile(i / 20.0));
  a.Merge(a);  // self-merge doubles every weight
  EXPECT_EQ(a.count(), 200000u);
  EXPECT_NEAR(a.Quantile(0.5), 0.5, 0.05);
}

}  // namespace
}  // namespace mlpipe::stats
