// Reliability (calibration) curve of binary probabilities.
#pragma once

#include <cstddef>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

enum class CalibrationStrategy {
  kUniform,   // bin edges linspace(0, 1, n_bins + 1)
  kQuantile,  // bin edges at the quantiles of the probabilities (numpy linear)
};

struct CalibrationCurve {
  std::vector<double> prob_true;  // fraction of positives in each non-empty bin
  std::vector<double> prob_pred;  // mean predicted probability in each non-empty bin
  std::vector<size_t> counts;     // rows in each non-empty bin
};

// sklearn.calibration.calibration_curve(labels, probabilities, n_bins,
// strategy): a probability equal to an inner edge falls in the lower bin
// (numpy searchsorted, side 'left'); empty bins are left out. Binary only,
// unweighted; probabilities in [0, 1]. Errors: n_bins < 1, and the input
// errors of classification.h. Checked to 1e-12 relative.
Result<CalibrationCurve> ComputeCalibrationCurve(
    const MetricInput& in, int n_bins = 10,
    CalibrationStrategy strategy = CalibrationStrategy::kUniform);

}  // namespace mlpipe::eval
