#include "mlpipe/stats/association.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"

namespace mlpipe::stats {
namespace {

using testing::Doubles;
using testing::ForEachCase;
using testing::Ints;
using testing::LoadFixture;
using testing::Num;

constexpr double kRel = 1e-9;

TEST(AssociationTest, PearsonAndSpearmanMatchScipy) {
  const core::Json f = LoadFixture("association");
  ForEachCase(f, "numeric", 5, [&](const core::Json& c) {
    const std::vector<double> x = Doubles(c["x"]), y = Doubles(c["y"]);
    EXPECT_REL(Pearson(x, y), Num(c["pearson"]), kRel);
    EXPECT_REL(Spearman(x, y), Num(c["spearman"]), kRel);
    // Spearman is Pearson on average ranks.
    EXPECT_REL(Pearson(Rank(x), Rank(y)), Num(c["spearman"]), kRel);
  });
}

TEST(AssociationTest, RankMatchesRankdata) {
  const core::Json f = LoadFixture("association");
  ForEachCase(f, "rank", 3,
              [&](const core::Json& c) { EXPECT_EQ(Rank(Doubles(c["x"])), Doubles(c["ranks"])); });
}

TEST(AssociationTest, CramersVAndMutualInformationMatchReferences) {
  const core::Json f = LoadFixture("association");
  ForEachCase(f, "categorical", 4, [&](const core::Json& c) {
    const std::vector<int32_t> a = Ints(c["a"]), b = Ints(c["b"]);
    const int32_t ka = c["ka"].get<int32_t>(), kb = c["kb"].get<int32_t>();
    EXPECT_REL(CramersV(a, ka, b, kb), Num(c["cramers_v"]), kRel);
    EXPECT_REL(MutualInformation(a, ka, b, kb), Num(c["mutual_information"]), kRel);
    // Symmetric in its two codings.
    EXPECT_REL(CramersV(b, kb, a, ka), Num(c["cramers_v"]), kRel);
    EXPECT_REL(MutualInformation(b, kb, a, ka), Num(c["mutual_information"]), kRel);
  });
}

TEST(AssociationTest, SparsePathEqualsDense) {
  // Huge declared cardinalities force the sorted-cells path; unused codes
  // must not change the result.
  const core::Json f = LoadFixture("association");
  ForEachCase(f, "categorical", 4, [&](const core::Json& c) {
    const std::vector<int32_t> a = Ints(c["a"]), b = Ints(c["b"]);
    EXPECT_REL(CramersV(a, 100000, b, 100000), Num(c["cramers_v"]), 1e-9);
    EXPECT_REL(MutualInformation(a, 100000, b, 100000), Num(c["mutual_information"]), kRel);
  });
}

TEST(AssociationTest, CorrelationRatioMatchesGroupbyFormula) {
  const core::Json f = LoadFixture("association");
  ForEachCase(f, "correlation_ratio", 2, [&](const core::Json& c) {
    EXPECT_REL(CorrelationRatio(Doubles(c["values"]), Ints(c["codes"]), c["k"].get<int32_t>()),
               Num(c["eta"]), kRel);
  });
}

TEST(AssociationTest, DegenerateInputsGiveNaN) {
  const std::vector<double> constant = {0.1, 0.1, 0.1, 0.1};
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_TRUE(std::isnan(Pearson(constant, x)));
  EXPECT_TRUE(std::isnan(Spearman(x, constant)));
  EXPECT_TRUE(std::isnan(Pearson(std::vector<double>{1}, std::vector<double>{2})));
  EXPECT_TRUE(std::isnan(Pearson(x, std::vector<double>{1, 2})));
  const std::vector<int32_t> one = {0, 0, 0}, codes = {0, 1, 2};
  EXPECT_TRUE(std::isnan(CramersV(one, 1, codes, 3)));
  EXPECT_EQ(MutualInformation(one, 1, codes, 3), 0.0);  // sklearn: 0 for one cluster
  EXPECT_TRUE(std::isnan(CorrelationRatio(constant, std::vector<int32_t>{0, 1, 0, 1}, 2)));
  EXPECT_TRUE(std::isnan(CramersV({}, 2, {}, 2)));
  EXPECT_DOUBLE_EQ(Pearson(x, x), 1.0);
}

}  // namespace
}  // namespace mlpipe::stats
