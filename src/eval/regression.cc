#include "mlpipe/eval/regression.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <vector>

#include "check.h"

namespace mlpipe::eval {
namespace {

using internal::WeightOf;

// Weighted mean of f(i) over the rows.
template <typename F>
double WeightedMean(const MetricInput& in, F f) {
  double sum = 0, total = 0;
  for (size_t i = 0; i < in.y_true.size(); ++i) {
    const double w = WeightOf(in, i);
    sum += f(i) * w;
    total += w;
  }
  return sum / total;
}

}  // namespace

Result<double> Rmse(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckRegression("rmse", in));
  return std::sqrt(WeightedMean(in, [&](size_t i) {
    const double d = in.y_true[i] - in.y_pred[i];
    return d * d;
  }));
}

Result<double> Mae(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckRegression("mae", in));
  return WeightedMean(in, [&](size_t i) { return std::abs(in.y_true[i] - in.y_pred[i]); });
}

Result<double> R2(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckRegression("r2", in));
  if (in.y_true.size() < 2) {
    return internal::Invalid("r2", "y_true: R^2 needs at least 2 rows");
  }
  const double mean = WeightedMean(in, [&](size_t i) { return in.y_true[i]; });
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < in.y_true.size(); ++i) {
    const double w = WeightOf(in, i);
    const double r = in.y_true[i] - in.y_pred[i], t = in.y_true[i] - mean;
    ss_res += w * r * r;
    ss_tot += w * t * t;
  }
  if (ss_tot == 0) return ss_res == 0 ? 1.0 : 0.0;  // force_finite=True
  return 1 - ss_res / ss_tot;
}

Result<double> Mape(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckRegression("mape", in));
  return WeightedMean(in, [&](size_t i) {
    return std::abs(in.y_pred[i] - in.y_true[i]) / std::max(std::abs(in.y_true[i]), DBL_EPSILON);
  });
}

Result<double> MedianAbsoluteError(const MetricInput& in) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckRegression("median_absolute_error", in));
  const size_t n = in.y_true.size();
  std::vector<double> err(n);
  for (size_t i = 0; i < n; ++i) err[i] = std::abs(in.y_pred[i] - in.y_true[i]);
  if (in.weights.empty()) {
    const size_t mid = n / 2;
    std::nth_element(err.begin(), err.begin() + static_cast<std::ptrdiff_t>(mid), err.end());
    const double upper = err[mid];
    if (n % 2 == 1) return upper;
    const double lower =
        *std::max_element(err.begin(), err.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2;
  }
  // sklearn.utils.stats._weighted_percentile(err, w, 50): sort, cumulative
  // weights, first index whose cumulative weight reaches half the total.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return err[a] < err[b]; });
  std::vector<double> cdf(n);
  double cum = 0;
  for (size_t j = 0; j < n; ++j) {
    cum += in.weights[order[j]];
    cdf[j] = cum;
  }
  double target = 0.5 * cdf.back();
  const auto idx = std::min<size_t>(
      static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), target) - cdf.begin()), n - 1);
  return err[order[idx]];
}

}  // namespace mlpipe::eval
