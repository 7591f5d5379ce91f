// The one table of scalar metrics: `--metric NAME` lookups, help listings,
// bootstrap confidence intervals and the loop-over-all tests read it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

enum class MetricKind { kClassification, kRegression, kFairness };

// "classification", "regression", "fairness".
std::string_view MetricKindName(MetricKind kind);

using MetricFn = Result<double> (*)(const MetricInput&);

struct MetricDef {
  std::string_view name;         // stable identifier, e.g. "roc_auc"
  std::string_view description;  // one line for help listings
  MetricKind kind;
  bool higher_is_better;
  bool needs_probabilities;  // reads `probabilities` rather than `predicted` / y_pred
  bool supports_weights;     // honours MetricInput::weights (else weights are an error)
  MetricFn fn;
};

// Every metric, in listing order. The entries live for the whole program.
std::span<const MetricDef> Metrics();

// The entry named `name`. Errors: InvalidArgument ("metric: unknown metric
// 'x'; valid metrics: accuracy, ...") listing every valid name.
Result<const MetricDef*> FindMetric(std::string_view name);

// Runs `def` on `in`, first rejecting weights when !def.supports_weights.
Result<double> ComputeMetric(const MetricDef& def, const MetricInput& in);

// "name  kind  description" lines, one per metric, for --help.
std::string MetricHelp();

}  // namespace mlpipe::eval
