#include <cmath>
#include <functional>
#include <map>

#include <gtest/gtest.h>

#include "mlpipe/profile/profile.h"

namespace mlpipe::profile {
namespace {

using table::DataType;

ColumnProfile Col(std::string name, DataType type, uint64_t count, uint64_t missing,
                  uint64_t distinct) {
  ColumnProfile c;
  c.name = std::move(name);
  c.type = type;
  c.count = count;
  c.missing = missing;
  c.missing_share = static_cast<double>(missing) / static_cast<double>(count + missing);
  c.distinct = distinct;
  return c;
}

ColumnProfile Num(std::string name, double skew, uint64_t zeros, uint64_t outliers) {
  ColumnProfile c = Col(std::move(name), DataType::kFloat64, 100, 0, 60);
  NumericSummary s;
  s.skewness = skew;
  s.zeros = zeros;
  s.outliers_iqr = outliers;
  c.numeric = s;
  return c;
}

TableProfile WithColumns(std::vector<ColumnProfile> cols) {
  TableProfile p;
  p.rows = cols.empty() ? 100 : cols[0].count + cols[0].missing;
  p.columns = std::move(cols);
  return p;
}

TableProfile WithPair(std::string a, std::string b, double value) {
  TableProfile p = WithColumns({Num(a, 0, 0, 0), Num(b, 0, 0, 0)});
  p.associations.pairs.push_back({a, b, AssociationMethod::kPearson, value, 100});
  p.associations.pairs.push_back({a, b, AssociationMethod::kSpearman, value / 2, 100});
  return p;
}

TableProfile WithTarget(uint64_t minority, uint64_t missing) {
  TableProfile p = WithColumns({Col("y", DataType::kCategorical, 100, missing, 2)});
  TargetSummary t;
  t.column = "y";
  t.classes = {{"good", 100 - minority}, {"bad", minority}};
  t.positive = "bad";
  t.missing = missing;
  p.target = t;
  return p;
}

TableProfile WithGroups(double rate_a, double rate_b, uint64_t rows) {
  TableProfile p = WithTarget(30, 0);
  ProtectedSummary g;
  g.column = "sex";
  g.groups = {{"f", rows, rate_a}, {"m", rows, rate_b}};
  if (rows >= 30) {
    g.max_gap = std::fabs(rate_a - rate_b);
    g.min_ratio = std::min(rate_a, rate_b) / std::max(rate_a, rate_b);
  }
  p.protected_groups.push_back(g);
  return p;
}

ProfileOptions WithTargetOption() {
  ProfileOptions o;
  o.target = "y";
  return o;
}

struct Case {
  TableProfile fires, quiet;
  ProfileOptions options;
  std::string expect;  // a piece of the message of the firing case
};

// One firing and one quiet profile per rule; the test below fails for a rule
// that has no case here.
std::map<std::string, Case> Cases() {
  std::map<std::string, Case> m;
  m["all_missing"] = {WithColumns({Col("a", DataType::kFloat64, 0, 100, 0)}),
                      WithColumns({Col("a", DataType::kFloat64, 1, 99, 1)}),
                      {},
                      "a: every value is missing"};
  m["missing_values"] = {WithColumns({Col("credit_amount", DataType::kInt64, 917, 83, 50)}),
                         WithColumns({Col("credit_amount", DataType::kInt64, 960, 40, 50)}),
                         {},
                         "credit_amount: 8.3% missing (83 of 1,000)"};
  m["some_missing"] = {WithColumns({Col("a", DataType::kInt64, 960, 40, 50)}),
                       WithColumns({Col("a", DataType::kInt64, 1000, 0, 50)}),
                       {},
                       "a: 4.0% missing"};
  m["constant"] = {WithColumns({Col("k", DataType::kInt64, 10, 0, 1)}),
                   WithColumns({Col("k", DataType::kInt64, 10, 0, 2)}),
                   {},
                   "k: constant column"};
  m["likely_identifier"] = {WithColumns({Col("id", DataType::kInt64, 500, 0, 500)}),
                            WithColumns({Col("id", DataType::kFloat64, 500, 0, 500)}),
                            {},
                            "id: every one of 500 values is distinct"};
  m["high_cardinality"] = {WithColumns({Col("city", DataType::kString, 500, 0, 400)}),
                           WithColumns({Col("city", DataType::kString, 500, 0, 40)}),
                           {},
                           "city: high cardinality (400 distinct values in 500)"};
  m["skewed"] = {WithColumns({Num("x", 3.5, 0, 0)}),
                 WithColumns({Num("x", -1.5, 0, 0)}),
                 {},
                 "x: highly skewed (skewness 3.5)"};
  TableProfile with_inf = WithColumns({Num("x", 0, 0, 0)});
  with_inf.columns[0].numeric->infinite = 3;
  m["infinite_values"] = {with_inf, WithColumns({Num("x", 0, 0, 0)}), {}, "x: 3 infinite values"};
  m["many_zeros"] = {WithColumns({Num("x", 0, 60, 0)}),
                     WithColumns({Num("x", 0, 40, 0)}),
                     {},
                     "x: 60.0% of present values are zero"};
  m["outliers"] = {WithColumns({Num("x", 0, 0, 6)}),
                   WithColumns({Num("x", 0, 0, 5)}),
                   {},
                   "x: 6 values (6.0%) outside the 1.5 IQR fences"};
  TableProfile dup = WithColumns({Num("x", 0, 0, 0)});
  dup.duplicate_rows = 3;
  m["duplicate_rows"] = {
      dup, WithColumns({Num("x", 0, 0, 0)}), {}, "3 duplicate rows (3.0% of 100)"};
  m["strong_association"] = {WithPair("a", "b", -0.93),
                             WithPair("a", "b", 0.89),
                             {},
                             "a and b: strongly associated (pearson -0.930)"};
  m["target_leakage"] = {WithPair("x", "y", 0.97), WithPair("x", "y", 0.94), WithTargetOption(),
                         "x: almost determines the target y"};
  m["target_missing"] = {WithTarget(30, 4), WithTarget(30, 0), WithTargetOption(),
                         "y: the target is missing in 4 rows"};
  m["imbalanced_target"] = {WithTarget(10, 0), WithTarget(20, 0), WithTargetOption(),
                            "y: imbalanced target; class 'bad' is 10.0% of rows"};
  m["protected_rate_gap"] = {WithGroups(0.2, 0.4, 50), WithGroups(0.3, 0.35, 50),
                             WithTargetOption(),
                             "sex: rate of 'bad' ranges from 20.0% (f) to 40.0% (m)"};
  return m;
}

bool Has(const std::vector<Warning>& ws, std::string_view rule) {
  for (const auto& w : ws) {
    if (w.rule == rule) return true;
  }
  return false;
}

TEST(WarningRules, EveryRuleFiresAndStaysQuiet) {
  auto cases = Cases();
  ASSERT_FALSE(WarningRules().empty());
  for (const WarningRule& rule : WarningRules()) {
    SCOPED_TRACE(std::string(rule.name));
    auto it = cases.find(std::string(rule.name));
    ASSERT_NE(it, cases.end()) << "no test case for rule " << rule.name;
    const Case& c = it->second;
    std::vector<Warning> fired = CheckWarnings(c.fires, c.options);
    bool found = false;
    for (const auto& w : fired) {
      if (w.rule != rule.name) continue;
      found = true;
      EXPECT_EQ(w.severity, rule.severity);
      EXPECT_NE(w.message.find(c.expect), std::string::npos) << w.message;
      EXPECT_EQ(w.message.find('\n'), std::string::npos);
    }
    EXPECT_TRUE(found);
    EXPECT_FALSE(Has(CheckWarnings(c.quiet, c.options), rule.name));
    EXPECT_FALSE(rule.description.empty());
  }
  EXPECT_EQ(cases.size(), WarningRules().size());
}

TEST(WarningRules, NamesAreUniqueAndSeveritiesNamed) {
  std::map<std::string, int> seen;
  for (const WarningRule& rule : WarningRules()) EXPECT_EQ(seen[std::string(rule.name)]++, 0);
  EXPECT_EQ(WarningSeverityName(WarningSeverity::kInfo), "info");
  EXPECT_EQ(WarningSeverityName(WarningSeverity::kWarning), "warning");
  EXPECT_EQ(WarningSeverityName(WarningSeverity::kError), "error");
}

TEST(WarningRules, AssociationWithTargetIsNotARedundantPair) {
  // A strong feature-target pair is leakage, not a redundant feature pair.
  std::vector<Warning> w = CheckWarnings(WithPair("x", "y", 0.99), WithTargetOption());
  EXPECT_TRUE(Has(w, "target_leakage"));
  EXPECT_FALSE(Has(w, "strong_association"));
}

TEST(WarningRules, EndToEndOnATable) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(table::Column::Int64("k", {5, 5, 5, 5})).ok());
  ASSERT_TRUE(t.AddColumn(table::Column::Float64("e", {0, 0, 0, 0}, {0, 0, 0, 0})).ok());
  auto p = ProfileTable(t, {});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(Has(p->warnings, "constant"));
  EXPECT_TRUE(Has(p->warnings, "all_missing"));
  EXPECT_TRUE(Has(p->warnings, "duplicate_rows"));
  EXPECT_EQ(p->warnings[0].rule, "all_missing");  // rule order
  EXPECT_EQ(p->warnings[0].severity, WarningSeverity::kError);
}

}  // namespace
}  // namespace mlpipe::profile
