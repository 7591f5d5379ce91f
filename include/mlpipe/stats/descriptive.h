// Mergeable descriptive statistics: computing on parts and merging equals
// computing on the whole (Pébay's update formulas for central moments), so
// large tables are summarised in parallel chunks.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

namespace mlpipe::stats {

// Not thread safe; give each thread or chunk its own and Merge(). A NaN
// value poisons the moments: callers pass present values only.
class Moments {
 public:
  void Add(double x);
  // Same result as Add() for each value, but computed in two passes over the
  // block (faster, and more accurate) and then merged.
  void AddAll(std::span<const double> xs);
  // Folds `other` into this; the result is as if every value had been added here.
  void Merge(const Moments& other);

  uint64_t count() const { return n_; }
  double sum() const { return mean_ * static_cast<double>(n_); }
  // NaN when count() == 0.
  double mean() const;
  // Variance with `ddof` delta degrees of freedom (1: sample, as pandas; 0: population).
  // NaN when count() <= ddof.
  double variance(int ddof = 1) const;
  double stddev(int ddof = 1) const;
  double min() const { return min_; }  // +inf when empty
  double max() const { return max_; }  // -inf when empty
  // Skewness; `bias` = false gives the adjusted Fisher–Pearson coefficient
  // (pandas .skew(), scipy.stats.skew(bias=False)). NaN when undefined:
  // empty, fewer than 3 values (unbiased), or constant values (scipy's
  // test: population variance <= (1e-15 mean)^2; pandas would return 0).
  double skewness(bool bias = false) const;
  // Excess kurtosis; `bias` = false as pandas .kurt() and
  // scipy.stats.kurtosis(bias=False). NaN when undefined: empty, fewer than
  // 4 values (unbiased), or constant values (as skewness()).
  double kurtosis(bool bias = false) const;

 private:
  bool Degenerate() const;

  uint64_t n_ = 0;
  double mean_ = 0, m2_ = 0, m3_ = 0, m4_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace mlpipe::stats
