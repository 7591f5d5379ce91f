// Hypothesis tests used by monitoring (drift) and evaluation (model
// comparison). Each matches a named scipy/statsmodels function; the tests in
// src/stats/hypothesis_test.cc check them against values scipy computed
// (src/stats/testdata/hypothesis.json) at 1e-9 relative unless noted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "mlpipe/core/status.h"

namespace mlpipe::stats {

// How the two-sample Kolmogorov–Smirnov p-value is computed (scipy's `method`).
enum class KsMethod {
  kAuto,   // kExact when max(n1, n2) <= 10000, else kAsymp (scipy 'auto')
  kExact,  // exact distribution of D under H0 (Hodges / Viehmann lattice-path
           // recursion); falls back to kAsymp when lcm(n1, n2) is too large or
           // the computation fails numerically, as scipy does
  kAsymp,  // scipy.stats.kstwo.sf(D, round(n1 n2 / (n1 + n2))): the exact
           // one-sample KS distribution with the effective sample size
           // (Simard & L'Ecuyer's algorithm choice, ported from scipy's
           // _ksstats.kolmogn and cephes smirnov)
};

struct KsResult {
  double statistic = 0;                // D = max |F1(t) - F2(t)| over the pooled sample
  double p_value = 1;                  // two-sided
  KsMethod method = KsMethod::kAsymp;  // the method actually used (never kAuto)
};

// Two-sided two-sample Kolmogorov–Smirnov test; scipy.stats.ks_2samp(a, b,
// alternative='two-sided', method=...). The inputs need not be sorted.
// Errors: InvalidArgument when either sample is empty or holds a NaN.
// With kExact the statistic is rounded to the lattice h / lcm(n1, n2) as
// scipy does.
Result<KsResult> KsTwoSample(std::span<const double> a, std::span<const double> b,
                             KsMethod method = KsMethod::kAuto);

// Survival function of the two-sided one-sample KS statistic D_n:
// P(D_n > d); scipy.stats.kstwo.sf(d, n). NaN when n == 0.
double KolmogorovSf(uint64_t n, double d);

struct ChiSquareResult {
  double statistic = 0;
  double dof = 0;      // degrees of freedom
  double p_value = 1;  // chi2(dof).sf(statistic)
};

// Pearson's chi-square test of independence on an r x c contingency table
// given as `rows * cols` non-negative counts, row-major. Expected counts are
// row_sum * col_sum / n; no continuity correction. dof = (r - 1)(c - 1); when
// dof == 0 the result is statistic 0, p 1 (as scipy).
// scipy.stats.chi2_contingency(table, correction=False).
// Errors: InvalidArgument for a size mismatch, an empty table, a negative or
// non-finite count, or a zero expected count (a row or column summing to 0;
// scipy raises the same).
Result<ChiSquareResult> ChiSquareIndependence(std::span<const double> table, size_t rows,
                                              size_t cols);

// Pearson's chi-square goodness of fit of `observed` counts to `expected`
// counts (empty: uniform, the mean of `observed`); statistic
// sum (o - e)^2 / e, dof = k - 1 - ddof. scipy.stats.chisquare(observed,
// expected, ddof).
// Errors: InvalidArgument for fewer than 2 categories, mismatched lengths,
// negative or non-finite values, expected <= 0, dof < 1, or sums of observed
// and expected that differ by more than 1e-8 relative (scipy raises the same).
Result<ChiSquareResult> ChiSquareGoodnessOfFit(std::span<const double> observed,
                                               std::span<const double> expected = {}, int ddof = 0);

struct ZTestResult {
  double statistic = 0;  // z
  double p_value = 1;    // two-sided, 2 * Phi(-|z|)
};

// Two-proportion z-test of p1 = p2 with the pooled variance:
// p = (x1 + x2) / (n1 + n2), z = (x1/n1 - x2/n2) / sqrt(p (1 - p) (1/n1 + 1/n2)).
// statsmodels.stats.proportion.proportions_ztest([x1, x2], [n1, n2]).
// z and p are NaN when p is 0 or 1 (zero variance; statsmodels gives NaN too).
// Errors: InvalidArgument when n1 or n2 is 0 or a count exceeds its n.
Result<ZTestResult> TwoProportionZTest(uint64_t successes1, uint64_t n1, uint64_t successes2,
                                       uint64_t n2);

}  // namespace mlpipe::stats
