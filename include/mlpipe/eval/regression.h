// Regression metrics on y_true and y_pred (MetricInput), with optional sample
// weights as sklearn's sample_weight. Errors (InvalidArgument naming the
// argument): empty input, mismatched lengths, a non-finite value, a negative
// or non-finite weight, weights summing to 0. Each matches the named
// scikit-learn 1.2 function, checked to 1e-9 relative on real predictions.
#pragma once

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

// sqrt of the weighted mean squared error.
// sklearn.metrics.mean_squared_error(squared=False).
Result<double> Rmse(const MetricInput& in);

// Weighted mean absolute error. sklearn.metrics.mean_absolute_error.
Result<double> Mae(const MetricInput& in);

// Coefficient of determination 1 - SS_res / SS_tot (weighted, about the
// weighted mean). As sklearn.metrics.r2_score(force_finite=True): when y_true
// is constant the result is 1 for a perfect prediction and 0 otherwise.
// Errors: fewer than 2 rows (sklearn returns NaN with a warning).
Result<double> R2(const MetricInput& in);

// Weighted mean of |y_true - y_pred| / max(|y_true|, DBL_EPSILON): a
// fraction, not a percentage. sklearn.metrics.mean_absolute_percentage_error.
Result<double> Mape(const MetricInput& in);

// Median of |y_true - y_pred| (numpy.median: mean of the two middle values
// for even n). With weights: sklearn's _weighted_percentile(50), the smallest
// error whose cumulative weight reaches half the total.
// sklearn.metrics.median_absolute_error.
Result<double> MedianAbsoluteError(const MetricInput& in);

}  // namespace mlpipe::eval
