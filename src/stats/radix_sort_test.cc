#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/stats/sort.h"

namespace mlpipe::stats {
namespace {

TEST(RadixSortTest, MatchesStdSortIncludingSpecialValues) {
  core::Rng rng(2);
  std::vector<double> x(100000);
  for (auto& v : x) v = std::round(rng.Normal() * 1000) / 7;
  const double inf = std::numeric_limits<double>::infinity();
  x.insert(x.end(), {-inf, inf, 0.0, -0.0, 1e-310, -1e-310, std::numeric_limits<double>::max(),
                     std::numeric_limits<double>::lowest()});
  std::vector<double> expected = x;
  std::stable_sort(expected.begin(), expected.end());
  const std::vector<uint32_t> order = RadixArgSort(x);
  std::vector<uint32_t> expected_order(x.size());
  for (size_t i = 0; i < x.size(); ++i) expected_order[i] = static_cast<uint32_t>(i);
  std::stable_sort(expected_order.begin(), expected_order.end(),
                   [&](uint32_t a, uint32_t b) { return x[a] < x[b]; });
  EXPECT_EQ(order, expected_order);  // stable, and -0.0 ties +0.0
  RadixSort(x);
  ASSERT_EQ(x.size(), expected.size());
  for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(x[i], expected[i]) << i;
  std::vector<double> empty;
  RadixSort(empty);
  EXPECT_TRUE(RadixArgSort(empty).empty());
}

TEST(RadixSortTest, KeysWithPayloadAreStable) {
  core::Rng rng(7);
  std::vector<double> values = {0.0,
                                -0.0,
                                1.5,
                                -1.5,
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                1e-300,
                                -1e300};
  for (int i = 0; i < 5000; ++i) values.push_back(std::round(rng.Normal() * 50) / 4);
  std::vector<uint64_t> keys;
  std::vector<uint32_t> rows;
  for (size_t i = 0; i < values.size(); ++i) {
    keys.push_back(OrderedKey(values[i]));
    rows.push_back(static_cast<uint32_t>(i));
  }
  std::vector<uint32_t> expected = rows;
  std::stable_sort(expected.begin(), expected.end(),
                   [&](uint32_t a, uint32_t b) { return values[a] < values[b]; });
  std::vector<uint64_t> keys_only = keys;
  RadixSort(keys, rows);
  RadixSort(keys_only);
  EXPECT_EQ(keys, keys_only);
  ASSERT_EQ(rows, expected);
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(FromOrderedKey(keys[i]), values[expected[i]] + 0.0);
  }
}

}  // namespace
}  // namespace mlpipe::stats
