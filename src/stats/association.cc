#include "mlpipe/stats/association.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "mlpipe/stats/sort.h"

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A contingency table of two codings. Dense (flat row-major ka x kb vector)
// when that is small; otherwise the sorted occupied cells, so that two
// high-cardinality columns never allocate ka * kb counters.
struct Contingency {
  std::vector<uint64_t> row;                         // row sums, size ka
  std::vector<uint64_t> col;                         // column sums, size kb
  std::vector<std::pair<uint64_t, uint64_t>> cells;  // (a * kb + b, count), count > 0
  std::vector<uint64_t> dense;                       // ka * kb counts, or empty if sparse
  uint64_t n = 0;
};

Contingency BuildContingency(std::span<const int32_t> a, int32_t ka, std::span<const int32_t> b,
                             int32_t kb) {
  Contingency t;
  const size_t len = std::min(a.size(), b.size());
  if (ka <= 0 || kb <= 0) return t;
  const auto ra = static_cast<uint64_t>(ka);
  const auto cb = static_cast<uint64_t>(kb);
  t.row.assign(ra, 0);
  t.col.assign(cb, 0);
  const uint64_t cells = ra * cb;
  auto valid = [&](size_t i) { return a[i] >= 0 && a[i] < ka && b[i] >= 0 && b[i] < kb; };
  if (cells <= 4 * static_cast<uint64_t>(len) + (uint64_t{1} << 16)) {
    t.dense.assign(cells, 0);
    for (size_t i = 0; i < len; ++i) {
      if (!valid(i)) continue;
      ++t.dense[static_cast<uint64_t>(a[i]) * cb + static_cast<uint64_t>(b[i])];
    }
    for (uint64_t c = 0; c < cells; ++c) {
      if (t.dense[c] != 0) t.cells.emplace_back(c, t.dense[c]);
    }
  } else {
    std::vector<uint64_t> keys;
    keys.reserve(len);
    for (size_t i = 0; i < len; ++i) {
      if (valid(i)) keys.push_back(static_cast<uint64_t>(a[i]) * cb + static_cast<uint64_t>(b[i]));
    }
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size();) {
      size_t j = i;
      while (j < keys.size() && keys[j] == keys[i]) ++j;
      t.cells.emplace_back(keys[i], j - i);
      i = j;
    }
  }
  for (const auto& [cell, count] : t.cells) {
    t.row[cell / cb] += count;
    t.col[cell % cb] += count;
    t.n += count;
  }
  return t;
}

size_t CountNonZero(const std::vector<uint64_t>& v) {
  return static_cast<size_t>(std::count_if(v.begin(), v.end(), [](uint64_t c) { return c > 0; }));
}

// Pearson correlation of two equally long vectors (two-pass, as scipy).
bool Constant(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; });
}

double PearsonImpl(std::span<const double> x, std::span<const double> y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n || Constant(x) || Constant(y)) return kNaN;
  double sx = 0, sy = 0;
  for (size_t i = 0; i < n; ++i) {
    sx += x[i];
    sy += y[i];
  }
  const double mx = sx / static_cast<double>(n);
  const double my = sy / static_cast<double>(n);
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < n; ++i) {
    const double dx = x[i] - mx;
    const double dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx == 0 || syy == 0) return kNaN;
  const double r = sxy / (std::sqrt(sxx) * std::sqrt(syy));
  return std::clamp(r, -1.0, 1.0);
}

}  // namespace

double Pearson(std::span<const double> x, std::span<const double> y) { return PearsonImpl(x, y); }

std::vector<double> Rank(std::span<const double> x) {
  const size_t n = x.size();
  std::vector<double> ranks(n);
  for (double v : x) {
    if (std::isnan(v)) {
      std::fill(ranks.begin(), ranks.end(), kNaN);
      return ranks;
    }
  }
  const std::vector<uint32_t> order = RadixArgSort(x);
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && x[order[j]] == x[order[i]]) ++j;
    // Positions i..j-1 (0-based) share the mean of ranks i+1..j.
    const double rank = 0.5 * static_cast<double>(i + 1 + j);
    for (size_t t = i; t < j; ++t) ranks[order[t]] = rank;
    i = j;
  }
  return ranks;
}

double Spearman(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) return kNaN;
  const std::vector<double> rx = Rank(x);
  const std::vector<double> ry = Rank(y);
  return PearsonImpl(rx, ry);
}

