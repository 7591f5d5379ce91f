#include "mlpipe/stats/hypothesis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint64_t kMaxAutoN = 10000;  // scipy's MAX_AUTO_N

// Pr(D_{n,n} >= h/n), Horner-like alternating sum (scipy
// _compute_prob_outside_square).
double ProbOutsideSquare(int64_t n, int64_t h) {
  double p = 0.0;
  for (int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (int64_t j = 0; j < h; ++j) {
      p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

// The proportion of lattice paths from (0,0) to (m,n) that leave the band
// |x/m - y/n| < h / lcm(m, n): Hodges' inside method with Viehmann's
// recursion for 1 - p (scipy _compute_outer_prob_inside_method).
double OuterProbInside(int64_t m, int64_t n, int64_t g, int64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t mg = m / g;
  const int64_t ng = n / g;
  const double dh = static_cast<double>(h), dmg = static_cast<double>(mg);
  int64_t minj = 0;
  int64_t maxj = std::min(static_cast<int64_t>(std::ceil(dh / dmg)), n + 1);
  int64_t curlen = maxj - minj;
  const int64_t len = std::min(2 * maxj + 2, n + 1);
  std::vector<double> a(static_cast<size_t>(len), 1.0);
  for (int64_t j = minj; j < maxj; ++j) a[static_cast<size_t>(j)] = 0.0;
  for (int64_t i = 1; i <= m; ++i) {
    const int64_t lastminj = minj, lastlen = curlen;
    const double ngi = static_cast<double>(ng * i);
    minj = std::max(static_cast<int64_t>(std::floor((ngi - dh) / dmg)) + 1, int64_t{0});
    minj = std::min(minj, n);
    maxj = std::min(static_cast<int64_t>(std::ceil((ngi + dh) / dmg)), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    for (int64_t jj = 0; jj < maxj - minj; ++jj) {
      const int64_t j = jj + minj;
      val = (a[static_cast<size_t>(jj + minj - lastminj)] * static_cast<double>(i) +
             val * static_cast<double>(j)) /
            static_cast<double>(i + j);
      a[static_cast<size_t>(jj)] = val;
    }
    curlen = maxj - minj;
    for (int64_t t = curlen; t < std::min(curlen + (lastlen - curlen), len); ++t) {
      a[static_cast<size_t>(t)] = 1.0;
    }
  }
  return a[static_cast<size_t>(maxj - minj - 1)];
}

Status CheckSample(std::span<const double> x, const char* name) {
  if (x.empty())
    return InvalidArgumentError(std::string("KsTwoSample: sample ") + name + " is empty");
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      return InvalidArgumentError(std::string("KsTwoSample: sample ") + name + "[" +
                                  std::to_string(i) + "] is NaN");
    }
  }
  return Status::OK();
}

double ChiSquareSf(double statistic, double dof) {
  if (std::isnan(statistic)) return kNaN;
  if (std::isinf(statistic)) return 0.0;
  boost::math::chi_squared_distribution<double> dist(dof);
  return boost::math::cdf(boost::math::complement(dist, statistic));
}

Status CheckCounts(std::span<const double> v, const char* fn, const char* name) {
  for (size_t i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i]) || v[i] < 0) {
      return InvalidArgumentError(std::string(fn) + ": " + name + "[" + std::to_string(i) + "] = " +
                                  std::to_string(v[i]) + " is not a finite non-negative count");
    }
  }
  return Status::OK();
}

}  // namespace

