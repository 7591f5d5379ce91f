#include "mlpipe/core/random.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mlpipe::core {
namespace {

TEST(RngTest, SameSeedSameStream) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(RngTest, UniformAndBelowAreInRangeAndUnbiased) {
  Rng r(1);
  const int n = 200000;
  double sum = 0;
  std::vector<int> counts(7);
  for (int i = 0; i < n; ++i) {
    double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    counts[r.Below(7)]++;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  for (int c : counts) EXPECT_NEAR(c / double(n), 1.0 / 7, 0.005);
}

TEST(RngTest, NormalMoments) {
  Rng r(3);
  const int n = 200000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    double x = r.Normal();
    s += x;
    s2 += x * x;
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.02);
}

TEST(RngTest, DeriveGivesDistinctStreams) {
  EXPECT_NE(Rng::Derive(1, 0), Rng::Derive(1, 1));
  EXPECT_EQ(Rng::Derive(1, 5), Rng::Derive(1, 5));
}

}  // namespace
}  // namespace mlpipe::core
