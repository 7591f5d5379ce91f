#include "mlpipe/stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::LoadFixture;

IndexStatistic MeanOf(const std::vector<double>& x) {
  return [&x](std::span<const uint32_t> rows) {
    double s = 0;
    for (uint32_t r : rows) s += x[r];
    return s / static_cast<double>(rows.size());
  };
}

IndexStatistic MedianOf(const std::vector<double>& x) {
  return [&x](std::span<const uint32_t> rows) {
    std::vector<double> v;
    v.reserve(rows.size());
    for (uint32_t r : rows) v.push_back(x[r]);
    std::sort(v.begin(), v.end());
    return QuantileSorted(v, 0.5);
  };
}

// mlpipe's interval against scipy's at the same level. The two use different
// random streams, so bounds agree to Monte Carlo error only (about 0.004 with
// 20,000 resamples here and 99,999 in scipy); the tolerance is a third of the
// gap between scipy's 95% and 90% bounds, so an interval at the wrong level
// misses it by twice the tolerance or more.
::testing::AssertionResult MatchesScipyAt(const ConfidenceInterval& ci, const core::Json& c,
                                          const std::string& suffix) {
  const double low = c["low" + suffix].get<double>(), high = c["high" + suffix].get<double>();
  const double tol_low = std::abs(c["low"].get<double>() - c["low_90"].get<double>()) / 3;
  const double tol_high = std::abs(c["high"].get<double>() - c["high_90"].get<double>()) / 3;
  if (std::abs(ci.low - low) <= tol_low && std::abs(ci.high - high) <= tol_high) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "[" << ci.low << ", " << ci.high << "] vs scipy's [" << low << ", " << high
         << "] (tolerance " << tol_low << ", " << tol_high << ")";
}

// Computed once per (statistic, level): the two tests below share them.
Result<ConfidenceInterval> CiAt(const std::vector<double>& x, const std::string& statistic,
                                double confidence) {
  static std::map<std::pair<std::string, double>, Result<ConfidenceInterval>> cache;
  const auto key = std::make_pair(statistic, confidence);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  BootstrapOptions opt;
  opt.seed = 123;
  opt.resamples = 20000;
  opt.confidence = confidence;
  auto ci = BootstrapPercentileCi(x.size(), statistic == "mean" ? MeanOf(x) : MedianOf(x), opt);
  cache.emplace(key, ci);
  return ci;
}

TEST(BootstrapTest, PercentileCiMatchesScipy) {
  const core::Json f = LoadFixture("bootstrap");
  const std::vector<double> x = Doubles(f["x"]);
  ForEachCase(f, "cases", 2, [&](const core::Json& c) {
    const std::string name = c["statistic"].get<std::string>();
    for (const auto& [confidence, suffix] :
         {std::pair<double, std::string>{0.95, ""}, std::pair<double, std::string>{0.90, "_90"}}) {
      SCOPED_TRACE(confidence);
      const auto ci = CiAt(x, name, confidence);
      ASSERT_TRUE(ci.ok()) << ci.status().ToString();
      std::cout << name << " at " << confidence << ": [" << ci->low << ", " << ci->high
                << "], scipy [" << c["low" + suffix].get<double>() << ", "
                << c["high" + suffix].get<double>() << "]\n";
      EXPECT_TRUE(MatchesScipyAt(*ci, c, suffix));
      EXPECT_LT(ci->low, ci->estimate);
      EXPECT_GT(ci->high, ci->estimate);
    }
  });
}

// The comparison above can fail: an interval at the wrong level is rejected.
TEST(BootstrapTest, AWrongLevelDoesNotMatchScipy) {
  const core::Json f = LoadFixture("bootstrap");
  const std::vector<double> x = Doubles(f["x"]);
  ForEachCase(f, "cases", 2, [&](const core::Json& c) {
    const std::string name = c["statistic"].get<std::string>();
    const auto at90 = CiAt(x, name, 0.90), at95 = CiAt(x, name, 0.95);
    ASSERT_TRUE(at90.ok() && at95.ok());
    EXPECT_FALSE(MatchesScipyAt(*at90, c, ""));
    EXPECT_FALSE(MatchesScipyAt(*at95, c, "_90"));
  });
}