Result<KsResult> KsTwoSample(std::span<const double> a, std::span<const double> b,
                             KsMethod method) {
  MLPIPE_RETURN_IF_ERROR(CheckSample(a, "a"));
  MLPIPE_RETURN_IF_ERROR(CheckSample(b, "b"));
  std::vector<double> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const size_t n1 = x.size(), n2 = y.size();
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  // ECDF differences at every pooled value (right-continuous), as scipy:
  // cdf1 - cdf2 with each cdf computed as count / n.
  double max_diff = -std::numeric_limits<double>::infinity();
  double min_diff = std::numeric_limits<double>::infinity();
  size_t i = 0, j = 0;
  while (i < n1 || j < n2) {
    const double v = (j >= n2 || (i < n1 && x[i] <= y[j])) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) ++i;
    while (j < n2 && y[j] <= v) ++j;
    const double diff = static_cast<double>(i) / dn1 - static_cast<double>(j) / dn2;
    max_diff = std::max(max_diff, diff);
    min_diff = std::min(min_diff, diff);
  }
  const double min_s = std::clamp(-min_diff, 0.0, 1.0);
  KsResult r;
  r.statistic = min_s > max_diff ? min_s : max_diff;

  const uint64_t g = std::gcd(static_cast<uint64_t>(n1), static_cast<uint64_t>(n2));
  const uint64_t n1g = n1 / g, n2g = n2 / g;
  KsMethod mode = method;
  if (mode == KsMethod::kAuto) {
    mode = std::max(n1, n2) <= kMaxAutoN ? KsMethod::kExact : KsMethod::kAsymp;
  } else if (mode == KsMethod::kExact) {
    if (static_cast<double>(n1g) >=
        static_cast<double>(std::numeric_limits<int32_t>::max()) / static_cast<double>(n2g)) {
      mode = KsMethod::kAsymp;
    }
  }
  if (mode == KsMethod::kExact) {
    const double lcm = static_cast<double>(n1g) * dn2;
    const double h = std::nearbyint(r.statistic * lcm);
    r.statistic = h / lcm;
    double prob;
    if (h == 0) {
      prob = 1.0;
    } else if (n1 == n2) {
      prob = ProbOutsideSquare(static_cast<int64_t>(n1), static_cast<int64_t>(h));
    } else {
      prob = OuterProbInside(static_cast<int64_t>(n1), static_cast<int64_t>(n2),
                             static_cast<int64_t>(g), static_cast<int64_t>(h));
    }
    if (std::isfinite(prob) && prob >= 0 && prob <= 1) {
      r.p_value = prob;
      r.method = KsMethod::kExact;
      return r;
    }
    mode = KsMethod::kAsymp;  // numerically unsuccessful: scipy switches too
  }
  const double m = std::max(dn1, dn2), n = std::min(dn1, dn2);
  const double en = m * n / (m + n);
  r.p_value =
      std::clamp(KolmogorovSf(static_cast<uint64_t>(std::nearbyint(en)), r.statistic), 0.0, 1.0);
  r.method = KsMethod::kAsymp;
  return r;
}

Result<ChiSquareResult> ChiSquareIndependence(std::span<const double> table, size_t rows,
                                              size_t cols) {
  if (rows == 0 || cols == 0) {
    return InvalidArgumentError("ChiSquareIndependence: the table is empty (" +
                                std::to_string(rows) + " x " + std::to_string(cols) + ")");
  }
  if (table.size() != rows * cols) {
    return InvalidArgumentError("ChiSquareIndependence: " + std::to_string(table.size()) +
                                " counts for a " + std::to_string(rows) + " x " +
                                std::to_string(cols) + " table");
  }
  MLPIPE_RETURN_IF_ERROR(CheckCounts(table, "ChiSquareIndependence", "table"));
  std::vector<double> row(rows, 0.0), col(cols, 0.0);
  double n = 0;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      row[r] += table[r * cols + c];
      col[c] += table[r * cols + c];
      n += table[r * cols + c];
    }
  }
  for (size_t r = 0; r < rows; ++r) {
    if (row[r] == 0) {
      return InvalidArgumentError("ChiSquareIndependence: row " + std::to_string(r) +
                                  " sums to 0, so its expected counts are 0");
    }
  }
  for (size_t c = 0; c < cols; ++c) {
    if (col[c] == 0) {
      return InvalidArgumentError("ChiSquareIndependence: column " + std::to_string(c) +
                                  " sums to 0, so its expected counts are 0");
    }
  }
  ChiSquareResult out;
  out.dof = static_cast<double>((rows - 1) * (cols - 1));
  if (out.dof == 0) return out;  // statistic 0, p 1
  double chi2 = 0;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const double e = row[r] * col[c] / n;
      const double d = table[r * cols + c] - e;
      chi2 += d * d / e;
    }
  }
  out.statistic = chi2;
  out.p_value = ChiSquareSf(chi2, out.dof);
  return out;
}

