#include "mlpipe/stats/outliers.h"

#include <cmath>

namespace mlpipe::stats {

Fences IqrFences(double q1, double q3, double k) {
  const double iqr = q3 - q1;
  return {q1 - k * iqr, q3 + k * iqr};
}

uint64_t CountOutside(std::span<const double> values, Fences fences) {
  uint64_t count = 0;
  for (double x : values) count += (x < fences.low || x > fences.high) ? 1 : 0;
  return count;
}

uint64_t CountZScoreOutliers(std::span<const double> values, double mean, double std,
                             double threshold) {
  // std == 0 makes every z-score NaN (or infinite) in scipy; no value is
  // then called an outlier.
  if (!(std > 0)) return 0;
  uint64_t count = 0;
  for (double x : values) count += (std::abs(x - mean) / std > threshold) ? 1 : 0;
  return count;
}

}  // namespace mlpipe::stats
