#include <algorithm>
#include <cmath>
#include <limits>

#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numpy's _lerp: interpolates from the nearer end, so t = 1 gives b exactly.
double Lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

bool ValidQ(double q) { return q >= 0 && q <= 1; }  // false for NaN

// Positions (lo, lo + 1 clipped) and weight of the q-quantile among n values.
struct Position {
  size_t lo;
  size_t hi;
  double gamma;
};
Position Locate(size_t n, double q) {
  const double v = static_cast<double>(n - 1) * q;
  if (v >= static_cast<double>(n - 1)) return {n - 1, n - 1, 0.0};
  const auto lo = static_cast<size_t>(std::floor(v));
  return {lo, lo + 1, v - static_cast<double>(lo)};
}

// Partially orders [first, last) so that each position in the ascending,
// unique [ib, ie) (absolute, `first` being position `offset`) holds the value
// a full sort would put there.
void MultiSelect(double* first, double* last, size_t offset, const size_t* ib, const size_t* ie) {
  while (ib != ie) {
    const size_t* mid = ib + (ie - ib) / 2;
    double* nth = first + (*mid - offset);
    std::nth_element(first, nth, last);
    MultiSelect(first, nth, offset, ib, mid);
    // Tail-iterate on the right part.
    first = nth + 1;
    offset = *mid + 1;
    ib = mid + 1;
  }
}

}  // namespace

double QuantileSorted(std::span<const double> sorted, double q) {
  if (sorted.empty() || !ValidQ(q)) return kNaN;
  const Position p = Locate(sorted.size(), q);
  return Lerp(sorted[p.lo], sorted[p.hi], p.gamma);
}

std::vector<double> Quantiles(std::span<const double> values, std::span<const double> qs) {
  std::vector<double> out(qs.size(), kNaN);
  if (values.empty()) return out;
  std::vector<double> work(values.begin(), values.end());
  for (double x : work) {
    if (std::isnan(x)) return out;
  }
  const size_t n = work.size();
  std::vector<size_t> positions;
  positions.reserve(2 * qs.size());
  for (double q : qs) {
    if (!ValidQ(q)) continue;
    const Position p = Locate(n, q);
    positions.push_back(p.lo);
    positions.push_back(p.hi);
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  MultiSelect(work.data(), work.data() + n, 0, positions.data(),
              positions.data() + positions.size());
  for (size_t i = 0; i < qs.size(); ++i) {
    if (!ValidQ(qs[i])) continue;
    const Position p = Locate(n, qs[i]);
    out[i] = Lerp(work[p.lo], work[p.hi], p.gamma);
  }
  return out;
}

}  // namespace mlpipe::stats
