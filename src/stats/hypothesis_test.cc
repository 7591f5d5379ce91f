#include "mlpipe/stats/hypothesis.h"

#include <cmath>
#include <string>
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

KsMethod ParseMethod(const std::string& m) {
  if (m == "exact") return KsMethod::kExact;
  if (m == "asymp") return KsMethod::kAsymp;
  return KsMethod::kAuto;
}

TEST(KsTest, TwoSampleMatchesScipy) {
  const core::Json f = LoadFixture("hypothesis");
  ForEachCase(f, "ks_2samp", 11, [&](const core::Json& c) {
    const auto r =
        KsTwoSample(Doubles(c["a"]), Doubles(c["b"]), ParseMethod(c["method"].get<std::string>()));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(r->statistic, Num(c["statistic"]), 1e-12);
    EXPECT_REL(r->p_value, Num(c["pvalue"]), kRel);
    EXPECT_NE(r->method, KsMethod::kAuto);
  });
}

TEST(KsTest, KolmogorovSfMatchesKstwo) {
  const core::Json f = LoadFixture("hypothesis");
  ForEachCase(f, "kstwo_sf", 133, [&](const core::Json& c) {
    const uint64_t n = c["n"].get<uint64_t>();
    const double d = c["d"].get<double>();
    const double expected = Num(c["sf"]);
    // Tiny tails are compared absolutely: below 1e-300 nothing is significant.
    if (std::abs(expected) < 1e-290) {
      EXPECT_NEAR(KolmogorovSf(n, d), expected, 1e-290) << "n=" << n << " d=" << d;
    } else {
      EXPECT_REL(KolmogorovSf(n, d), expected, kRel) << "n=" << n << " d=" << d;
    }
  });
  EXPECT_TRUE(std::isnan(KolmogorovSf(0, 0.5)));
}

TEST(KsTest, AutoSwitchesToAsympForLargeSamples) {
  core::Rng rng(4);
  std::vector<double> a(10001), b(300);
  for (auto& v : a) v = rng.Normal();
  for (auto& v : b) v = rng.Normal() + 0.1;
  const auto autom = KsTwoSample(a, b);
  const auto asymp = KsTwoSample(a, b, KsMethod::kAsymp);
  ASSERT_TRUE(autom.ok() && asymp.ok());
  EXPECT_EQ(autom->method, KsMethod::kAsymp);
  EXPECT_EQ(autom->p_value, asymp->p_value);
  const auto small = KsTwoSample(b, b);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->method, KsMethod::kExact);
  EXPECT_EQ(small->statistic, 0.0);
  EXPECT_EQ(small->p_value, 1.0);
}

TEST(KsTest, BadInput) {
  const std::vector<double> x = {1, 2, 3};
  auto r = KsTwoSample({}, x);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);
  const std::vector<double> with_nan = {1, std::nan(""), 3};
  r = KsTwoSample(x, with_nan);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("b[1]"), std::string::npos) << r.status().message();
}

TEST(ChiSquareTest, IndependenceMatchesChi2Contingency) {
  const core::Json f = LoadFixture("hypothesis");
  ForEachCase(f, "chi2_contingency", 4, [&](const core::Json& c) {
    std::vector<double> flat;
    const size_t rows = c["table"].size(), cols = c["table"][0].size();
    for (const auto& row : c["table"]) {
      for (const auto& v : row) flat.push_back(v.get<double>());
    }
    const auto r = ChiSquareIndependence(flat, rows, cols);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(r->statistic, Num(c["statistic"]), kRel);
    EXPECT_REL(r->p_value, Num(c["pvalue"]), kRel);
    EXPECT_EQ(r->dof, c["dof"].get<double>());
  });
}

TEST(ChiSquareTest, GoodnessOfFitMatchesChisquare) {
  const core::Json f = LoadFixture("hypothesis");
  ForEachCase(f, "chisquare", 4, [&](const core::Json& c) {
    const std::vector<double> obs = Doubles(c["observed"]);
    const std::vector<double> exp =
        c["expected"].is_null() ? std::vector<double>{} : Doubles(c["expected"]);
    const auto r = ChiSquareGoodnessOfFit(obs, exp, c["ddof"].get<int>());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_REL(r->statistic, Num(c["statistic"]), kRel);
    EXPECT_REL(r->p_value, Num(c["pvalue"]), kRel);
    EXPECT_EQ(r->dof, c["dof"].get<double>());
  });
}

TEST(ChiSquareTest, BadInput) {
  const std::vector<double> t = {1, 2, 3, 4};
  EXPECT_FALSE(ChiSquareIndependence(t, 3, 2).ok());
  EXPECT_FALSE(ChiSquareIndependence({}, 0, 0).ok());
  const std::vector<double> neg = {1, -2, 3, 4};
  auto r = ChiSquareIndependence(neg, 2, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("table[1]"), std::string::npos) << r.status().message();
  const std::vector<double> zero_col = {1, 0, 3, 0};
  r = ChiSquareIndependence(zero_col, 2, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("column 1"), std::string::npos) << r.status().message();
  const std::vector<double> obs = {10, 20}, exp_bad = {10, 10};
  EXPECT_FALSE(ChiSquareGoodnessOfFit(obs, exp_bad).ok());  // sums differ
  EXPECT_FALSE(ChiSquareGoodnessOfFit(std::vector<double>{5}).ok());
  EXPECT_FALSE(ChiSquareGoodnessOfFit(obs, std::vector<double>{30}).ok());
  EXPECT_FALSE(ChiSquareGoodnessOfFit(obs, {}, 1).ok());  // no dof left
}

TEST(ZTestTest, TwoProportionsMatchFormula) {
  const core::Json f = LoadFixture("hypothesis");
  ForEachCase(f, "proportions_ztest", 4, [&](const core::Json& c) {
    const auto r = TwoProportionZTest(c["x1"].get<uint64_t>(), c["n1"].get<uint64_t>(),
                                      c["x2"].get<uint64_t>(), c["n2"].get<uint64_t>());
    ASSERT_TRUE(r.ok());
    EXPECT_REL(r->statistic, Num(c["z"]), kRel);
    EXPECT_REL(r->p_value, Num(c["pvalue"]), kRel);
  });
  EXPECT_FALSE(TwoProportionZTest(1, 0, 1, 2).ok());
  EXPECT_FALSE(TwoProportionZTest(3, 2, 1, 2).ok());
  const auto degenerate = TwoProportionZTest(0, 10, 0, 20);
  ASSERT_TRUE(degenerate.ok());
  EXPECT_TRUE(std::isnan(degenerate->statistic) && std::isnan(degenerate->p_value));
}

}  // namespace
}  // namespace mlpipe::stats
