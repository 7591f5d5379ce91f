// The per-column pass: counts, distinct and top values, moments, quartiles,
// zeros, histogram and outliers. Numeric columns are radix-sorted once (with
// their rows), which gives quartiles, distinct values, value counts and ranks
// in linear passes.
#include <algorithm>
#include <cmath>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "mlpipe/stats/descriptive.h"
#include "mlpipe/stats/histogram.h"
#include "mlpipe/stats/outliers.h"
#include "mlpipe/stats/quantile.h"
#include "profile_internal.h"

namespace mlpipe::profile::internal {
namespace {

using table::Column;
using table::DataType;

// A run of equal values: its count and a row holding it (to print the value).
struct Run {
  uint64_t count;
  double value;  // sort key for numeric columns
  std::string text;
};

// True when `a` ranks before `b`: more frequent first, then the smaller value.
bool NumericRunBefore(const Run& a, const Run& b) {
  if (a.count != b.count) return a.count > b.count;
  return a.value < b.value;
}

std::vector<ValueCount> TopOfCounts(std::vector<ValueCount> all, size_t k) {
  auto before = [](const ValueCount& a, const ValueCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  };
  if (all.size() > k) {
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), before);
    all.resize(k);
  } else {
    std::sort(all.begin(), all.end(), before);
  }
  return all;
}

void ProfileNumeric(const Column& column, const ProfileOptions& options, ColumnProfile* out,
                    ColumnData* data) {
  const size_t n = column.size();
  const auto& valid = column.validity();
  std::vector<KeyRow> items;
  items.reserve(n - column.null_count());
  stats::Moments moments;
  std::vector<double> values;
  values.reserve(n - column.null_count());
  if (data) {
    data->kind = ColumnData::Kind::kNumeric;
    data->values.assign(n, NAN);
    data->ranks.assign(n, NAN);
  }
  for (size_t r = 0; r < n; ++r) {
    if (!valid[r]) continue;
    double v = column.NumericAt(r);
    if (std::isnan(v)) continue;  // NaN counts as missing, as in pandas
    values.push_back(v);
    items.push_back({OrderedKey(v), static_cast<uint32_t>(r)});
    if (data) data->values[r] = v;
  }
  moments.AddAll(values);
  RadixSort(items);
  std::vector<double> sorted(items.size());
  for (size_t i = 0; i < items.size(); ++i) sorted[i] = FromOrderedKey(items[i].key);

  out->count = sorted.size();
  // Runs of equal values: distinct count, value counts, average ranks.
  auto heap_cmp = [](const Run& a, const Run& b) { return NumericRunBefore(a, b); };
  std::priority_queue<Run, std::vector<Run>, decltype(heap_cmp)> top(heap_cmp);
  uint64_t distinct = 0;
  for (size_t i = 0; i < items.size();) {
    size_t j = i + 1;
    while (j < items.size() && items[j].key == items[i].key) ++j;
    ++distinct;
    Run run{j - i, sorted[i], ""};
    if (options.top_values > 0 &&
        (top.size() < options.top_values || NumericRunBefore(run, top.top()))) {
      run.text = column.ToStringAt(items[i].row);
      top.push(std::move(run));
      if (top.size() > options.top_values) top.pop();
    }
    if (data) {
      double rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based mean
      for (size_t k = i; k < j; ++k) data->ranks[items[k].row] = rank;
    }
    i = j;
  }
  out->distinct = distinct;
  std::vector<ValueCount> tops;
  while (!top.empty()) {
    tops.push_back({top.top().text, top.top().count});
    top.pop();
  }
  std::reverse(tops.begin(), tops.end());
  out->top = std::move(tops);
  if (sorted.empty()) return;
  if (data) {
    data->mean = moments.mean();
    data->rank_mean = (static_cast<double>(sorted.size()) + 1) / 2;
  }

  NumericSummary s;
  s.mean = moments.mean();
  s.std = moments.stddev(1);
  s.skewness = moments.skewness(false);
  s.kurtosis = moments.kurtosis(false);
  s.min = sorted.front();
  s.max = sorted.back();
  s.q1 = stats::QuantileSorted(sorted, 0.25);
  s.median = stats::QuantileSorted(sorted, 0.5);
  s.q3 = stats::QuantileSorted(sorted, 0.75);
  auto zero_range = std::equal_range(sorted.begin(), sorted.end(), 0.0);
  s.zeros = static_cast<uint64_t>(zero_range.second - zero_range.first);
  s.outliers_iqr = stats::CountOutside(sorted, stats::IqrFences(s.q1, s.q3));
  s.outliers_z = stats::CountZScoreOutliers(sorted, s.mean, moments.stddev(0));
  stats::Histogram h = stats::EqualWidthHistogram(sorted, options.histogram_bins);
  s.histogram.edges = std::move(h.edges);
  s.histogram.counts = std::move(h.counts);
  out->numeric = std::move(s);
}

