// Grouping a numeric column: distinct values or qcut-style quartile bins.
#include "mlpipe/stats/groups.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

// Integral values without a decimal point ("25"), others with up to six
// significant digits ("26.75", "0.333333").
std::string Number(double v) {
  if (std::fabs(v) < 1e15 && v == std::trunc(v)) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6g}", v);
}

}  // namespace

int32_t NumericGroups::GroupOf(double v) const {
  if (std::isnan(v)) return -1;
  if (binned) {
    auto it = std::lower_bound(edges.begin(), edges.end(), v);  // first edge >= v
    return static_cast<int32_t>(it - edges.begin());
  }
  auto it = std::lower_bound(edges.begin(), edges.end(), v);
  return it != edges.end() && *it == v ? static_cast<int32_t>(it - edges.begin()) : -1;
}

NumericGroups GroupNumeric(std::span<const double> values, size_t max_value_groups) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) sorted.push_back(v + 0.0);  // -0 joins 0
  }
  std::sort(sorted.begin(), sorted.end());
  NumericGroups g;
  if (sorted.empty()) return g;
  std::vector<double> distinct = sorted;
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() <= max_value_groups) {
    g.edges = std::move(distinct);
    for (double v : g.edges) g.labels.push_back(Number(v));
    return g;
  }
  g.binned = true;
  const double lo = sorted.front(), hi = sorted.back();
  for (double q : {0.25, 0.5, 0.75}) {
    const double e = QuantileSorted(sorted, q);
    if (e > lo && e < hi && (g.edges.empty() || e > g.edges.back())) g.edges.push_back(e);
  }
  std::vector<double> bounds = {lo};
  bounds.insert(bounds.end(), g.edges.begin(), g.edges.end());
  bounds.push_back(hi);
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    g.labels.push_back(
        fmt::format("{}{}, {}]", k == 0 ? "[" : "(", Number(bounds[k]), Number(bounds[k + 1])));
  }
  return g;
}

std::vector<int32_t> GroupCodes(const NumericGroups& groups, std::span<const double> values) {
  std::vector<int32_t> codes(values.size());
  for (size_t i = 0; i < values.size(); ++i) codes[i] = groups.GroupOf(values[i]);
  return codes;
}

}  // namespace mlpipe::stats
