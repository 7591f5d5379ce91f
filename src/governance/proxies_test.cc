// Proxy detection on credit-g, checked against scipy and scikit-learn
// (testdata/reference.json).
#include "mlpipe/governance/proxies.h"

#include <map>
#include <tuple>

#include <gtest/gtest.h>

#include "json_fixture.h"
#include "test_data.h"

namespace mlpipe::governance {
namespace {

using testing::CreditGWithSex;
using testing::Reference;

std::vector<std::string> Features(const table::Table& t) {
  std::vector<std::string> out;
  for (const auto& n : t.ColumnNames()) {
    if (n != "class" && n != "sex" && n != "age") out.push_back(n);
  }
  return out;
}

TEST(ProxiesTest, PersonalStatusIsAProxyForSexOnCreditG) {
  const table::Table t = CreditGWithSex();
  auto found = FindProxies(t, Features(t), {"sex"}, ProxyOptions{.threshold = 0.5});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_FALSE(found->empty());
  const ProxyFinding& top = (*found)[0];
  EXPECT_EQ(top.feature, "personal_status");
  EXPECT_EQ(top.protected_column, "sex");
  EXPECT_EQ(top.method, ProxyMethod::kCramersV);
  EXPECT_NEAR(top.value, 1.0, 1e-12);
  EXPECT_EQ(top.rows, 1000u);
  EXPECT_TRUE(top.flagged);
  // Nothing else on credit-g is that strongly tied to sex.
  for (size_t i = 1; i < found->size(); ++i) {
    if ((*found)[i].flagged) {
      EXPECT_EQ((*found)[i].feature, "personal_status");
    }
  }
  const Status refused = RefuseProxies(*found);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(
      refused.message().find(
          "feature 'personal_status' is a proxy for protected column 'sex' (cramers_v = 1.000)"),
      std::string::npos)
      << refused.message();
}

TEST(ProxiesTest, FiguresMatchScipyAndSklearn) {
  const table::Table t = CreditGWithSex();
  const core::Json& ref = Reference()["proxies"];
  ProxyOptions opts;
  opts.bins = ref["bins"].get<int>();
  auto found = FindProxies(t, ref["features"].get<std::vector<std::string>>(),
                           ref["protected"].get<std::vector<std::string>>(), opts);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  std::map<std::tuple<std::string, std::string, std::string>, double> got;
  for (const auto& f : *found) {
    got[{f.feature, f.protected_column, std::string(ProxyMethodName(f.method))}] = f.value;
  }
  ASSERT_EQ(got.size(), ref["findings"].size());
  test_support::ForEachCase(ref, "findings", 76, [&](const core::Json& r) {
    const auto key =
        std::make_tuple(r[0].get<std::string>(), r[1].get<std::string>(), r[2].get<std::string>());
    auto it = got.find(key);
    ASSERT_NE(it, got.end()) << r.dump();
    EXPECT_NEAR(it->second, r[3].get<double>(), 1e-10) << r.dump();
  });
}

TEST(ProxiesTest, SortedDescendingAndThresholdFlags) {
  const table::Table t = CreditGWithSex();
  ProxyOptions opts;
  opts.threshold = 0.3;
  auto found = FindProxies(t, Features(t), {"sex", "age"}, opts);
  ASSERT_TRUE(found.ok());
  for (size_t i = 1; i < found->size(); ++i) {
    EXPECT_GE((*found)[i - 1].value, (*found)[i].value);
  }
  for (const auto& f : *found) EXPECT_EQ(f.flagged, f.value > 0.3) << f.feature;
  // employment tells age apart (correlation ratio 0.41 in the reference).
  bool employment = false;
  for (const auto& f : *found) {
    if (f.feature == "employment" && f.protected_column == "age" &&
        f.method == ProxyMethod::kCorrelationRatio) {
      employment = f.flagged;
    }
  }
  EXPECT_TRUE(employment);
}

TEST(ProxiesTest, SpearmanForNumericPairs) {
  const table::Table t = CreditGWithSex();
  ProxyOptions opts;
  opts.methods = {ProxyMethod::kSpearman};
  auto found = FindProxies(t, {"duration", "purpose"}, {"age"}, opts);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);  // purpose x age needs the correlation ratio, not asked for
  EXPECT_EQ((*found)[0].feature, "duration");
  EXPECT_EQ((*found)[0].method, ProxyMethod::kSpearman);
  EXPECT_GT((*found)[0].value, 0.0);
  EXPECT_LT((*found)[0].value, 0.2);
}

TEST(ProxiesTest, SampleIsSeededAndMissingRowsAreSkipped) {
  const table::Table t = CreditGWithSex();
  ProxyOptions opts;
  opts.sample_rows = 300;
  opts.seed = 11;
  auto a = FindProxies(t, {"personal_status", "purpose"}, {"sex"}, opts);
  auto b = FindProxies(t, {"personal_status", "purpose"}, {"sex"}, opts);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].value, (*b)[i].value);
    EXPECT_EQ((*a)[i].rows, 300u);
  }
  opts.seed = 12;
  auto c = FindProxies(t, {"purpose"}, {"sex"}, opts);
  ASSERT_TRUE(c.ok());
  bool differs = false;
  for (const auto& f : *c) {
    for (const auto& g : *a) {
      if (g.feature == f.feature && g.method == f.method && g.value != f.value) differs = true;
    }
  }
  EXPECT_TRUE(differs);

  table::Table small;
  ASSERT_TRUE(small.AddColumn(table::Column::Float64("x", {1, 2, 3, 4}, {1, 0, 1, 1})).ok());
  ASSERT_TRUE(
      small.AddColumn(table::Column::CategoricalFromStrings("g", {"a", "a", "b", "b"})).ok());
  auto s = FindProxies(small, {"x"}, {"g"}, {});
  ASSERT_TRUE(s.ok());
  for (const auto& f : *s) EXPECT_EQ(f.rows, 3u);
}

TEST(ProxiesTest, Errors) {
  const table::Table t = CreditGWithSex();
  auto missing = FindProxies(t, {"nope"}, {"sex"}, {});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  ProxyOptions bad;
  bad.threshold = 1.5;
  EXPECT_NE(FindProxies(t, {"purpose"}, {"sex"}, bad).status().message().find("threshold"),
            std::string::npos);
  bad = {};
  bad.bins = 1;
  EXPECT_EQ(bad.Validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseProxyMethod("cramers_v"), ProxyMethod::kCramersV);
  auto unknown = ParseProxyMethod("kendall");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("mutual_information"), std::string::npos);
  // A protected column listed as a feature is skipped (the protected check reports it).
  auto self = FindProxies(t, {"sex"}, {"sex"}, {});
  ASSERT_TRUE(self.ok());
  EXPECT_TRUE(self->empty());
}

}  // namespace
}  // namespace mlpipe::governance
