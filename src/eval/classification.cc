#include "mlpipe/eval/classification.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string_view>
#include <vector>

#include "check.h"

namespace mlpipe::eval {
namespace {

using internal::WeightOf;

Result<ConfusionMatrix> Confusion(std::string_view metric, const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckPredicted(metric, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckWeights(metric, in, in.labels.size()));
  ConfusionMatrix cm;
  cm.num_classes = in.num_classes;
  const auto k = static_cast<size_t>(in.num_classes);
  cm.counts.assign(k * k, 0.0);
  for (size_t i = 0; i < in.labels.size(); ++i) {
    cm.counts[static_cast<size_t>(in.labels[i]) * k + static_cast<size_t>(in.predicted[i])] +=
        WeightOf(in, i);
  }
  return cm;
}

enum class Which { kPrecision, kRecall, kF1 };

double Score(double tp, double fp, double fn, Which which) {
  const double precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;  // zero_division=0
  const double recall = tp + fn > 0 ? tp / (tp + fn) : 0.0;
  switch (which) {
    case Which::kPrecision:
      return precision;
    case Which::kRecall:
      return recall;
    case Which::kF1:
      // sklearn computes F from P and R; 0 when both are 0.
      return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  }
  return 0;
}

Result<double> PrecisionRecallF(std::string_view metric, const MetricInput& in, Which which) {
  MLPIPE_ASSIGN_OR_RETURN(ConfusionMatrix cm, Confusion(metric, in));
  const int k = cm.num_classes;
  auto class_score = [&](int c) {
    double fp = 0, fn = 0;
    for (int o = 0; o < k; ++o) {
      if (o == c) continue;
      fp += cm.at(o, c);
      fn += cm.at(c, o);
    }
    return Score(cm.at(c, c), fp, fn, which);
  };
  if (k == 2) return class_score(1);
  // Macro average over unique_labels(y_true, y_pred): presence, not weight.
  std::vector<bool> present(static_cast<size_t>(k), false);
  for (size_t i = 0; i < in.labels.size(); ++i) {
    present[static_cast<size_t>(in.labels[i])] = true;
    present[static_cast<size_t>(in.predicted[i])] = true;
  }
  double sum = 0;
  int classes = 0;
  for (int c = 0; c < k; ++c) {
    if (!present[static_cast<size_t>(c)]) continue;
    sum += class_score(c);
    ++classes;
  }
  return sum / classes;
}

}  // namespace

Result<ConfusionMatrix> ComputeConfusionMatrix(const MetricInput& in) {
  return Confusion("confusion_matrix", in);
}

Result<double> Accuracy(const MetricInput& in) {
  MLPIPE_ASSIGN_OR_RETURN(ConfusionMatrix cm, Confusion("accuracy", in));
  double right = 0, total = 0;
  for (int t = 0; t < cm.num_classes; ++t) {
    for (int p = 0; p < cm.num_classes; ++p) {
      total += cm.at(t, p);
      if (t == p) right += cm.at(t, p);
    }
  }
  return right / total;
}

Result<double> BalancedAccuracy(const MetricInput& in) {
  MLPIPE_ASSIGN_OR_RETURN(ConfusionMatrix cm, Confusion("balanced_accuracy", in));
  double sum = 0;
  int classes = 0;
  for (int t = 0; t < cm.num_classes; ++t) {
    double support = 0;
    for (int p = 0; p < cm.num_classes; ++p) support += cm.at(t, p);
    if (support == 0) continue;  // sklearn: NaN per-class recall, dropped by nanmean
    sum += cm.at(t, t) / support;
    ++classes;
  }
  return sum / classes;  // classes >= 1: the weights sum to > 0
}

Result<double> Precision(const MetricInput& in) {
  return PrecisionRecallF("precision", in, Which::kPrecision);
}
Result<double> Recall(const MetricInput& in) {
  return PrecisionRecallF("recall", in, Which::kRecall);
}
Result<double> F1(const MetricInput& in) { return PrecisionRecallF("f1", in, Which::kF1); }

Result<double> LogLoss(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores("log_loss", in, /*probabilities=*/true));
  MLPIPE_RETURN_IF_ERROR(internal::CheckWeights("log_loss", in, in.labels.size()));
  static constexpr double kEps = DBL_EPSILON;  // sklearn 1.2: np.finfo(float64).eps
  auto clip = [](double p) { return std::clamp(p, kEps, 1 - kEps); };
  const auto k = static_cast<size_t>(in.num_classes);
  double loss = 0, total = 0;
  for (size_t i = 0; i < in.labels.size(); ++i) {
    const auto y = static_cast<size_t>(in.labels[i]);
    double p_true, row_sum;
    if (k == 2) {
      // sklearn clips the 1-d probability, then builds the row [1 - p, p].
      const double p = clip(in.probabilities[i]);
      row_sum = (1 - p) + p;
      p_true = y == 1 ? p : 1 - p;
    } else {
      row_sum = 0;
      for (size_t c = 0; c < k; ++c) row_sum += clip(in.probabilities[i * k + c]);
      p_true = clip(in.probabilities[i * k + y]);
    }
    const double w = WeightOf(in, i);
    loss += -std::log(p_true / row_sum) * w;
    total += w;
  }
  return loss / total;
}

Result<double> BrierScore(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckBinary("brier", in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores("brier", in, /*probabilities=*/true));
  MLPIPE_RETURN_IF_ERROR(internal::CheckWeights("brier", in, in.labels.size()));
  double sum = 0, total = 0;
  for (size_t i = 0; i < in.labels.size(); ++i) {
    const double d = in.labels[i] - in.probabilities[i];
    const double w = WeightOf(in, i);
    sum += d * d * w;
    total += w;
  }
  return sum / total;
}

}  // namespace mlpipe::eval
