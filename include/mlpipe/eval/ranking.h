// Ranking metrics: how well a score orders positives above negatives.
//
// Binary metrics read `labels` (0/1) and `probabilities` as scores: any
// finite real number. Undefined cases are errors, not NaN: a metric that
// needs both classes returns InvalidArgument ("labels: only one class
// present ...") when one is missing, as sklearn raises for roc_auc_score.
// The bootstrap (confidence.h) skips and counts resamples where this happens.
#pragma once

#include <cstddef>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

// Area under the ROC curve, by the trapezoidal rule over the (weighted) ROC
// curve with tied scores grouped. Binary: sklearn.metrics.roc_auc_score(
// labels, scores, sample_weight=weights). Multiclass: one-vs-rest, unweighted
// mean over classes (roc_auc_score(multi_class='ovr', average='macro',
// labels=range(k))); each row of probabilities must sum to 1 (numpy allclose)
// and every class must occur in `labels`. Checked to 1e-9 relative.
Result<double> RocAuc(const MetricInput& in);

// Average precision (area under the precision-recall curve as a step sum):
// sum_i (R_i - R_{i-1}) P_i over the distinct score thresholds, descending.
// Binary only; needs at least one positive.
// sklearn.metrics.average_precision_score(labels, scores, sample_weight=weights).
// Checked to 1e-9 relative.
Result<double> AveragePrecision(const MetricInput& in);

// Kolmogorov–Smirnov statistic: max_t |F_pos(t) - F_neg(t)| between the
// empirical score CDFs of positives and negatives. Binary only, unweighted;
// needs both classes. scipy.stats.ks_2samp(pos, neg).statistic (exact).
Result<double> KsStatistic(const MetricInput& in);

// Lift of the top `in.lift_fraction` of rows: the positive rate among the
// top round(f n) rows (at least 1; rows sorted by score descending, ties kept
// in row order) divided by the overall positive rate. Binary only,
// unweighted; needs a positive. Checked against pandas/numpy in the fixture
// script (no sklearn equivalent).
Result<double> Lift(const MetricInput& in);

// One row of a cumulative gains / lift table.
struct LiftBin {
  size_t count = 0;            // rows in the bin
  size_t positives = 0;        // positives in the bin
  double min_score = 0;        // lowest score in the bin (NaN when empty)
  double max_score = 0;        // highest score in the bin (NaN when empty)
  double lift = 0;             // bin positive rate / overall rate (NaN when empty)
  double cumulative_gain = 0;  // share of all positives in bins 0..this
  double cumulative_lift = 0;  // positive rate of bins 0..this / overall rate
};

// Gains/lift table: rows sorted by score descending (ties in row order) and
// cut into `bins` bins, bin d holding rows [floor(d n / bins),
// floor((d + 1) n / bins)); bins = 10 gives deciles. Binary, unweighted;
// needs a positive. Errors: bins < 1.
Result<std::vector<LiftBin>> LiftTable(const MetricInput& in, int bins = 10);

}  // namespace mlpipe::eval