// Independent of scipy: over many samples from a known normal distribution,
// the 95% interval of the mean covers the true mean about 94% of the time
// (the percentile bootstrap under-covers slightly at n = 60), the 90% one
// about 89%. With 600 samples the standard error of a coverage is 0.009, so
// the band [0.92, 0.97] holds the 95% level and excludes the 90% one.
double CoverageOfTheMean(double confidence) {
  constexpr int kSamples = 600, kRows = 60;
  constexpr double kMu = 5.0, kSigma = 2.0;
  int covered = 0;
  for (int s = 0; s < kSamples; ++s) {
    core::Rng rng(core::Rng::Derive(2024, static_cast<uint64_t>(s)));
    std::vector<double> x(kRows);
    for (double& v : x) v = kMu + kSigma * rng.Normal();
    BootstrapOptions opt;
    opt.seed = static_cast<uint64_t>(s);
    opt.resamples = 1000;
    opt.confidence = confidence;
    const auto ci = BootstrapPercentileCi(x.size(), MeanOf(x), opt);
    if (!ci.ok()) {
      ADD_FAILURE() << ci.status().ToString();
      return 0;
    }
    covered += ci->low <= kMu && kMu <= ci->high;
  }
  return static_cast<double>(covered) / kSamples;
}

TEST(BootstrapTest, CoverageOfTheMeanMatchesTheLevel) {
  const double at95 = CoverageOfTheMean(0.95), at90 = CoverageOfTheMean(0.90);
  std::cout << "coverage of the mean: " << at95 << " at 95%, " << at90 << " at 90%\n";
  EXPECT_GE(at95, 0.92);
  EXPECT_LE(at95, 0.97);
  EXPECT_LT(at90, 0.92);  // the band tells the two levels apart
}

TEST(BootstrapTest, SameSeedSameResultWhateverTheThreads) {
  const core::Json f = LoadFixture("bootstrap");
  const std::vector<double> x = Doubles(f["x"]);
  BootstrapOptions opt;
  opt.resamples = 2000;
  opt.seed = 77;
  const auto serial = BootstrapPercentileCi(x.size(), MeanOf(x), opt);
  ASSERT_TRUE(serial.ok());
  for (size_t threads : {1u, 2u, 3u, 8u}) {
    core::ThreadPool pool(threads);
    opt.pool = &pool;
    const auto par = BootstrapPercentileCi(x.size(), MeanOf(x), opt);
    ASSERT_TRUE(par.ok());
    EXPECT_EQ(par->low, serial->low) << threads;
    EXPECT_EQ(par->high, serial->high) << threads;
    EXPECT_EQ(par->estimate, serial->estimate);
  }
  opt.pool = nullptr;
  opt.seed = 78;
  const auto other = BootstrapPercentileCi(x.size(), MeanOf(x), opt);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->low, serial->low);  // the seed matters
}

TEST(BootstrapTest, BadInput) {
  const std::vector<double> x = {1, 2, 3};
  BootstrapOptions opt;
  EXPECT_FALSE(BootstrapPercentileCi(0, MeanOf(x), opt).ok());
  EXPECT_FALSE(BootstrapPercentileCi(3, IndexStatistic{}, opt).ok());
  opt.confidence = 1.0;
  auto r = BootstrapPercentileCi(3, MeanOf(x), opt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bootstrap.confidence"), std::string::npos);
  opt.confidence = 0.9;
  opt.resamples = 0;
  EXPECT_FALSE(BootstrapPercentileCi(3, MeanOf(x), opt).ok());
}

TEST(BootstrapTest, NaNStatisticPropagates) {
  BootstrapOptions opt;
  opt.resamples = 10;
  const auto r = BootstrapPercentileCi(
      5, [](std::span<const uint32_t>) { return std::nan(""); }, opt);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(r->low) && std::isnan(r->high));
}

}  // namespace
}  // namespace mlpipe::stats
