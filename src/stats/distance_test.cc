#include "mlpipe/stats/distance.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "mlpipe/stats/histogram.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::LoadFixture;
using testing::Num;

constexpr double kRel = 1e-9;

TEST(DistanceTest, PsiMatchesFormula) {
  const core::Json f = LoadFixture("distance");
  ForEachCase(f, "psi", 3, [&](const core::Json& c) {
    const auto r = PopulationStabilityIndex(Doubles(c["expected"]), Doubles(c["actual"]),
                                            c["epsilon"].get<double>());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(*r, c["psi"].get<double>(), kRel);
  });
}

TEST(DistanceTest, PsiOverBinsOfTwoSamples) {
  // The usual drift recipe: reference quantile edges opened to +-inf, both
  // samples counted, PSI of the counts. Identical samples give 0.
  const std::vector<double> ref = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<double> edges = {-INFINITY, 2.5, 4.5, 6.5, INFINITY};
  const std::vector<uint64_t> c = BinCounts(ref, edges);
  const std::vector<double> counts(c.begin(), c.end());
  EXPECT_EQ(*PopulationStabilityIndex(counts, counts), 0.0);
}

TEST(DistanceTest, JensenShannonMatchesScipy) {
  const core::Json f = LoadFixture("distance");
  ForEachCase(f, "jensenshannon", 8, [&](const core::Json& c) {
    const double base = c["base"].is_null() ? 0.0 : c["base"].get<double>();
    const auto r = JensenShannonDistance(Doubles(c["p"]), Doubles(c["q"]), base);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(*r, Num(c["value"]), kRel);
  });
}

TEST(DistanceTest, WassersteinMatchesScipy) {
  const core::Json f = LoadFixture("distance");
  ForEachCase(f, "wasserstein", 4, [&](const core::Json& c) {
    const std::vector<double> uw =
        c["u_weights"].is_null() ? std::vector<double>{} : Doubles(c["u_weights"]);
    const std::vector<double> vw =
        c["v_weights"].is_null() ? std::vector<double>{} : Doubles(c["v_weights"]);
    const auto r = WassersteinDistance(Doubles(c["u"]), Doubles(c["v"]), uw, vw);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(*r, Num(c["value"]), kRel);
  });
}

TEST(DistanceTest, HellingerMatchesFormula) {
  const core::Json f = LoadFixture("distance");
  ForEachCase(f, "hellinger", 3, [&](const core::Json& c) {
    const auto r = HellingerDistance(Doubles(c["p"]), Doubles(c["q"]));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(*r, Num(c["value"]), kRel);
  });
}

TEST(DistanceTest, BadInput) {
  const std::vector<double> p = {1, 2}, q3 = {1, 2, 3}, neg = {1, -1}, zeros = {0, 0};
  for (const auto& r :
       {PopulationStabilityIndex(p, q3), JensenShannonDistance(p, q3), HellingerDistance(p, q3),
        PopulationStabilityIndex(p, neg), JensenShannonDistance(zeros, p),
        HellingerDistance({}, {}), PopulationStabilityIndex(p, p, 0.0),
        JensenShannonDistance(p, p, 1.0), WassersteinDistance({}, p), WassersteinDistance(p, p, q3),
        WassersteinDistance(p, p, neg), WassersteinDistance(p, p, {}, zeros)}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  const auto r = PopulationStabilityIndex(p, neg);
  EXPECT_NE(r.status().message().find("q[1]"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace mlpipe::stats
