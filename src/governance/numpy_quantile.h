// Internal: numpy.quantile's default (linear) method on sorted values,
// including its two-sided interpolation formula, so that bin and band edges
// match the Python references bit for bit.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace mlpipe::governance::internal {

// REQUIRES: `sorted` is non-empty and ascending; 0 <= p <= 1.
inline double NumpyQuantile(const std::vector<double>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const double lo_f = std::floor(pos);
  const auto lo = static_cast<size_t>(lo_f);
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double t = pos - lo_f;
  const double a = sorted[lo], b = sorted[hi];
  const double d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

}  // namespace mlpipe::governance::internal
