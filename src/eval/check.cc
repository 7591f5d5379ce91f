#include "check.h"

#include <cmath>
#include <string>

namespace mlpipe::eval::internal {

Status Invalid(std::string_view metric, std::string_view what) {
  return InvalidArgumentError(std::string(metric) + ": " + std::string(what));
}

Status CheckLabels(std::string_view metric, const MetricInput& in) {
  if (in.num_classes < 2) {
    return Invalid(metric, "num_classes: must be >= 2, got " + std::to_string(in.num_classes));
  }
  if (in.labels.empty()) return Invalid(metric, "labels: empty input");
  for (size_t i = 0; i < in.labels.size(); ++i) {
    if (in.labels[i] < 0 || in.labels[i] >= in.num_classes) {
      return Invalid(metric, "labels[" + std::to_string(i) + "]: class code " +
                                 std::to_string(in.labels[i]) + " outside [0, " +
                                 std::to_string(in.num_classes) + ")");
    }
  }
  return Status::OK();
}

Status CheckPredicted(std::string_view metric, const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(CheckLabels(metric, in));
  if (in.predicted.size() != in.labels.size()) {
    return Invalid(metric, "predicted: length " + std::to_string(in.predicted.size()) +
                               " differs from labels' " + std::to_string(in.labels.size()));
  }
  for (size_t i = 0; i < in.predicted.size(); ++i) {
    if (in.predicted[i] < 0 || in.predicted[i] >= in.num_classes) {
      return Invalid(metric, "predicted[" + std::to_string(i) + "]: class code " +
                                 std::to_string(in.predicted[i]) + " outside [0, " +
                                 std::to_string(in.num_classes) + ")");
    }
  }
  return Status::OK();
}

Status CheckScores(std::string_view metric, const MetricInput& in, bool probabilities) {
  MLPIPE_RETURN_IF_ERROR(CheckLabels(metric, in));
  const size_t n = in.labels.size();
  const size_t per_row = in.num_classes == 2 ? 1 : static_cast<size_t>(in.num_classes);
  if (in.probabilities.size() != n * per_row) {
    return Invalid(metric, "probabilities: expected " + std::to_string(n * per_row) + " values (" +
                               std::to_string(n) + " rows x " + std::to_string(per_row) +
                               "), got " + std::to_string(in.probabilities.size()));
  }
  for (size_t i = 0; i < in.probabilities.size(); ++i) {
    const double p = in.probabilities[i];
    if (!std::isfinite(p)) {
      return Invalid(metric, "probabilities[" + std::to_string(i) + "]: not finite");
    }
    if (probabilities && (p < 0 || p > 1)) {
      return Invalid(metric, "probabilities[" + std::to_string(i) + "]: " + std::to_string(p) +
                                 " outside [0, 1]");
    }
  }
  return Status::OK();
}

Status CheckBinary(std::string_view metric, const MetricInput& in) {
  if (in.num_classes != 2) {
    return Invalid(metric, "num_classes: needs binary labels, got " +
                               std::to_string(in.num_classes) + " classes");
  }
  return Status::OK();
}

Status CheckWeights(std::string_view metric, const MetricInput& in, size_t n) {
  if (in.weights.empty()) return Status::OK();
  if (in.weights.size() != n) {
    return Invalid(metric, "weights: length " + std::to_string(in.weights.size()) +
                               " differs from the " + std::to_string(n) + " rows");
  }
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double w = in.weights[i];
    if (!std::isfinite(w) || w < 0) {
      return Invalid(metric, "weights[" + std::to_string(i) + "]: must be finite and >= 0");
    }
    sum += w;
  }
  if (!(sum > 0)) return Invalid(metric, "weights: sum to 0");
  return Status::OK();
}

Status CheckNoWeights(std::string_view metric, const MetricInput& in) {
  if (!in.weights.empty()) return Invalid(metric, "weights: sample weights are not supported");
  return Status::OK();
}

Status CheckRegression(std::string_view metric, const MetricInput& in) {
  if (in.y_true.empty()) return Invalid(metric, "y_true: empty input");
  if (in.y_pred.size() != in.y_true.size()) {
    return Invalid(metric, "y_pred: length " + std::to_string(in.y_pred.size()) +
                               " differs from y_true's " + std::to_string(in.y_true.size()));
  }
  for (size_t i = 0; i < in.y_true.size(); ++i) {
    if (!std::isfinite(in.y_true[i])) {
      return Invalid(metric, "y_true[" + std::to_string(i) + "]: not finite");
    }
    if (!std::isfinite(in.y_pred[i])) {
      return Invalid(metric, "y_pred[" + std::to_string(i) + "]: not finite");
    }
  }
  return CheckWeights(metric, in, in.y_true.size());
}

}  // namespace mlpipe::eval::internal