void ProfileCategorical(const Column& column, const ProfileOptions& options, ColumnProfile* out,
                        ColumnData* data) {
  stats::CategoryCounts counts =
      stats::CountCategories(column.codes(), column.categories(), options.top_values);
  out->distinct = counts.distinct;
  for (auto& c : counts.top) out->top.push_back({std::move(c.value), c.count});
  if (data) {
    data->kind = ColumnData::Kind::kCategorical;
    data->codes = column.codes();
    const auto& valid = column.validity();
    for (size_t r = 0; r < valid.size(); ++r) {
      if (!valid[r]) data->codes[r] = -1;
    }
    data->num_codes = static_cast<int32_t>(column.categories().size());
  }
}

void ProfileBool(const Column& column, const ProfileOptions& options, ColumnProfile* out,
                 ColumnData* data) {
  uint64_t n_true = 0, n_false = 0;
  const auto& valid = column.validity();
  const auto& bools = column.bools();
  for (size_t r = 0; r < bools.size(); ++r) {
    if (valid[r]) (bools[r] ? n_true : n_false)++;
  }
  std::vector<ValueCount> all;
  if (n_false) all.push_back({"false", n_false});
  if (n_true) all.push_back({"true", n_true});
  out->distinct = all.size();
  out->top = TopOfCounts(std::move(all), options.top_values);
  if (data) {
    data->kind = ColumnData::Kind::kCategorical;
    data->codes.resize(bools.size());
    for (size_t r = 0; r < bools.size(); ++r) data->codes[r] = valid[r] ? bools[r] != 0 : -1;
    data->num_codes = 2;
  }
}

void ProfileString(const Column& column, const ProfileOptions& options, ColumnProfile* out) {
  std::unordered_map<std::string_view, uint64_t> counts;
  counts.reserve(column.size() - column.null_count());
  const auto& valid = column.validity();
  const auto& strings = column.strings();
  for (size_t r = 0; r < strings.size(); ++r) {
    if (valid[r]) ++counts[strings[r]];
  }
  out->distinct = counts.size();
  // Keep the k best with a bounded heap instead of copying every distinct string.
  auto before = [](const ValueCount& a, const ValueCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  };
  std::priority_queue<ValueCount, std::vector<ValueCount>, decltype(before)> top(before);
  for (const auto& [value, count] : counts) {
    if (top.size() < options.top_values) {
      top.push({std::string(value), count});
    } else if (options.top_values > 0) {
      const ValueCount& worst = top.top();
      if (count > worst.count || (count == worst.count && value < worst.value)) {
        top.pop();
        top.push({std::string(value), count});
      }
    }
  }
  while (!top.empty()) {
    out->top.push_back(top.top());
    top.pop();
  }
  std::reverse(out->top.begin(), out->top.end());
}

}  // namespace

ColumnProfile ProfileColumn(const Column& column, const ProfileOptions& options, ColumnData* data) {
  ColumnProfile out;
  out.name = column.name();
  out.type = column.type();
  const uint64_t rows = column.size();
  out.count = rows - column.null_count();
  switch (column.type()) {
    case DataType::kInt64:
    case DataType::kFloat64:
      ProfileNumeric(column, options, &out, data);
      break;
    case DataType::kBool:
      ProfileBool(column, options, &out, data);
      break;
    case DataType::kCategorical:
      ProfileCategorical(column, options, &out, data);
      break;
    case DataType::kString:
      ProfileString(column, options, &out);
      break;
  }
  out.missing = rows - out.count;
  out.missing_share = rows ? static_cast<double>(out.missing) / static_cast<double>(rows) : 0;
  return out;
}

}  // namespace mlpipe::profile::internal
