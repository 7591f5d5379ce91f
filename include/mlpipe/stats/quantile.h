// Exact quantiles and a mergeable quantile sketch for data too large to sort.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::stats {

// The q-quantile (0 <= q <= 1) of ascending `sorted`, interpolated linearly
// between closest ranks (numpy's default "linear" method, pandas' quantile).
// NaN when empty.
double QuantileSorted(std::span<const double> sorted, double q);

// Exact quantiles of unsorted `values` for each q in `qs`, by selection
// (no full sort). Same definition as QuantileSorted.
std::vector<double> Quantiles(std::span<const double> values, std::span<const double> qs);

// A KLL-style mergeable sketch: the rank error of Quantile(q) is about
// 1.7 / k of the count with high probability. Deterministic for a given seed
// and order of Add/Merge calls.
class QuantileSketch {
 public:
  explicit QuantileSketch(int k = 200, uint64_t seed = 1);
  void Add(double x);
  void Merge(const QuantileSketch& other);
  uint64_t count() const { return n_; }
  // NaN when empty.
  double Quantile(double q) const;

 private:
  void Compact();
  int k_;
  uint64_t n_ = 0;
  uint64_t rng_state_;
  std::vector<std::vector<double>> levels_;  // level h holds items of weight 2^h
};

}  // namespace mlpipe::stats
