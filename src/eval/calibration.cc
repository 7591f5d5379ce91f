#include "mlpipe/eval/calibration.h"

#include <algorithm>
#include <string>
#include <vector>

#include "check.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::eval {

Result<CalibrationCurve> ComputeCalibrationCurve(const MetricInput& in, int n_bins,
                                                 CalibrationStrategy strategy) {
  constexpr std::string_view kName = "calibration_curve";
  MLPIPE_RETURN_IF_ERROR(internal::CheckBinary(kName, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores(kName, in, /*probabilities=*/true));
  MLPIPE_RETURN_IF_ERROR(internal::CheckNoWeights(kName, in));
  if (n_bins < 1) {
    return internal::Invalid(kName, "n_bins: must be >= 1, got " + std::to_string(n_bins));
  }
  const auto b = static_cast<size_t>(n_bins);
  // numpy.linspace(0, 1, b + 1): i * (1 / b), the last exactly 1.
  std::vector<double> grid(b + 1);
  const double step = 1.0 / static_cast<double>(b);
  for (size_t i = 0; i <= b; ++i) grid[i] = i == b ? 1.0 : static_cast<double>(i) * step;
  std::vector<double> edges;
  if (strategy == CalibrationStrategy::kUniform) {
    edges = grid;
  } else {
    // np.percentile(p, grid * 100) divides by 100 again; mirror the rounding.
    std::vector<double> qs(b + 1);
    for (size_t i = 0; i <= b; ++i) qs[i] = (grid[i] * 100) / 100;
    edges = stats::Quantiles(in.probabilities, qs);
  }
  // binids = searchsorted(edges[1:-1], p, side='left').
  std::vector<double> sums(b, 0.0), trues(b, 0.0);
  std::vector<size_t> totals(b, 0);
  const auto inner_begin = edges.begin() + 1, inner_end = edges.end() - 1;
  for (size_t i = 0; i < in.labels.size(); ++i) {
    const double p = in.probabilities[i];
    const auto bin = static_cast<size_t>(std::lower_bound(inner_begin, inner_end, p) - inner_begin);
    sums[bin] += p;
    trues[bin] += in.labels[i] == 1 ? 1.0 : 0.0;
    ++totals[bin];
  }
  CalibrationCurve curve;
  for (size_t k = 0; k < b; ++k) {
    if (totals[k] == 0) continue;
    const auto t = static_cast<double>(totals[k]);
    curve.prob_true.push_back(trues[k] / t);
    curve.prob_pred.push_back(sums[k] / t);
    curve.counts.push_back(totals[k]);
  }
  return curve;
}

}  // namespace mlpipe::eval