double CramersV(std::span<const int32_t> a, int32_t ka, std::span<const int32_t> b, int32_t kb) {
  if (a.size() != b.size()) return kNaN;
  const Contingency t = BuildContingency(a, ka, b, kb);
  if (t.n == 0) return kNaN;
  const size_t rows = CountNonZero(t.row);
  const size_t cols = CountNonZero(t.col);
  const size_t dof = std::min(rows, cols) - 1;
  if (dof == 0) return kNaN;  // one row or one column: 0 / 0
  const auto cb = static_cast<uint64_t>(kb);
  const double n = static_cast<double>(t.n);
  // chi2 = sum (O - E)^2 / E over the occupied rows and columns (categories
  // that never occur are left out, as a crosstab of the data would).
  double chi2 = 0;
  if (!t.dense.empty()) {
    for (size_t i = 0; i < t.row.size(); ++i) {
      if (t.row[i] == 0) continue;
      for (size_t j = 0; j < t.col.size(); ++j) {
        if (t.col[j] == 0) continue;
        const double e = static_cast<double>(t.row[i]) * static_cast<double>(t.col[j]) / n;
        const double d = static_cast<double>(t.dense[i * cb + j]) - e;
        chi2 += d * d / e;
      }
    }
  } else {
    // Sparse: empty cells contribute their E, i.e. (total E = n) minus the E
    // of the occupied cells, so the work follows the occupied cells only.
    double expected_occupied = 0;
    for (const auto& [cell, count] : t.cells) {
      const double e =
          static_cast<double>(t.row[cell / cb]) * static_cast<double>(t.col[cell % cb]) / n;
      const double d = static_cast<double>(count) - e;
      chi2 += d * d / e;
      expected_occupied += e;
    }
    chi2 = std::max(chi2 + (n - expected_occupied), 0.0);
  }
  return std::sqrt(chi2 / n / static_cast<double>(dof));
}

double CorrelationRatio(std::span<const double> values, std::span<const int32_t> codes, int32_t k) {
  if (values.size() != codes.size() || values.empty() || k <= 0) return kNaN;
  std::vector<double> sums(static_cast<size_t>(k), 0.0);
  std::vector<uint64_t> counts(static_cast<size_t>(k), 0);
  double total = 0;
  uint64_t n = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const int32_t c = codes[i];
    if (c < 0 || c >= k) continue;
    sums[static_cast<size_t>(c)] += values[i];
    ++counts[static_cast<size_t>(c)];
    total += values[i];
    ++n;
  }
  if (n == 0) return kNaN;
  const double mean = total / static_cast<double>(n);
  double sst = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const int32_t c = codes[i];
    if (c < 0 || c >= k) continue;
    const double d = values[i] - mean;
    sst += d * d;
  }
  if (sst == 0 || Constant(values)) return kNaN;
  double ssb = 0;
  for (size_t g = 0; g < counts.size(); ++g) {
    if (counts[g] == 0) continue;
    const double d = sums[g] / static_cast<double>(counts[g]) - mean;
    ssb += static_cast<double>(counts[g]) * d * d;
  }
  return std::sqrt(std::min(ssb / sst, 1.0));
}

double MutualInformation(std::span<const int32_t> a, int32_t ka, std::span<const int32_t> b,
                         int32_t kb) {
  if (a.size() != b.size()) return kNaN;
  const Contingency t = BuildContingency(a, ka, b, kb);
  if (t.n == 0) return kNaN;
  if (CountNonZero(t.row) == 1 || CountNonZero(t.col) == 1) return 0.0;
  // sklearn.metrics.mutual_info_score term by term:
  // sum p_ij (log n_ij - log n) + p_ij (log n + log n - log(a_i b_j)),
  // each term below machine epsilon set to 0, the sum clipped at 0.
  const auto cb = static_cast<uint64_t>(kb);
  const double n = static_cast<double>(t.n);
  const double log_n = std::log(n);
  double mi = 0;
  for (const auto& [cell, count] : t.cells) {
    const double c = static_cast<double>(count);
    const double p = c / n;
    const double outer =
        static_cast<double>(t.row[cell / cb]) * static_cast<double>(t.col[cell % cb]);
    const double log_outer = -std::log(outer) + log_n + log_n;
    double term = p * (std::log(c) - log_n) + p * log_outer;
    if (std::abs(term) < std::numeric_limits<double>::epsilon()) term = 0;
    mi += term;
  }
  return std::max(mi, 0.0);
}

}  // namespace mlpipe::stats
