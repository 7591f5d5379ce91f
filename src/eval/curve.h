// The cumulative counts behind ROC and precision-recall curves
// (sklearn.metrics._ranking._binary_clf_curve).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::eval::internal {

struct CurvePoint {
  double threshold = 0;  // a distinct score
  double tps = 0;        // weight of positives with score >= threshold
  double fps = 0;        // weight of negatives with score >= threshold
};

// One point per distinct score, thresholds descending. `positive[i]` is 1 for
// a positive row; `weights` is empty (all 1) or one per row.
std::vector<CurvePoint> BinaryCurve(std::span<const double> scores,
                                    std::span<const uint8_t> positive,
                                    std::span<const double> weights);

// Row indices sorted by score descending, ties in row order.
std::vector<uint32_t> OrderByScoreDescending(std::span<const double> scores);

}  // namespace mlpipe::eval::internal
