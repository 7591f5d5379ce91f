// Choosing the decision threshold of a binary score.
#pragma once

#include <cstddef>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

enum class ThresholdObjective {
  kMaxF1,    // maximise F1 of the positive class
  kYoudenJ,  // maximise Youden's J = TPR - FPR
  kMinCost,  // minimise expected cost (cost_fp FP + cost_fn FN) / n
};

struct ThresholdOptions {
  ThresholdObjective objective = ThresholdObjective::kMaxF1;
  double cost_fp = 1;  // cost of one false positive (kMinCost), >= 0
  double cost_fn = 1;  // cost of one false negative (kMinCost), >= 0
};

struct ThresholdChoice {
  // Predict positive when score >= threshold. +infinity means "never
  // positive" (only kMinCost can choose it).
  double threshold = 0;
  double value = 0;  // the objective at the threshold (F1, J or cost per row)
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
};

// Searches every distinct score as a threshold (plus +infinity for kMinCost)
// and returns the best; among equally good thresholds, the highest. The best
// F1 equals max F1 over sklearn.metrics.precision_recall_curve and the best J
// max(tpr - fpr) over roc_curve(drop_intermediate=False); the fixture script
// checks both. Binary, unweighted; kMaxF1 and kYoudenJ need both classes.
// Errors: InvalidArgument for bad input or a negative / non-finite cost.
Result<ThresholdChoice> ChooseThreshold(const MetricInput& in, const ThresholdOptions& options);

}  // namespace mlpipe::eval
