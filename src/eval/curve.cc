#include "curve.h"

#include <algorithm>
#include <numeric>

namespace mlpipe::eval::internal {

std::vector<uint32_t> OrderByScoreDescending(std::span<const double> scores) {
  std::vector<uint32_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return scores[a] > scores[b]; });
  return order;
}

std::vector<CurvePoint> BinaryCurve(std::span<const double> scores,
                                    std::span<const uint8_t> positive,
                                    std::span<const double> weights) {
  const std::vector<uint32_t> order = OrderByScoreDescending(scores);
  std::vector<CurvePoint> curve;
  double tps = 0, fps = 0;
  for (size_t j = 0; j < order.size(); ++j) {
    const uint32_t i = order[j];
    const double w = weights.empty() ? 1.0 : weights[i];
    if (positive[i] != 0) {
      tps += w;
    } else {
      fps += w;
    }
    // A point closes where the next score differs (or at the end).
    if (j + 1 == order.size() || scores[order[j + 1]] != scores[i]) {
      curve.push_back({scores[i], tps, fps});
    }
  }
  return curve;
}

}  // namespace mlpipe::eval::internal
