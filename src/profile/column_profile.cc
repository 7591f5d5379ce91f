// The per-column pass: counts, distinct and top values, moments, quartiles,
// zeros, histogram and outliers. Numeric values are radix-sorted once (in
// buffers reused from column to column), which gives quartiles, distinct
// values and value counts in one linear pass and the zero and outlier counts
// by binary search.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "mlpipe/stats/descriptive.h"
#include "mlpipe/stats/histogram.h"
#include "mlpipe/stats/outliers.h"
#include "mlpipe/stats/quantile.h"
#include "mlpipe/stats/sort.h"
#include "profile_internal.h"

namespace mlpipe::profile::internal {
namespace {

using table::Column;
using table::DataType;

// A run of equal values: its count and value.
struct Run {
  uint64_t count;
  double value;
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

// A present value as Column::ToStringAt writes it, from the sorted value
// rather than a row: carrying rows through the sort would double its memory
// traffic. A float zero (which may be -0.0 in the data) and an int64 beyond
// 2^53 (not exact as a double) are looked up: the first row holding them.
std::string ValueText(const Column& column, double v) {
  const bool int64 = column.type() == DataType::kInt64;
  if (int64 ? std::abs(v) < 0x1p53 : v != 0) {
    if (int64) return std::to_string(static_cast<int64_t>(v));
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    return std::string(buf, r.ptr);
  }
  for (size_t r = 0; r < column.size(); ++r) {
    if (column.IsValid(r) && column.NumericAt(r) == v) return column.ToStringAt(r);
  }
  return "";
}

// Calls fn(begin, end) for each run of equal values of ascending `sorted`,
// in order. The runs' starts are found 64 values at a time as a bit mask:
// in a float column most values are distinct and some repeat, so a branch
// per value (is the run over?) would often be mispredicted.
template <typename Fn>
void ForEachRun(const std::vector<double>& sorted, Fn&& fn) {
  const size_t n = sorted.size();
  size_t begin = 0;
  for (size_t base = 1; base < n; base += 64) {
    const size_t m = std::min<size_t>(64, n - base);
    uint64_t starts = 0;
    for (size_t k = 0; k < m; ++k) {
      starts |= uint64_t{sorted[base + k] != sorted[base + k - 1]} << k;
    }
    for (; starts != 0; starts &= starts - 1) {
      const size_t start = base + static_cast<size_t>(__builtin_ctzll(starts));
      fn(begin, start);
      begin = start;
    }
  }
  if (n > 0) fn(begin, n);
}

// Values of ascending `sorted` with |x - mean| / std > 3 (scipy zscore): the
// z-score rises monotonically away from the mean (rounded subtraction and
// division are monotone), so the outliers are a prefix and a suffix, found by
// binary search with the exact per-value test.
uint64_t CountZOutliersSorted(const std::vector<double>& sorted, double mean, double std) {
  if (!(std > 0)) return 0;  // as stats::CountZScoreOutliers
  auto out = [&](double x) { return std::abs(x - mean) / std > 3; };
  auto mid = std::lower_bound(sorted.begin(), sorted.end(), mean);
  auto low = std::partition_point(sorted.begin(), mid, out);
  auto high = std::partition_point(mid, sorted.end(), [&](double x) { return !out(x); });
  return static_cast<uint64_t>((low - sorted.begin()) + (sorted.end() - high));
}

void ProfileNumeric(const Column& column, const ProfileOptions& options, ColumnProfile* out,
                    ColumnData* data, ProfileScratch* scratch) {
  const size_t n = column.size();
  const auto& valid = column.validity();
  // The present values in row order for the moments (so that they sum in
  // file order), and their keys for the sort. Gathered without a branch per
  // row: every value is written, and kept when present.
  std::vector<double>& values = scratch->values;
  std::vector<uint64_t>& keys = scratch->keys;
  values.resize(n);
  keys.resize(n);
  size_t kept = 0;
  auto gather = [&](const auto& src) {
    for (size_t r = 0; r < n; ++r) {
      const double v = static_cast<double>(src[r]);
      const bool present = valid[r] != 0 && !std::isnan(v);  // NaN is missing, as in pandas
      values[kept] = v;
      keys[kept] = stats::OrderedKey(present ? v : 0.0);
      kept += present;
    }
  };
  if (column.type() == DataType::kInt64) {
    gather(column.int64s());
  } else {
    gather(column.float64s());
  }
  values.resize(kept);
  keys.resize(kept);
  stats::Moments moments;
  moments.AddAll(values);
  stats::RadixSort(keys, &scratch->sort_buffer);
  std::vector<double>& sorted = values;  // the row-order values are no longer needed
  for (size_t i = 0; i < kept; ++i) sorted[i] = stats::FromOrderedKey(keys[i]);

  out->count = sorted.size();
  if (data) data->kind = ColumnData::Kind::kNumeric;
  // Runs of equal values: distinct count and value counts.
  auto heap_cmp = [](const Run& a, const Run& b) { return NumericRunBefore(a, b); };
  std::priority_queue<Run, std::vector<Run>, decltype(heap_cmp)> top(heap_cmp);
  uint64_t distinct = 0;
  ForEachRun(sorted, [&](size_t begin, size_t end) {
    ++distinct;
    Run run{end - begin, sorted[begin]};
    if (options.top_values > 0 &&
        (top.size() < options.top_values || NumericRunBefore(run, top.top()))) {
      top.push(run);
      if (top.size() > options.top_values) top.pop();
    }
  });
  out->distinct = distinct;
  std::vector<ValueCount> tops;
  while (!top.empty()) {
    tops.push_back({ValueText(column, top.top().value), top.top().count});
    top.pop();
  }
  std::reverse(tops.begin(), tops.end());
  out->top = std::move(tops);
  if (sorted.empty()) return;
  if (data) data->mean = moments.mean();

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
  // Counts over sorted values are ranges: binary searches, not passes.
  auto zero_range = std::equal_range(sorted.begin(), sorted.end(), 0.0);
  s.zeros = static_cast<uint64_t>(zero_range.second - zero_range.first);
  const double inf = std::numeric_limits<double>::infinity();
  s.infinite = static_cast<uint64_t>(
      (std::upper_bound(sorted.begin(), sorted.end(), -inf) - sorted.begin()) +
      (sorted.end() - std::lower_bound(sorted.begin(), sorted.end(), inf)));
  const stats::Fences fences = stats::IqrFences(s.q1, s.q3);
  s.outliers_iqr = static_cast<uint64_t>(
      (std::lower_bound(sorted.begin(), sorted.end(), fences.low) - sorted.begin()) +
      (sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), fences.high)));
  s.outliers_z = CountZOutliersSorted(sorted, s.mean, moments.stddev(0));
  stats::Histogram h = stats::EqualWidthHistogramSorted(sorted, options.histogram_bins);
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

ColumnProfile ProfileColumn(const Column& column, const ProfileOptions& options, ColumnData* data,
                            ProfileScratch* scratch) {
  ColumnProfile out;
  out.name = column.name();
  out.type = column.type();
  const uint64_t rows = column.size();
  out.count = rows - column.null_count();
  switch (column.type()) {
    case DataType::kInt64:
    case DataType::kFloat64: {
      ProfileScratch own;
      ProfileNumeric(column, options, &out, data, scratch != nullptr ? scratch : &own);
      break;
    }
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
