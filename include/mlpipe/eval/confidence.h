// Bootstrap confidence intervals for any metric.
#pragma once

#include <functional>
#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"
#include "mlpipe/stats/bootstrap.h"

namespace mlpipe::eval {

// A metric on one (resampled) input. Called concurrently from several threads
// when BootstrapOptions::pool is set: it must not mutate shared state.
using MetricFunction = std::function<Result<double>(const MetricInput&)>;

struct MetricCi {
  double estimate = 0;        // the metric on the original rows
  double low = 0;             // (1 - confidence) / 2 quantile of the resampled values
  double high = 0;            // (1 + confidence) / 2 quantile
  double confidence = 0;      // the level used
  int resamples_used = 0;     // resamples where the metric was defined
  int resamples_skipped = 0;  // resamples where it returned an error or a non-finite value
};

// Percentile bootstrap over rows. Resample r draws n row indices with
// replacement from core::Rng(Rng::Derive(seed, r)) — the scheme of
// stats::BootstrapPercentileCi — and takes every per-row field of `in`
// (labels, predicted, probabilities rows, y_true, y_pred, weights, groups)
// at those rows. The result depends only on the seed, never on the pool or
// its thread count.
//
// Undefined resamples: when the metric returns an error on a resample (one
// class only for ROC AUC, no positives for average precision, ...) or a
// non-finite value, that resample is skipped and counted in
// resamples_skipped; the quantiles (numpy's linear method) are taken over
// the others. Skipping conditions the interval on the metric being defined,
// which biases it when skips are frequent: check resamples_skipped.
// Errors: the metric's own error on the original rows; invalid options;
// InvalidArgument when every resample was skipped.
Result<MetricCi> BootstrapMetric(const MetricFunction& metric, const MetricInput& in,
                                 const stats::BootstrapOptions& options = {});

// The same for a metric of the table (metric_table.h); InvalidArgument for an
// unknown name, listing the valid ones.
Result<MetricCi> BootstrapMetric(std::string_view metric_name, const MetricInput& in,
                                 const stats::BootstrapOptions& options = {});

}  // namespace mlpipe::eval
