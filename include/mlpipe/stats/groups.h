// The one rule that turns a numeric column into groups (fairness groups of a
// protected column, the profile's target rate per group): few distinct
// values, one group each; more, quartile bins with pandas.qcut(q=4,
// duplicates="drop") membership.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mlpipe::stats {

// A column with at most this many distinct values keeps one group per value.
inline constexpr size_t kMaxValueGroups = 10;

struct NumericGroups {
  // True: quartile bins; false: one group per distinct value.
  bool binned = false;
  // binned: the inner edges, ascending (at most 3: the quartiles strictly
  // between the minimum and the maximum, duplicates dropped); group k holds
  // (edges[k-1], edges[k]], group 0 everything <= edges[0] and the last
  // everything > edges.back(). Otherwise the distinct values, ascending.
  std::vector<double> edges;
  // One label per group: "[min, q1]", "(q1, q2]", ..., "(q3, max]" as
  // pandas prints qcut's intervals; or the value ("3", "0.5").
  std::vector<std::string> labels;

  // The group of `v`; -1 for NaN (missing values are the caller's: fairness
  // puts them in a "(missing)" group of their own, the profile counts them as
  // missing) and, when not binned, for a value that is not one of the values.
  int32_t GroupOf(double v) const;
};

// The groups of `values` (NaN = missing, ignored): one per distinct value
// when there are at most `max_value_groups` of them, else quartile bins whose
// quartiles are numpy's linear ones over the non-missing values. No groups
// when every value is missing.
NumericGroups GroupNumeric(std::span<const double> values,
                           size_t max_value_groups = kMaxValueGroups);

// The codes of `values` under `groups` (GroupOf each).
std::vector<int32_t> GroupCodes(const NumericGroups& groups, std::span<const double> values);

}  // namespace mlpipe::stats
