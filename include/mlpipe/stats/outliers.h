// Outlier rules for numeric values.
#pragma once

#include <cstdint>
#include <span>

namespace mlpipe::stats {

struct Fences {
  double low = 0;
  double high = 0;
};
// Tukey's fences [q1 - k*iqr, q3 + k*iqr].
Fences IqrFences(double q1, double q3, double k = 1.5);
// Number of values strictly outside `fences`.
uint64_t CountOutside(std::span<const double> values, Fences fences);
// Number of values with |x - mean| / std > threshold (std with ddof 0, as scipy.stats.zscore).
uint64_t CountZScoreOutliers(std::span<const double> values, double mean, double std,
                             double threshold = 3.0);

}  // namespace mlpipe::stats
