#include "mlpipe/eval/confidence.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "mlpipe/eval/metric_table.h"
#include "mlpipe/stats/quantile.h"
#include "resample.h"

namespace mlpipe::eval {

Result<MetricCi> BootstrapMetric(const MetricFunction& metric, const MetricInput& in,
                                 const stats::BootstrapOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  if (!metric) return InvalidArgumentError("bootstrap: metric: empty function");
  MLPIPE_RETURN_IF_ERROR(internal::CheckResamplable("bootstrap", in));
  MetricCi ci;
  ci.confidence = options.confidence;
  MLPIPE_ASSIGN_OR_RETURN(ci.estimate, metric(in));
  const auto values = internal::RunResamples(
      in.rows(), options, [&](std::span<const uint32_t> rows, internal::Scratch& scratch) {
        auto v = metric(scratch.a.Take(in, rows));
        return v.ok() && std::isfinite(*v) ? *v : std::numeric_limits<double>::quiet_NaN();
      });
  std::vector<double> used;
  used.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) used.push_back(v);
  }
  ci.resamples_used = static_cast<int>(used.size());
  ci.resamples_skipped = options.resamples - ci.resamples_used;
  if (used.empty()) {
    return InvalidArgumentError("bootstrap: the metric is undefined on every one of the " +
                                std::to_string(options.resamples) + " resamples");
  }
  const double alpha = (1 - options.confidence) / 2;
  const double qs[2] = {alpha, 1 - alpha};
  const auto bounds = stats::Quantiles(used, qs);
  ci.low = bounds[0];
  ci.high = bounds[1];
  return ci;
}

Result<MetricCi> BootstrapMetric(std::string_view metric_name, const MetricInput& in,
                                 const stats::BootstrapOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(const MetricDef* def, FindMetric(metric_name));
  return BootstrapMetric([def](const MetricInput& x) { return ComputeMetric(*def, x); }, in,
                         options);
}

}  // namespace mlpipe::eval
