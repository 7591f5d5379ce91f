// MetricInput: the plain-vector view every evaluation function reads.
//
// Models and pipelines built later call evaluation with whatever they hold as
// spans; nothing here owns data. A MetricInput must not outlive the vectors
// its spans point into. Which fields a function reads is stated in its
// contract; fields it does not read may be left empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace mlpipe::eval {

struct MetricInput {
  // Classification truth: class codes in [0, num_classes). For binary
  // problems class 1 is the positive class.
  std::span<const int32_t> labels;
  // Predicted class codes, one per row, in [0, num_classes).
  std::span<const int32_t> predicted;
  // Predicted probabilities or scores; see num_classes for the layout.
  std::span<const double> probabilities;
  // Number of classes (>= 2). Binary: `probabilities` holds one value per
  // row, the score or probability of class 1. Multiclass: n * num_classes
  // values, row-major (row i is probabilities[i*k .. i*k + k)).
  // Ranking metrics (ROC AUC, PR AUC, KS, lift, thresholds) accept any finite
  // binary score; metrics that need probabilities check [0, 1].
  int num_classes = 2;

  // Regression truth and predictions.
  std::span<const double> y_true;
  std::span<const double> y_pred;

  // Optional non-negative sample weights, one per row (empty: all 1). Only
  // metrics whose table entry says supports_weights read them; the others
  // return InvalidArgument when weights are given.
  std::span<const double> weights;

  // Protected-group codes in [0, num_groups), one per row, for the fairness
  // metrics (binary classification only).
  std::span<const int32_t> groups;
  size_t num_groups = 0;

  // The top fraction of rows (by score) for the "lift" metric, in (0, 1].
  double lift_fraction = 0.1;

  // The number of rows: labels.size() when labels are given, else y_true.size().
  size_t rows() const { return labels.empty() ? y_true.size() : labels.size(); }
};

}  // namespace mlpipe::eval
