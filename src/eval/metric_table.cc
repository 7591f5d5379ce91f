#include "mlpipe/eval/metric_table.h"

#include <array>
#include <string>

#include "check.h"
#include "mlpipe/core/suggest.h"
#include "mlpipe/eval/classification.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/eval/ranking.h"
#include "mlpipe/eval/regression.h"

namespace mlpipe::eval {
namespace {

constexpr auto kC = MetricKind::kClassification;
constexpr auto kR = MetricKind::kRegression;
constexpr auto kF = MetricKind::kFairness;

// {name, description, kind, higher_is_better, needs_probabilities,
//  supports_weights, function}. The sklearn / fairlearn reference of each
// function is in its header.
constexpr std::array kMetrics = {
    MetricDef{"accuracy", "share of rows predicted correctly", kC, true, false, true, Accuracy},
    MetricDef{"balanced_accuracy", "mean per-class recall", kC, true, false, true,
              BalancedAccuracy},
    MetricDef{"precision", "precision of class 1 (binary) or macro average", kC, true, false, true,
              Precision},
    MetricDef{"recall", "recall of class 1 (binary) or macro average", kC, true, false, true,
              Recall},
    MetricDef{"f1", "F1 of class 1 (binary) or macro average", kC, true, false, true, F1},
    MetricDef{"roc_auc", "area under the ROC curve (one-vs-rest macro for multiclass)", kC, true,
              true, true, RocAuc},
    MetricDef{"average_precision", "PR AUC as sklearn's average precision (binary)", kC, true, true,
              true, AveragePrecision},
    MetricDef{"log_loss", "mean negative log-likelihood of the true class", kC, false, true, true,
              LogLoss},
    MetricDef{"brier", "mean squared error of the class-1 probability (binary)", kC, false, true,
              true, BrierScore},
    MetricDef{"ks", "max distance between score CDFs of positives and negatives (binary)", kC, true,
              true, false, KsStatistic},
    MetricDef{"lift", "positive rate in the top lift_fraction of scores / overall rate (binary)",
              kC, true, true, false, Lift},
    MetricDef{"rmse", "root mean squared error", kR, false, false, true, Rmse},
    MetricDef{"mae", "mean absolute error", kR, false, false, true, Mae},
    MetricDef{"r2", "coefficient of determination", kR, true, false, true, R2},
    MetricDef{"mape", "mean absolute percentage error, as a fraction", kR, false, false, true,
              Mape},
    MetricDef{"median_absolute_error", "median absolute error", kR, false, false, true,
              MedianAbsoluteError},
    MetricDef{"demographic_parity_difference", "max - min selection rate across groups", kF, false,
              false, false, DemographicParityDifference},
    MetricDef{"demographic_parity_ratio", "min / max selection rate across groups", kF, true, false,
              false, DemographicParityRatio},
    MetricDef{"equalized_odds_difference", "max of the TPR and FPR differences across groups", kF,
              false, false, false, EqualizedOddsDifference},
    MetricDef{"equalized_odds_ratio", "min of the TPR and FPR ratios across groups", kF, true,
              false, false, EqualizedOddsRatio},
    MetricDef{"equal_opportunity_difference", "max - min TPR across groups", kF, false, false,
              false, EqualOpportunityDifference},
};

}  // namespace

std::string_view MetricKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kClassification:
      return "classification";
    case MetricKind::kRegression:
      return "regression";
    case MetricKind::kFairness:
      return "fairness";
  }
  return "unknown";
}

std::span<const MetricDef> Metrics() { return kMetrics; }

Result<const MetricDef*> FindMetric(std::string_view name) {
  for (const auto& m : kMetrics) {
    if (m.name == name) return &m;
  }
  std::string valid;
  std::vector<std::string> names;
  for (const auto& m : kMetrics) {
    if (!valid.empty()) valid += ", ";
    valid += m.name;
    names.emplace_back(m.name);
  }
  return InvalidArgumentError("metric: unknown metric '" + std::string(name) + "'" +
                              core::DidYouMean(name, names) + "; valid metrics: " + valid);
}

Result<double> ComputeMetric(const MetricDef& def, const MetricInput& in) {
  if (!def.supports_weights) MLPIPE_RETURN_IF_ERROR(internal::CheckNoWeights(def.name, in));
  return def.fn(in);
}

std::string MetricHelp() {
  size_t width = 0;
  for (const auto& m : kMetrics) width = std::max(width, m.name.size());
  std::string out;
  for (const auto& m : kMetrics) {
    out += std::string(m.name) + std::string(width + 2 - m.name.size(), ' ');
    const auto kind = MetricKindName(m.kind);
    out += std::string(kind) + std::string(16 - kind.size(), ' ');
    out += std::string(m.description) +
           (m.higher_is_better ? " (higher is better)" : " (lower is better)");
    out += "\n";
  }
  return out;
}

}  // namespace mlpipe::eval
