#include "mlpipe/stats/descriptive.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/core/random.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::LoadFixture;
using testing::Num;

constexpr double kRel = 1e-9;

void ExpectMatches(const Moments& m, const core::Json& c) {
  SCOPED_TRACE(c["name"].get<std::string>());
  EXPECT_EQ(m.count(), c["count"].get<uint64_t>());
  EXPECT_REL(m.mean(), Num(c["mean"]), kRel);
  EXPECT_REL(m.variance(1), Num(c["var_ddof1"]), kRel);
  EXPECT_REL(m.variance(0), Num(c["var_ddof0"]), kRel);
  EXPECT_REL(m.stddev(1), std::sqrt(Num(c["var_ddof1"])), kRel);
  EXPECT_EQ(m.min(), Num(c["min"]));
  EXPECT_EQ(m.max(), Num(c["max"]));
  EXPECT_REL(m.skewness(false), Num(c["skew_unbiased"]), kRel);
  EXPECT_REL(m.skewness(true), Num(c["skew_biased"]), kRel);
  EXPECT_REL(m.kurtosis(false), Num(c["kurt_unbiased"]), kRel);
  EXPECT_REL(m.kurtosis(true), Num(c["kurt_biased"]), kRel);
  // pandas agrees with scipy's unbiased estimators except on constant data
  // (pandas 0, scipy and we NaN).
  if (c["name"] != "constant") {
    EXPECT_REL(m.skewness(), Num(c["pandas_skew"]), kRel);
    EXPECT_REL(m.kurtosis(), Num(c["pandas_kurt"]), kRel);
  }
}

TEST(MomentsTest, AddAllMatchesScipyAndPandas) {
  const core::Json f = LoadFixture("descriptive");
  ForEachCase(f, "cases", 7, [&](const core::Json& c) {
    const std::vector<double> x = Doubles(c["x"]);
    Moments m;
    m.AddAll(x);
    ExpectMatches(m, c);
  });
}

TEST(MomentsTest, AddOneByOneMatchesScipy) {
  const core::Json f = LoadFixture("descriptive");
  ForEachCase(f, "cases", 7, [&](const core::Json& c) {
    Moments m;
    for (double x : Doubles(c["x"])) m.Add(x);
    ExpectMatches(m, c);
  });
}

TEST(MomentsTest, MergingPartsEqualsTheWhole) {
  const core::Json f = LoadFixture("descriptive");
  core::Rng rng(7);
  ForEachCase(f, "cases", 7, [&](const core::Json& c) {
    const std::vector<double> x = Doubles(c["x"]);
    // Random cut points, parts summarised by a mix of Add and AddAll, then
    // merged in a tree-like order.
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<Moments> parts;
      size_t start = 0;
      while (start < x.size()) {
        const size_t len = 1 + rng.Below(std::max<size_t>(1, x.size() / 3));
        const size_t end = std::min(x.size(), start + len);
        Moments p;
        if (rng.Below(2) == 0) {
          p.AddAll(std::span(x).subspan(start, end - start));
        } else {
          for (size_t i = start; i < end; ++i) p.Add(x[i]);
        }
        parts.push_back(p);
        start = end;
      }
      parts.emplace_back();  // merging an empty part changes nothing
      while (parts.size() > 1) {
        std::vector<Moments> next;
        for (size_t i = 0; i + 1 < parts.size(); i += 2) {
          Moments m = parts[i];
          m.Merge(parts[i + 1]);
          next.push_back(m);
        }
        if (parts.size() % 2 == 1) next.push_back(parts.back());
        parts.swap(next);
      }
      ExpectMatches(parts[0], c);
    }
  });
}

TEST(MomentsTest, EmptyAndTiny) {
  Moments m;
  EXPECT_EQ(m.count(), 0u);
  EXPECT_TRUE(std::isnan(m.mean()));
  EXPECT_TRUE(std::isnan(m.variance()));
  EXPECT_TRUE(std::isinf(m.min()) && m.min() > 0);
  EXPECT_TRUE(std::isinf(m.max()) && m.max() < 0);
  EXPECT_TRUE(std::isnan(m.skewness()));
  m.AddAll({});
  EXPECT_EQ(m.count(), 0u);
  m.Add(5);
  EXPECT_EQ(m.mean(), 5);
  EXPECT_EQ(m.sum(), 5);
  EXPECT_EQ(m.variance(0), 0);
  EXPECT_TRUE(std::isnan(m.variance(1)));
  EXPECT_TRUE(std::isnan(m.kurtosis()));
}

TEST(MomentsTest, LargeAddAllIsStable) {
  // 1e6 values around 1e8 with unit spread: a naive sum-of-squares would
  // lose every digit of the variance.
  core::Rng rng(3);
  std::vector<double> x(1000000);
  for (auto& v : x) v = 1e8 + rng.Normal();
  Moments whole;
  whole.AddAll(x);
  Moments merged;
  for (size_t i = 0; i < x.size(); i += 65536) {
    Moments part;
    part.AddAll(std::span(x).subspan(i, std::min<size_t>(65536, x.size() - i)));
    merged.Merge(part);
  }
  EXPECT_NEAR(whole.variance(), 1.0, 0.01);
  EXPECT_REL(merged.mean(), whole.mean(), 1e-14);
  EXPECT_REL(merged.variance(), whole.variance(), 1e-10);
  EXPECT_NEAR(merged.skewness(), whole.skewness(), 1e-8);
  EXPECT_NEAR(merged.kurtosis(), whole.kurtosis(), 1e-8);
}

}  // namespace
}  // namespace mlpipe::stats
