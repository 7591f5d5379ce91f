#include "mlpipe/eval/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>

#include "mlpipe/eval/metric_table.h"
#include "mlpipe/stats/quantile.h"
#include "resample.h"

namespace mlpipe::eval {
namespace {

template <typename T>
bool SameSpan(std::span<const T> x, std::span<const T> y) {
  return std::equal(x.begin(), x.end(), y.begin(), y.end());
}

Status CheckSameTruth(const MetricInput& a, const MetricInput& b) {
  auto differs = [](const char* field) {
    return InvalidArgumentError(std::string("paired_bootstrap: ") + field +
                                ": models A and B must be evaluated on the same rows, but their " +
                                field + " differ");
  };
  if (a.rows() != b.rows()) return differs("rows");
  if (a.num_classes != b.num_classes) return differs("num_classes");
  if (!SameSpan(a.labels, b.labels)) return differs("labels");
  if (!SameSpan(a.y_true, b.y_true)) return differs("y_true");
  if (!SameSpan(a.weights, b.weights)) return differs("weights");
  if (!SameSpan(a.groups, b.groups) || a.num_groups != b.num_groups) return differs("groups");
  return Status::OK();
}

}  // namespace

Result<PairedDifference> PairedBootstrap(const MetricFunction& metric, const MetricInput& a,
                                         const MetricInput& b,
                                         const stats::BootstrapOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  if (!metric) return InvalidArgumentError("paired_bootstrap: metric: empty function");
  MLPIPE_RETURN_IF_ERROR(internal::CheckResamplable("paired_bootstrap: model A", a));
  MLPIPE_RETURN_IF_ERROR(internal::CheckResamplable("paired_bootstrap: model B", b));
  MLPIPE_RETURN_IF_ERROR(CheckSameTruth(a, b));
  PairedDifference out;
  MLPIPE_ASSIGN_OR_RETURN(out.estimate_a, metric(a));
  MLPIPE_ASSIGN_OR_RETURN(out.estimate_b, metric(b));
  out.difference = out.estimate_b - out.estimate_a;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const auto values = internal::RunResamples(
      a.rows(), options, [&](std::span<const uint32_t> rows, internal::Scratch& scratch) {
        auto va = metric(scratch.a.Take(a, rows));
        auto vb = metric(scratch.b.Take(b, rows));
        if (!va.ok() || !vb.ok() || !std::isfinite(*va) || !std::isfinite(*vb)) return kNaN;
        return *vb - *va;
      });
  std::vector<double> used;
  size_t at_most_zero = 0, at_least_zero = 0;
  for (double d : values) {
    if (std::isnan(d)) continue;
    used.push_back(d);
    at_most_zero += d <= 0 ? 1 : 0;
    at_least_zero += d >= 0 ? 1 : 0;
  }
  out.resamples_used = static_cast<int>(used.size());
  out.resamples_skipped = options.resamples - out.resamples_used;
  if (used.empty()) {
    return InvalidArgumentError("paired_bootstrap: a metric is undefined on every one of the " +
                                std::to_string(options.resamples) + " resamples");
  }
  const double alpha = (1 - options.confidence) / 2;
  const double qs[2] = {alpha, 1 - alpha};
  const auto bounds = stats::Quantiles(used, qs);
  out.low = bounds[0];
  out.high = bounds[1];
  const double tail = static_cast<double>(std::min(at_most_zero, at_least_zero) + 1) /
                      static_cast<double>(used.size() + 1);
  out.p_value = std::min(1.0, 2 * tail);
  return out;
}

Result<PairedDifference> PairedBootstrap(std::string_view metric_name, const MetricInput& a,
                                         const MetricInput& b,
                                         const stats::BootstrapOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(const MetricDef* def, FindMetric(metric_name));
  return PairedBootstrap([def](const MetricInput& x) { return ComputeMetric(*def, x); }, a, b,
                         options);
}

Result<McNemarResult> McNemar(std::span<const int32_t> labels, std::span<const int32_t> predicted_a,
                              std::span<const int32_t> predicted_b) {
  if (labels.empty()) return InvalidArgumentError("mcnemar: labels: empty input");
  if (predicted_a.size() != labels.size()) {
    return InvalidArgumentError("mcnemar: predicted_a: length " +
                                std::to_string(predicted_a.size()) + " differs from labels' " +
                                std::to_string(labels.size()));
  }
  if (predicted_b.size() != labels.size()) {
    return InvalidArgumentError("mcnemar: predicted_b: length " +
                                std::to_string(predicted_b.size()) + " differs from labels' " +
                                std::to_string(labels.size()));
  }
  McNemarResult r;
  for (size_t i = 0; i < labels.size(); ++i) {
    const bool ca = predicted_a[i] == labels[i], cb = predicted_b[i] == labels[i];
    r.a_only_correct += ca && !cb ? 1 : 0;
    r.b_only_correct += !ca && cb ? 1 : 0;
  }
  const int64_t discordant = r.a_only_correct + r.b_only_correct;
  r.exact_recommended = discordant < 25;
  if (discordant == 0) return r;  // statistics 0, p-values 1 (statsmodels divides by 0)
  const auto n = static_cast<double>(discordant);
  r.exact_statistic = static_cast<double>(std::min(r.a_only_correct, r.b_only_correct));
  const boost::math::binomial_distribution<double> binom(n, 0.5);
  r.exact_p_value = std::min(1.0, 2 * boost::math::cdf(binom, r.exact_statistic));
  const double d = static_cast<double>(std::llabs(r.a_only_correct - r.b_only_correct)) - 1;
  r.chi2_statistic = d * d / n;
  const boost::math::chi_squared_distribution<double> chi2(1);
  r.chi2_p_value = boost::math::cdf(boost::math::complement(chi2, r.chi2_statistic));
  return r;
}

}  // namespace mlpipe::eval
