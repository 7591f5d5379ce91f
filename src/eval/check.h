// Input validation shared by the metric functions. Every check returns
// InvalidArgument whose message starts with the metric name and names the
// argument at fault, e.g. "roc_auc: labels: only one class present (0)".
#pragma once

#include <cstddef>
#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval::internal {

// labels non-empty, num_classes >= 2, every code in [0, num_classes).
Status CheckLabels(std::string_view metric, const MetricInput& in);
// CheckLabels, and predicted of the same length with codes in range.
Status CheckPredicted(std::string_view metric, const MetricInput& in);
// CheckLabels, and probabilities of n (binary) or n * num_classes values,
// finite, and in [0, 1] when `probabilities` is true (else any finite score).
Status CheckScores(std::string_view metric, const MetricInput& in, bool probabilities);
// num_classes == 2.
Status CheckBinary(std::string_view metric, const MetricInput& in);
// weights empty, or one per row, finite, >= 0, with a positive sum.
Status CheckWeights(std::string_view metric, const MetricInput& in, size_t n);
// weights empty.
Status CheckNoWeights(std::string_view metric, const MetricInput& in);
// y_true and y_pred non-empty, of equal length, finite; weights valid.
Status CheckRegression(std::string_view metric, const MetricInput& in);

// Weight of row i (1 when unweighted).
inline double WeightOf(const MetricInput& in, size_t i) {
  return in.weights.empty() ? 1.0 : in.weights[i];
}

Status Invalid(std::string_view metric, std::string_view what);

}  // namespace mlpipe::eval::internal
