#include "mlpipe/stats/histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mlpipe/stats/quantile.h"
#include "mlpipe/stats/sort.h"

namespace mlpipe::stats {
namespace {

Histogram SingleValue(double v, uint64_t count) { return Histogram{{v - 0.5, v + 0.5}, {count}}; }

// numpy.linspace(first, last, bins + 1): i * step + first, the last edge exact.
std::vector<double> Linspace(double first, double last, int bins) {
  std::vector<double> edges(static_cast<size_t>(bins) + 1);
  const double step = (last - first) / bins;
  for (int i = 0; i <= bins; ++i) edges[static_cast<size_t>(i)] = i * step + first;
  edges.back() = last;
  return edges;
}

// The bin numpy gives a finite x in [lo, hi]: its uniform-bin fast path, the
// index from the scaled offset, then a one-step correction against the actual
// edges (the scaled index can be off by one within an ulp of an edge). With
// ascending edges the result never decreases as x grows.
size_t BinOf(double x, double lo, double norm, size_t last, const double* edges) {
  auto i = static_cast<size_t>((x - lo) * norm);
  if (i > last) i = last;
  if (x < edges[i]) {
    --i;
  } else if (i != last && x >= edges[i + 1]) {
    ++i;
  }
  return i;
}

}  // namespace

Histogram EqualWidthHistogram(std::span<const double> values, int bins) {
  Histogram h;
  if (bins <= 0) return h;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  uint64_t n = 0;
  for (double x : values) {
    if (!std::isfinite(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    ++n;
  }
  if (n == 0) return h;
  if (lo == hi) return SingleValue(lo, n);
  h.edges = Linspace(lo, hi, bins);
  h.counts.assign(static_cast<size_t>(bins), 0);
  // numpy's uniform-bin fast path: index from the scaled offset, then a
  // one-step correction against the actual edges (the scaled index can be off
  // by one within an ulp of an edge).
  const double norm = bins / (hi - lo);
  const auto last = static_cast<size_t>(bins - 1);
  const double* edges = h.edges.data();
  for (double x : values) {
    if (std::isfinite(x)) ++h.counts[BinOf(x, lo, norm, last, edges)];
  }
  return h;
}

Histogram EqualWidthHistogramSorted(std::span<const double> sorted, int bins) {
  const double inf = std::numeric_limits<double>::infinity();
  auto b = std::partition_point(sorted.begin(), sorted.end(), [&](double x) { return x == -inf; });
  auto e = std::partition_point(b, sorted.end(), [&](double x) { return x < inf; });
  if (bins <= 0 || b == e) return {};
  const double lo = *b, hi = *(e - 1);
  if (lo == hi) return SingleValue(lo, static_cast<uint64_t>(e - b));
  Histogram h;
  h.edges = Linspace(lo, hi, bins);
  if (!std::is_sorted(h.edges.begin(), h.edges.end())) return EqualWidthHistogram(sorted, bins);
  h.counts.assign(static_cast<size_t>(bins), 0);
  const double norm = bins / (hi - lo);
  const auto last = static_cast<size_t>(bins - 1);
  const double* edges = h.edges.data();
  // Bins are consecutive runs of the sorted values: find each run's end.
  for (size_t k = 0; k <= last; ++k) {
    auto next = k == last ? e : std::partition_point(b, e, [&](double x) {
      return BinOf(x, lo, norm, last, edges) <= k;
    });
    h.counts[k] = static_cast<uint64_t>(next - b);
    b = next;
  }
  return h;
}

Histogram QuantileHistogram(std::span<const double> values, int bins) {
  Histogram h;
  if (bins <= 0) return h;
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double x : values) {
    if (std::isfinite(x)) finite.push_back(x);
  }
  if (finite.empty()) return h;
  // q_i = i * (1 / bins), as numpy.linspace(0, 1, bins + 1).
  std::vector<double> qs = Linspace(0.0, 1.0, bins);
  // One radix sort gives both the quantile edges and, by binary search of
  // each edge, the counts.
  RadixSort(finite);
  std::vector<double> edges(qs.size());
  for (size_t i = 0; i < qs.size(); ++i) edges[i] = QuantileSorted(finite, qs[i]);
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  if (edges.size() < 2) return SingleValue(edges[0], finite.size());
  h.counts.assign(edges.size() - 1, 0);
  size_t prev = 0;
  for (size_t i = 1; i < edges.size(); ++i) {
    // Bin i-1 is [edges[i-1], edges[i]); the last one also takes edges.back().
    const bool last = i + 1 == edges.size();
    const auto end = last ? std::upper_bound(finite.begin(), finite.end(), edges[i])
                          : std::lower_bound(finite.begin(), finite.end(), edges[i]);
    const auto pos = static_cast<size_t>(end - finite.begin());
    h.counts[i - 1] = pos - prev;
    prev = pos;
  }
  h.edges = std::move(edges);
  return h;
}

std::vector<uint64_t> BinCounts(std::span<const double> values, std::span<const double> edges) {
  if (edges.size() < 2) return {};
  std::vector<uint64_t> counts(edges.size() - 1, 0);
  const size_t last = counts.size() - 1;
  for (double x : values) {
    if (!(x >= edges.front() && x <= edges.back())) continue;  // also drops NaN
    size_t i =
        static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()) - 1;
    ++counts[std::min(i, last)];
  }
  return counts;
}

CategoryCounts CountCategories(std::span<const int32_t> codes,
                               const std::vector<std::string>& categories, size_t k) {
  std::vector<uint64_t> counts(categories.size(), 0);
  const auto kcat = static_cast<int64_t>(categories.size());
  for (int32_t c : codes) {
    if (c >= 0 && c < kcat) ++counts[static_cast<size_t>(c)];
  }
  std::vector<uint32_t> present;
  uint64_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    present.push_back(static_cast<uint32_t>(i));
    total += counts[i];
  }
  CategoryCounts out;
  out.distinct = present.size();
  const size_t top = std::min(k, present.size());
  auto before = [&](uint32_t a, uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return categories[a] < categories[b];
  };
  std::partial_sort(present.begin(), present.begin() + static_cast<ptrdiff_t>(top), present.end(),
                    before);
  uint64_t in_top = 0;
  out.top.reserve(top);
  for (size_t i = 0; i < top; ++i) {
    out.top.push_back({categories[present[i]], counts[present[i]]});
    in_top += counts[present[i]];
  }
  out.other = total - in_top;
  return out;
}

}  // namespace mlpipe::stats
