#include "mlpipe/eval/threshold.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "curve.h"

namespace mlpipe::eval {

Result<ThresholdChoice> ChooseThreshold(const MetricInput& in, const ThresholdOptions& options) {
  constexpr std::string_view kName = "threshold";
  MLPIPE_RETURN_IF_ERROR(internal::CheckBinary(kName, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores(kName, in, /*probabilities=*/false));
  MLPIPE_RETURN_IF_ERROR(internal::CheckNoWeights(kName, in));
  if (options.objective == ThresholdObjective::kMinCost) {
    for (auto [name, cost] :
         {std::pair{"cost_fp", options.cost_fp}, std::pair{"cost_fn", options.cost_fn}}) {
      if (!std::isfinite(cost) || cost < 0) {
        return internal::Invalid(kName, std::string(name) + ": must be finite and >= 0");
      }
    }
  }
  std::vector<uint8_t> positive(in.labels.size());
  for (size_t i = 0; i < in.labels.size(); ++i) positive[i] = in.labels[i] == 1 ? 1 : 0;
  const auto curve = internal::BinaryCurve(in.probabilities, positive, {});
  const double p = curve.back().tps, n = curve.back().fps;
  if (options.objective != ThresholdObjective::kMinCost && (p == 0 || n == 0)) {
    return internal::Invalid(kName, std::string("labels: only one class present (") +
                                        (p > 0 ? "1" : "0") +
                                        "); F1 and Youden's J need both classes");
  }
  const double rows = p + n;
  auto objective = [&](double tp, double fp) {
    const double fn = p - tp;
    switch (options.objective) {
      case ThresholdObjective::kMaxF1:
        return 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0.0;
      case ThresholdObjective::kYoudenJ:
        return tp / p - fp / n;
      case ThresholdObjective::kMinCost:
        return (options.cost_fp * fp + options.cost_fn * fn) / rows;
    }
    return 0.0;
  };
  const bool minimise = options.objective == ThresholdObjective::kMinCost;
  ThresholdChoice best;
  bool have = false;
  if (minimise) {  // +infinity: nothing predicted positive
    best.threshold = std::numeric_limits<double>::infinity();
    best.value = objective(0, 0);
    have = true;
  }
  double best_tp = 0, best_fp = 0;
  // Thresholds descending: only a strictly better value replaces the best,
  // so ties keep the highest threshold.
  for (const auto& pt : curve) {
    const double v = objective(pt.tps, pt.fps);
    if (!have || (minimise ? v < best.value : v > best.value)) {
      best.threshold = pt.threshold;
      best.value = v;
      best_tp = pt.tps;
      best_fp = pt.fps;
      have = true;
    }
  }
  best.tp = static_cast<size_t>(best_tp);
  best.fp = static_cast<size_t>(best_fp);
  best.fn = static_cast<size_t>(p - best_tp);
  best.tn = static_cast<size_t>(n - best_fp);
  return best;
}

}  // namespace mlpipe::eval
