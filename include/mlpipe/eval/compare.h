// Comparing two models evaluated on the same rows.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/confidence.h"
#include "mlpipe/eval/metric_input.h"
#include "mlpipe/stats/bootstrap.h"

namespace mlpipe::eval {

struct PairedDifference {
  double estimate_a = 0;  // metric of model A on the original rows
  double estimate_b = 0;  // metric of model B
  double difference = 0;  // estimate_b - estimate_a
  double low = 0;         // percentile CI of the resampled differences
  double high = 0;
  // Two-sided bootstrap p-value of "no difference":
  //   p = min(1, 2 min(1 + #{d* <= 0}, 1 + #{d* >= 0}) / (B + 1))
  // over the B used resamples' differences d*, i.e. about the smallest
  // two-sided level at which the percentile interval excludes 0, with the
  // +1 correction (Davison & Hinkley 1997, eq. 4.11) so that p is never 0.
  double p_value = 1;
  int resamples_used = 0;
  int resamples_skipped = 0;  // resamples where either metric was undefined
};

// Paired bootstrap of metric(B) - metric(A): every resample takes the same
// rows from both inputs (seeded as BootstrapMetric). `a` and `b` must hold
// the same truth (labels / y_true, weights, groups) and differ in
// predictions. Errors: InvalidArgument when the truths differ in length or
// content; the metric's error on the original rows; invalid options; every
// resample skipped.
Result<PairedDifference> PairedBootstrap(const MetricFunction& metric, const MetricInput& a,
                                         const MetricInput& b,
                                         const stats::BootstrapOptions& options = {});
Result<PairedDifference> PairedBootstrap(std::string_view metric_name, const MetricInput& a,
                                         const MetricInput& b,
                                         const stats::BootstrapOptions& options = {});

struct McNemarResult {
  int64_t a_only_correct = 0;  // n01: rows A got right and B got wrong
  int64_t b_only_correct = 0;  // n10: rows B got right and A got wrong
  // Exact test: statistic min(n01, n10), p = min(1, 2 Binom(n01 + n10, 1/2).cdf(statistic)).
  double exact_statistic = 0;
  double exact_p_value = 1;
  // Chi-square with continuity correction: (|n01 - n10| - 1)^2 / (n01 + n10),
  // p = chi2(1).sf(statistic).
  double chi2_statistic = 0;
  double chi2_p_value = 1;
  // true when n01 + n10 < 25, where the exact p-value is the one to report.
  bool exact_recommended = true;
};

// McNemar's test of equal accuracy of two classifiers on the same rows, as
// statsmodels.stats.contingency_tables.mcnemar(table, exact=True) and
// (exact=False, correction=True); both are always computed. With no
// discordant rows (n01 + n10 = 0) both p-values are 1 and both statistics 0
// (statsmodels divides by zero there). Checked to 1e-12 against scipy.
// Errors: InvalidArgument for empty input or mismatched lengths.
Result<McNemarResult> McNemar(std::span<const int32_t> labels, std::span<const int32_t> predicted_a,
                              std::span<const int32_t> predicted_b);

}  // namespace mlpipe::eval
