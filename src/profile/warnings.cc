// The data-quality rules: one table, each entry {name, severity, description,
// check}. docs/profile.md lists the same rules; a test loops over every entry.
#include "mlpipe/profile/warnings.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "mlpipe/profile/profile.h"
#include "mlpipe/report/charts.h"
#include "profile_internal.h"

namespace mlpipe::profile {
namespace internal {

bool IsConstant(const ColumnProfile& c) { return c.distinct == 1; }

bool IsLikelyIdentifier(const ColumnProfile& c, const WarningThresholds& t) {
  bool id_type = c.type == table::DataType::kInt64 || c.type == table::DataType::kString ||
                 c.type == table::DataType::kCategorical;
  return id_type && c.count >= t.identifier_min_count && c.distinct == c.count;
}

bool IsHighCardinality(const ColumnProfile& c, const WarningThresholds& t) {
  bool text = c.type == table::DataType::kString || c.type == table::DataType::kCategorical;
  return text && c.distinct > t.high_cardinality &&
         static_cast<double>(c.distinct) >
             t.high_cardinality_share * static_cast<double>(c.count) &&
         !IsLikelyIdentifier(c, t);
}

}  // namespace internal

namespace {

using internal::IsConstant;
using internal::IsHighCardinality;
using internal::IsLikelyIdentifier;
using report::FormatCount;
using report::FormatNumber;
using report::FormatPercent;

using Out = std::vector<Warning>;

void Add(Out* out, std::string_view rule, std::string column, std::string message) {
  Warning w;
  w.rule = std::string(rule);
  w.column = std::move(column);
  w.message = std::move(message);
  out->push_back(std::move(w));
}

void CheckAllMissing(const TableProfile& p, const ProfileOptions&, Out* out) {
  for (const auto& c : p.columns) {
    if (p.rows > 0 && c.count == 0) {
      Add(out, "all_missing", c.name, fmt::format("{}: every value is missing", c.name));
    }
  }
}

void CheckMissing(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (c.count > 0 && c.missing_share > o.thresholds.missing_share) {
      Add(out, "missing_values", c.name,
          fmt::format("{}: {} missing ({} of {})", c.name, FormatPercent(c.missing_share),
                      FormatCount(c.missing), FormatCount(p.rows)));
    }
  }
}

void CheckSomeMissing(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (c.missing > 0 && c.missing_share <= o.thresholds.missing_share) {
      Add(out, "some_missing", c.name,
          fmt::format("{}: {} missing ({} of {})", c.name, FormatPercent(c.missing_share),
                      FormatCount(c.missing), FormatCount(p.rows)));
    }
  }
}

void CheckConstant(const TableProfile& p, const ProfileOptions&, Out* out) {
  for (const auto& c : p.columns) {
    if (IsConstant(c)) {
      Add(out, "constant", c.name,
          fmt::format("{}: constant column (every present value is '{}')", c.name,
                      c.top.empty() ? "" : c.top[0].value));
    }
  }
}

void CheckIdentifier(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (IsLikelyIdentifier(c, o.thresholds)) {
      Add(out, "likely_identifier", c.name,
          fmt::format("{}: every one of {} values is distinct; likely an identifier", c.name,
                      FormatCount(c.count)));
    }
  }
}

void CheckHighCardinality(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (IsHighCardinality(c, o.thresholds)) {
      Add(out, "high_cardinality", c.name,
          fmt::format("{}: high cardinality ({} distinct values in {})", c.name,
                      FormatCount(c.distinct), FormatCount(c.count)));
    }
  }
}

void CheckSkewed(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (c.numeric && std::fabs(c.numeric->skewness) > o.thresholds.skewness) {
      Add(out, "skewed", c.name,
          fmt::format("{}: highly skewed (skewness {})", c.name,
                      FormatNumber(c.numeric->skewness)));
    }
  }
}

void CheckInfinite(const TableProfile& p, const ProfileOptions&, Out* out) {
  for (const auto& c : p.columns) {
    if (c.numeric && c.numeric->infinite > 0) {
      Add(out, "infinite_values", c.name,
          fmt::format("{}: {} infinite values (inf or -inf); training refuses them", c.name,
                      FormatCount(c.numeric->infinite)));
    }
  }
}

