// Exact quantiles and a mergeable quantile sketch for data too large to sort.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::stats {

// The q-quantile (0 <= q <= 1) of ascending `sorted`, interpolated linearly
// between closest ranks (numpy's default "linear" method, pandas' quantile):
// h = (n - 1) q, x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]), with
// numpy's two-sided lerp so that the result is bitwise numpy's.
// NaN when empty or when q is NaN or outside [0, 1].
double QuantileSorted(std::span<const double> sorted, double q);

// Exact quantiles of unsorted `values` for each q in `qs`, by selection
// (no full sort: nth_element over a copy, O(n log |qs|)). Same definition as
// QuantileSorted. Every result is NaN when `values` holds a NaN (as numpy).
std::vector<double> Quantiles(std::span<const double> values, std::span<const double> qs);

// A KLL-style mergeable sketch: the rank error of Quantile(q) is about
// 1.7 / k of the count with high probability. Deterministic for a given seed
// and order of Add/Merge calls.
//
// Karnin, Lang, Liberty (2016): level h is a compactor of items of weight 2^h
// whose capacity is k (2/3)^(depth below the top), at least 8. When the sketch
// holds more items than the sum of capacities, the lowest full level is
// sorted and every other item (random offset) moves up one level. Memory is
// about 3k doubles. Until the first compaction (count() < k) the sketch
// holds every value and Quantile() is exact (QuantileSorted).
// Not thread safe; build one per thread or chunk and Merge().
class QuantileSketch {
 public:
  // REQUIRES: k >= 8 (smaller values are raised to 8).
  explicit QuantileSketch(int k = 200, uint64_t seed = 1);
  // NaN values are ignored (not counted).
  void Add(double x);
  // Folds `other` in; the result keeps this sketch's k and random stream.
  void Merge(const QuantileSketch& other);
  uint64_t count() const { return n_; }
  // NaN when empty or q is NaN. Quantile(0) and Quantile(1) are the exact
  // min and max; other q return a retained value whose rank is close to
  // q (count() - 1).
  double Quantile(double q) const;
  // Quantile() for each q, sorting the retained items once.
  std::vector<double> Quantiles(std::span<const double> qs) const;

 private:
  void Compact();
  int k_;
  uint64_t n_ = 0;
  uint64_t rng_state_;
  std::vector<std::vector<double>> levels_;  // level h holds items of weight 2^h
  uint64_t retained_ = 0;                    // items held over all levels
  uint64_t capacity_ = 0;                    // sum of the level capacities
  double min_ = 0, max_ = 0;                 // exact extremes, valid when n_ > 0
};

}  // namespace mlpipe::stats
