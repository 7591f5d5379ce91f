// Classification metrics on predicted labels and probabilities.
//
// Every function validates its input and returns InvalidArgument naming the
// argument at fault ("labels", "predicted", "probabilities", "weights"):
// empty input, mismatched lengths, a class code outside [0, num_classes),
// num_classes < 2, a probability outside [0, 1] or not finite, a negative or
// non-finite weight, or weights summing to 0. Weights (MetricInput::weights)
// are honoured as sklearn's sample_weight. Each matches the named
// scikit-learn 1.2 function; src/eval/classification_test.cc checks them on
// real model predictions (src/eval/testdata) to 1e-9 relative.
#pragma once

#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

// Weighted fraction of rows with predicted == labels.
// sklearn.metrics.accuracy_score(labels, predicted, sample_weight=weights).
Result<double> Accuracy(const MetricInput& in);

// Mean over classes of per-class recall, over the classes with non-zero
// (weighted) support in `labels`; classes that only occur in `predicted` are
// ignored. sklearn.metrics.balanced_accuracy_score(adjusted=False).
Result<double> BalancedAccuracy(const MetricInput& in);

// Binary (num_classes == 2): of the positive class 1 (sklearn's
// average='binary', pos_label=1). Multiclass: the unweighted mean over the
// classes that occur in `labels` or `predicted` (sklearn's average='macro',
// whose labels are unique_labels(y_true, y_pred)). A zero denominator gives 0
// (zero_division=0). F1 = 2 P R / (P + R), 0 when P + R = 0.
// sklearn.metrics.precision_score / recall_score / f1_score.
Result<double> Precision(const MetricInput& in);
Result<double> Recall(const MetricInput& in);
Result<double> F1(const MetricInput& in);

// Mean negative log-likelihood of the true class. Probabilities are clipped
// to [eps, 1 - eps] with eps = DBL_EPSILON and each row divided by its sum,
// as sklearn.metrics.log_loss(labels, probabilities, labels=range(k),
// sample_weight=weights) does. Defined even when `labels` holds one class
// (sklearn too, once the label set is given).
Result<double> LogLoss(const MetricInput& in);

// Binary only: weighted mean of (label - p)^2.
// sklearn.metrics.brier_score_loss(labels, probabilities, sample_weight=weights).
Result<double> BrierScore(const MetricInput& in);

// Weighted confusion matrix: counts[t * num_classes + p] is the total weight
// of rows with true class t predicted as p (a count when unweighted).
// sklearn.metrics.confusion_matrix(labels, predicted, labels=range(k)).
struct ConfusionMatrix {
  int num_classes = 0;
  std::vector<double> counts;
  double at(int truth, int pred) const {
    return counts[static_cast<size_t>(truth) * num_classes + pred];
  }
};
Result<ConfusionMatrix> ComputeConfusionMatrix(const MetricInput& in);

}  // namespace mlpipe::eval