void CheckZeros(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    if (!c.numeric || c.count == 0) continue;
    double share = static_cast<double>(c.numeric->zeros) / static_cast<double>(c.count);
    if (share > o.thresholds.zeros_share && !IsConstant(c)) {
      Add(out, "many_zeros", c.name,
          fmt::format("{}: {} of present values are zero", c.name, FormatPercent(share)));
    }
  }
}

void CheckOutliers(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const auto& c : p.columns) {
    // Few distinct values make the fences degenerate (q1 == q3): not outliers.
    if (!c.numeric || c.count == 0 || c.distinct <= 10) continue;
    double share = static_cast<double>(c.numeric->outliers_iqr) / static_cast<double>(c.count);
    if (share > o.thresholds.outliers_share) {
      Add(out, "outliers", c.name,
          fmt::format("{}: {} values ({}) outside the 1.5 IQR fences", c.name,
                      FormatCount(c.numeric->outliers_iqr), FormatPercent(share)));
    }
  }
}

void CheckDuplicates(const TableProfile& p, const ProfileOptions&, Out* out) {
  if (p.duplicate_rows > 0) {
    Add(out, "duplicate_rows", "",
        fmt::format("{} duplicate rows ({} of {})", FormatCount(p.duplicate_rows),
                    FormatPercent(static_cast<double>(p.duplicate_rows) / p.rows),
                    FormatCount(p.rows)));
  }
}

// The strongest figure per column pair (Pearson and Spearman are two figures
// for one pair), in pair order.
std::vector<const Association*> StrongestPerPair(const TableProfile& p) {
  std::vector<const Association*> best;
  for (const auto& a : p.associations.pairs) {
    if (std::isnan(a.value)) continue;
    if (!best.empty() && best.back()->a == a.a && best.back()->b == a.b) {
      if (std::fabs(a.value) > std::fabs(best.back()->value)) best.back() = &a;
    } else {
      best.push_back(&a);
    }
  }
  return best;
}

void CheckAssociation(const TableProfile& p, const ProfileOptions& o, Out* out) {
  for (const Association* a : StrongestPerPair(p)) {
    if (a->a == o.target || a->b == o.target) continue;
    if (std::fabs(a->value) >= o.thresholds.association) {
      Add(out, "strong_association", a->a,
          fmt::format("{} and {}: strongly associated ({} {:.3f})", a->a, a->b,
                      AssociationMethodName(a->method), a->value));
    }
  }
}

void CheckLeakage(const TableProfile& p, const ProfileOptions& o, Out* out) {
  if (o.target.empty()) return;
  for (const Association* a : StrongestPerPair(p)) {
    if (a->a != o.target && a->b != o.target) continue;
    if (std::fabs(a->value) >= o.thresholds.leakage) {
      const std::string& other = a->a == o.target ? a->b : a->a;
      Add(out, "target_leakage", other,
          fmt::format("{}: almost determines the target {} ({} {:.3f}); possible leakage", other,
                      o.target, AssociationMethodName(a->method), a->value));
    }
  }
}

void CheckTargetMissing(const TableProfile& p, const ProfileOptions&, Out* out) {
  if (p.target && p.target->missing > 0) {
    Add(out, "target_missing", p.target->column,
        fmt::format("{}: the target is missing in {} rows", p.target->column,
                    FormatCount(p.target->missing)));
  }
}

void CheckImbalance(const TableProfile& p, const ProfileOptions& o, Out* out) {
  if (!p.target || !p.target->classification || p.target->classes.size() < 2) return;
  const auto& classes = p.target->classes;
  uint64_t total = 0;
  for (const auto& c : classes) total += c.count;
  const ValueCount& minority = classes.back();
  double share = static_cast<double>(minority.count) / static_cast<double>(total);
  if (share < o.thresholds.imbalance) {
    Add(out, "imbalanced_target", p.target->column,
        fmt::format("{}: imbalanced target; class '{}' is {} of rows", p.target->column,
                    minority.value, FormatPercent(share)));
  }
}

