#include "mlpipe/stats/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/core/random.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::Ints;
using testing::LoadFixture;

std::vector<uint64_t> Counts(const core::Json& j) {
  std::vector<uint64_t> out;
  for (const auto& v : j) out.push_back(v.get<uint64_t>());
  return out;
}

TEST(HistogramTest, EqualWidthMatchesNumpy) {
  const core::Json f = LoadFixture("histogram");
  ForEachCase(f, "equal_width", 4, [&](const core::Json& c) {
    const Histogram h = EqualWidthHistogram(Doubles(c["x"]), c["bins"].get<int>());
    const std::vector<double> edges = Doubles(c["edges"]);
    ASSERT_EQ(h.edges.size(), edges.size());
    for (size_t i = 0; i < edges.size(); ++i) EXPECT_EQ(h.edges[i], edges[i]) << i;
    EXPECT_EQ(h.counts, Counts(c["counts"]));
  });
}

TEST(HistogramTest, SortedEqualsUnsorted) {
  // The fixtures, values sitting on the edges, and a wide random sample.
  std::vector<std::vector<double>> cases;
  const core::Json f = LoadFixture("histogram");
  ForEachCase(f, "equal_width", 4, [&](const core::Json& c) { cases.push_back(Doubles(c["x"])); });
  std::vector<double> on_edges;
  for (int i = 0; i <= 300; ++i) on_edges.push_back(0.1 * i);
  cases.push_back(on_edges);
  core::Rng rng(3);
  std::vector<double> wide;
  for (int i = 0; i < 20000; ++i) wide.push_back(std::round(rng.Normal() * 1e4) / 3);
  const double inf = std::numeric_limits<double>::infinity();
  wide.insert(wide.end(), {-inf, inf, inf});
  cases.push_back(wide);
  cases.push_back({-inf, 5, 5, inf});
  cases.push_back({});
  for (std::vector<double>& x : cases) {
    std::sort(x.begin(), x.end());
    for (int bins : {1, 3, 20, 37}) {
      const Histogram a = EqualWidthHistogram(x, bins), b = EqualWidthHistogramSorted(x, bins);
      EXPECT_EQ(a.edges, b.edges);
      EXPECT_EQ(a.counts, b.counts);
    }
  }
}

TEST(HistogramTest, QuantileMatchesNumpy) {
  const core::Json f = LoadFixture("histogram");
  ForEachCase(f, "quantile", 3, [&](const core::Json& c) {
    const Histogram h = QuantileHistogram(Doubles(c["x"]), c["bins"].get<int>());
    const std::vector<double> edges = Doubles(c["edges"]);
    ASSERT_EQ(h.edges.size(), edges.size());
    for (size_t i = 0; i < edges.size(); ++i) EXPECT_REL(h.edges[i], edges[i], 1e-12);
    EXPECT_EQ(h.counts, Counts(c["counts"]));
  });
}

TEST(HistogramTest, DegenerateInputs) {
  EXPECT_TRUE(EqualWidthHistogram({}, 10).counts.empty());
  EXPECT_TRUE(QuantileHistogram({}, 10).edges.empty());
  const std::vector<double> same = {2, 2, 2};
  for (const Histogram& h : {EqualWidthHistogram(same, 5), QuantileHistogram(same, 5)}) {
    EXPECT_EQ(h.edges, (std::vector<double>{1.5, 2.5}));
    EXPECT_EQ(h.counts, (std::vector<uint64_t>{3}));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> with_nan = {0, nan, 1, 2, std::numeric_limits<double>::infinity()};
  const Histogram h = EqualWidthHistogram(with_nan, 2);
  EXPECT_EQ(h.edges, (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(h.counts, (std::vector<uint64_t>{1, 2}));  // last bin closed
  EXPECT_TRUE(EqualWidthHistogram(same, 0).edges.empty());
}

TEST(HistogramTest, BinCountsWithGivenEdges) {
  const std::vector<double> edges = {0, 1, 2, 4};
  const std::vector<double> x = {-1, 0, 0.5, 1, 3.9, 4, 4.1, std::nan("")};
  // numpy.histogram(x, edges): outside values and NaN are dropped.
  EXPECT_EQ(BinCounts(x, edges), (std::vector<uint64_t>{2, 1, 2}));
  EXPECT_TRUE(BinCounts(x, std::vector<double>{1.0}).empty());
}

TEST(CategoryCountsTest, MatchesPandasValueCounts) {
  const core::Json f = LoadFixture("histogram");
  const core::Json& c = f["categories"];
  const std::vector<std::string> cats = c["categories"].get<std::vector<std::string>>();
  const CategoryCounts got = CountCategories(Ints(c["codes"]), cats, c["k"].get<size_t>());
  ASSERT_EQ(got.top.size(), c["top"].size());
  for (size_t i = 0; i < got.top.size(); ++i) {
    EXPECT_EQ(got.top[i].value, c["top"][i][0].get<std::string>());
    EXPECT_EQ(got.top[i].count, c["top"][i][1].get<uint64_t>());
  }
  EXPECT_EQ(got.other, c["other"].get<uint64_t>());
  EXPECT_EQ(got.distinct, c["distinct"].get<uint64_t>());
}

TEST(CategoryCountsTest, TiesBreakByValueAndKLargerThanDistinct) {
  const std::vector<std::string> cats = {"b", "a", "c", "unused"};
  const std::vector<int32_t> codes = {0, 1, 2, 2, 0, 1, -1, 7};
  const CategoryCounts got = CountCategories(codes, cats, 10);
  ASSERT_EQ(got.top.size(), 3u);
  EXPECT_EQ(got.top[0].value, "a");
  EXPECT_EQ(got.top[1].value, "b");
  EXPECT_EQ(got.top[2].value, "c");
  EXPECT_EQ(got.other, 0u);
  EXPECT_EQ(got.distinct, 3u);
}

}  // namespace
}  // namespace mlpipe::stats
