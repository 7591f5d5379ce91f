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

// `bins` equal-width bins over [min, max] of `values` (numpy.histogram).
// One bin of width 1 centred on the value when every value is equal; no bins when empty.
Histogram EqualWidthHistogram(std::span<const double> values, int bins);
// Bins whose edges are the 0, 1/bins, ..., 1 quantiles (duplicate edges merged).
Histogram QuantileHistogram(std::span<const double> values, int bins);

struct CategoryCount {
  std::string value;
  uint64_t count = 0;
};
struct CategoryCounts {
  std::vector<CategoryCount> top;  // the k most frequent, by count desc then value asc
  uint64_t other = 0;              // total count of the categories not in `top`
  uint64_t distinct = 0;           // number of categories with count > 0
};
// Counts of dictionary codes; `codes` < 0 are skipped (missing).
CategoryCounts CountCategories(std::span<const int32_t> codes,
                               const std::vector<std::string>& categories, size_t k);

}  // namespace mlpipe::stats