void CheckRateGap(const TableProfile& p, const ProfileOptions& o, Out* out) {
  if (!p.target || !p.target->classification) return;
  for (const auto& g : p.protected_groups) {
    if (g.min_ratio >= o.thresholds.rate_ratio && g.max_gap <= o.thresholds.rate_gap) continue;
    const GroupRate *lo = nullptr, *hi = nullptr;
    for (const auto& r : g.groups) {
      if (r.rows < o.thresholds.min_group_rows) continue;
      if (!lo || r.rate < lo->rate) lo = &r;
      if (!hi || r.rate > hi->rate) hi = &r;
    }
    if (!lo || !hi) continue;
    Add(out, "protected_rate_gap", g.column,
        fmt::format("{}: rate of '{}' ranges from {} ({}) to {} ({}); ratio {:.2f}", g.column,
                    p.target->positive, FormatPercent(lo->rate), lo->group, FormatPercent(hi->rate),
                    hi->group, g.min_ratio));
  }
}

constexpr WarningRule kRules[] = {
    {"all_missing", WarningSeverity::kError, "every value of the column is missing",
     CheckAllMissing},
    {"missing_values", WarningSeverity::kWarning, "more than 5% of the column is missing",
     CheckMissing},
    {"some_missing", WarningSeverity::kInfo, "some values are missing, at most 5% of the column",
     CheckSomeMissing},
    {"constant", WarningSeverity::kWarning,
     "one distinct present value: the column carries nothing", CheckConstant},
    {"likely_identifier", WarningSeverity::kWarning,
     "an integer or text column whose present values are all distinct (at least 20)",
     CheckIdentifier},
    {"high_cardinality", WarningSeverity::kWarning,
     "a text column with more than 50 distinct values that are over half its values",
     CheckHighCardinality},
    {"infinite_values", WarningSeverity::kWarning,
     "a numeric column holds inf or -inf (training refuses them: replace or blank them)",
     CheckInfinite},
    {"skewed", WarningSeverity::kInfo, "|skewness| above 2", CheckSkewed},
    {"many_zeros", WarningSeverity::kInfo, "over half of the present values are zero", CheckZeros},
    {"outliers", WarningSeverity::kInfo,
     "over 5% of the values lie outside the 1.5 IQR fences (columns of over 10 values)",
     CheckOutliers},
    {"duplicate_rows", WarningSeverity::kWarning, "some rows repeat an earlier row exactly",
     CheckDuplicates},
    {"strong_association", WarningSeverity::kWarning,
     "two feature columns with |association| of 0.9 or more (redundant)", CheckAssociation},
    {"target_leakage", WarningSeverity::kWarning,
     "a column with |association| of 0.95 or more with the target (leakage?)", CheckLeakage},
    {"target_missing", WarningSeverity::kWarning, "rows without a target value",
     CheckTargetMissing},
    {"imbalanced_target", WarningSeverity::kWarning, "the smallest class is under 20% of the rows",
     CheckImbalance},
    {"protected_rate_gap", WarningSeverity::kWarning,
     "the positive rate differs between groups of a protected column (ratio under 0.8 or gap "
     "over 10 points, groups of 30 rows or more)",
     CheckRateGap},
};

}  // namespace

std::string_view WarningSeverityName(WarningSeverity severity) {
  switch (severity) {
    case WarningSeverity::kInfo:
      return "info";
    case WarningSeverity::kWarning:
      return "warning";
    case WarningSeverity::kError:
      return "error";
  }
  return "unknown";
}

std::span<const WarningRule> WarningRules() { return kRules; }

std::vector<Warning> CheckWarnings(const TableProfile& profile, const ProfileOptions& options) {
  std::vector<Warning> all;
  for (const WarningRule& rule : kRules) {
    size_t first = all.size();
    rule.check(profile, options, &all);
    for (size_t i = first; i < all.size(); ++i) all[i].severity = rule.severity;
  }
  return all;
}

}  // namespace mlpipe::profile
