#include "mlpipe/stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
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

TEST(BootstrapTest, PercentileCiCloseToScipy) {
  const core::Json f = LoadFixture("bootstrap");
  const std::vector<double> x = Doubles(f["x"]);
  for (const auto& c : f["cases"]) {
    const std::string name = c["statistic"].get<std::string>();
    SCOPED_TRACE(name);
    const IndexStatistic stat = name == "mean" ? MeanOf(x) : MedianOf(x);
    BootstrapOptions opt;
    opt.seed = 123;
    const auto ci = BootstrapPercentileCi(x.size(), stat, opt);
    ASSERT_TRUE(ci.ok()) << ci.status().ToString();
    const double low = c["low"].get<double>(), high = c["high"].get<double>();
    // Different random streams: bounds agree to Monte Carlo error, well
    // within 5% of the bound and 15% of the interval width.
    EXPECT_NEAR(ci->low, low, 0.05 * std::abs(low));
    EXPECT_NEAR(ci->high, high, 0.05 * std::abs(high));
    EXPECT_NEAR(ci->low, low, 0.15 * (high - low));
    EXPECT_NEAR(ci->high, high, 0.15 * (high - low));
    EXPECT_LT(ci->low, ci->estimate);
    EXPECT_GT(ci->high, ci->estimate);
  }
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