Result<ChiSquareResult> ChiSquareGoodnessOfFit(std::span<const double> observed,
                                               std::span<const double> expected, int ddof) {
  const size_t k = observed.size();
  if (k < 2) {
    return InvalidArgumentError("ChiSquareGoodnessOfFit: need at least 2 categories, got " +
                                std::to_string(k));
  }
  if (!expected.empty() && expected.size() != k) {
    return InvalidArgumentError("ChiSquareGoodnessOfFit: " + std::to_string(k) + " observed but " +
                                std::to_string(expected.size()) + " expected counts");
  }
  MLPIPE_RETURN_IF_ERROR(CheckCounts(observed, "ChiSquareGoodnessOfFit", "observed"));
  MLPIPE_RETURN_IF_ERROR(CheckCounts(expected, "ChiSquareGoodnessOfFit", "expected"));
  const double dof = static_cast<double>(k) - 1 - ddof;
  if (dof < 1) {
    return InvalidArgumentError("ChiSquareGoodnessOfFit: ddof = " + std::to_string(ddof) +
                                " leaves " + std::to_string(dof) + " degrees of freedom");
  }
  double obs_sum = 0;
  for (double o : observed) obs_sum += o;
  std::vector<double> exp_counts(k, obs_sum / static_cast<double>(k));
  if (!expected.empty()) {
    double exp_sum = 0;
    for (size_t i = 0; i < k; ++i) {
      if (expected[i] <= 0) {
        return InvalidArgumentError("ChiSquareGoodnessOfFit: expected[" + std::to_string(i) +
                                    "] is 0");
      }
      exp_counts[i] = expected[i];
      exp_sum += expected[i];
    }
    if (std::abs(obs_sum - exp_sum) / std::min(obs_sum, exp_sum) > 1e-8) {
      return InvalidArgumentError("ChiSquareGoodnessOfFit: observed counts sum to " +
                                  std::to_string(obs_sum) + " but expected counts to " +
                                  std::to_string(exp_sum));
    }
  } else if (obs_sum == 0) {
    return InvalidArgumentError("ChiSquareGoodnessOfFit: observed counts sum to 0");
  }
  double chi2 = 0;
  for (size_t i = 0; i < k; ++i) {
    const double d = observed[i] - exp_counts[i];
    chi2 += d * d / exp_counts[i];
  }
  return ChiSquareResult{chi2, dof, ChiSquareSf(chi2, dof)};
}

Result<ZTestResult> TwoProportionZTest(uint64_t successes1, uint64_t n1, uint64_t successes2,
                                       uint64_t n2) {
  if (n1 == 0 || n2 == 0) {
    return InvalidArgumentError("TwoProportionZTest: a sample size is 0 (n1 = " +
                                std::to_string(n1) + ", n2 = " + std::to_string(n2) + ")");
  }
  if (successes1 > n1 || successes2 > n2) {
    return InvalidArgumentError("TwoProportionZTest: successes exceed the sample size (" +
                                std::to_string(successes1) + "/" + std::to_string(n1) + ", " +
                                std::to_string(successes2) + "/" + std::to_string(n2) + ")");
  }
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2);
  const double p1 = static_cast<double>(successes1) / d1;
  const double p2 = static_cast<double>(successes2) / d2;
  const double pooled = static_cast<double>(successes1 + successes2) / (d1 + d2);
  const double var = pooled * (1 - pooled) * (1 / d1 + 1 / d2);
  if (!(var > 0)) return ZTestResult{kNaN, kNaN};
  ZTestResult r;
  r.statistic = (p1 - p2) / std::sqrt(var);
  boost::math::normal_distribution<double> normal;
  r.p_value = 2 * boost::math::cdf(boost::math::complement(normal, std::abs(r.statistic)));
  return r;
}

}  // namespace mlpipe::stats
