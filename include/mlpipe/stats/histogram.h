// Histograms of numeric values and counts of categories.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mlpipe::stats {

struct Histogram {
  std::vector<double> edges;     // bins + 1 ascending edges
  std::vector<uint64_t> counts;  // bins counts; bin i is [edges[i], edges[i+1]), the last closed
};

// `bins` equal-width bins over [min, max] of `values` (numpy.histogram(values,
// bins): the same edges, numpy.linspace, and the same bin of every value).
// One bin of width 1 centred on the value when every value is equal; no bins
// when empty or bins <= 0. NaN and infinite values are skipped.
Histogram EqualWidthHistogram(std::span<const double> values, int bins);
// The same histogram of ascending `sorted` (no NaN) by a binary search per
// bin: the bin of a value never decreases as the value grows.
Histogram EqualWidthHistogramSorted(std::span<const double> sorted, int bins);
// Bins whose edges are the 0, 1/bins, ..., 1 quantiles (numpy.quantile of
// numpy.linspace(0, 1, bins + 1); duplicate edges merged), counted as
// numpy.histogram(values, edges). Degenerate cases as EqualWidthHistogram.
Histogram QuantileHistogram(std::span<const double> values, int bins);
// Counts of `values` in the bins of ascending `edges` (numpy.histogram(values,
// edges)[0]): bin i is [edges[i], edges[i+1]), the last closed; values
// outside [edges.front(), edges.back()] and NaN are not counted. Empty when
// fewer than 2 edges. For PSI, pass edges with -inf/+inf ends.
std::vector<uint64_t> BinCounts(std::span<const double> values, std::span<const double> edges);

struct CategoryCount {
  std::string value;
  uint64_t count = 0;
};
struct CategoryCounts {
  std::vector<CategoryCount> top;  // the k most frequent, by count desc then value asc
  uint64_t other = 0;              // total count of the categories not in `top`
  uint64_t distinct = 0;           // number of categories with count > 0
};
// Counts of dictionary codes; `codes` < 0 are skipped (missing), as are codes
// >= categories.size().
CategoryCounts CountCategories(std::span<const int32_t> codes,
                               const std::vector<std::string>& categories, size_t k);

}  // namespace mlpipe::stats
