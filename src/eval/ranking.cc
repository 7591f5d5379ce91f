#include "mlpipe/eval/ranking.h"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"
#include "curve.h"

namespace mlpipe::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<uint8_t> PositiveMask(std::span<const int32_t> labels, int32_t positive_class) {
  std::vector<uint8_t> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) out[i] = labels[i] == positive_class ? 1 : 0;
  return out;
}

// Validates a binary ranking input; weights allowed only when `weighted`.
Status CheckBinaryScores(std::string_view metric, const MetricInput& in, bool weighted) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckLabels(metric, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckBinary(metric, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores(metric, in, /*probabilities=*/false));
  if (!weighted) return internal::CheckNoWeights(metric, in);
  return internal::CheckWeights(metric, in, in.labels.size());
}

Status OneClass(std::string_view metric, bool has_positive) {
  return internal::Invalid(metric, std::string("labels: only one class present (") +
                                       (has_positive ? "1" : "0") +
                                       "); the metric needs both classes");
}

// Binary ROC AUC of `scores` against `positive`; error when a class is absent.
Result<double> BinaryAuc(std::string_view metric, std::span<const double> scores,
                         std::span<const uint8_t> positive, std::span<const double> weights) {
  const auto curve = internal::BinaryCurve(scores, positive, weights);
  const double p = curve.back().tps, n = curve.back().fps;
  if (p <= 0 || n <= 0) return OneClass(metric, p > 0);
  // np.trapz over (fpr, tpr) starting at (0, 0).
  double area = 0, x0 = 0, y0 = 0;
  for (const auto& pt : curve) {
    const double x = pt.fps / n, y = pt.tps / p;
    area += (x - x0) * (y + y0) / 2;
    x0 = x;
    y0 = y;
  }
  return area;
}

}  // namespace

Result<double> RocAuc(const MetricInput& in) {
  constexpr std::string_view kName = "roc_auc";
  if (in.num_classes == 2) {
    MLPIPE_RETURN_IF_ERROR(CheckBinaryScores(kName, in, /*weighted=*/true));
    return BinaryAuc(kName, in.probabilities, PositiveMask(in.labels, 1), in.weights);
  }
  MLPIPE_RETURN_IF_ERROR(internal::CheckScores(kName, in, /*probabilities=*/true));
  MLPIPE_RETURN_IF_ERROR(internal::CheckWeights(kName, in, in.labels.size()));
  const size_t n = in.labels.size();
  const auto k = static_cast<size_t>(in.num_classes);
  for (size_t i = 0; i < n; ++i) {
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += in.probabilities[i * k + c];
    if (!(std::abs(sum - 1) <= 1e-8 + 1e-5 * std::abs(sum))) {  // numpy allclose
      return internal::Invalid(kName, "probabilities: row " + std::to_string(i) + " sums to " +
                                          std::to_string(sum) +
                                          ", not 1 (one-vs-rest AUC needs probabilities)");
    }
  }
  std::vector<double> column(n);
  double sum = 0;
  for (size_t c = 0; c < k; ++c) {
    for (size_t i = 0; i < n; ++i) column[i] = in.probabilities[i * k + c];
    const auto positive = PositiveMask(in.labels, static_cast<int32_t>(c));
    auto auc = BinaryAuc(kName, column, positive, in.weights);
    if (!auc.ok()) {
      return internal::Invalid(kName, "labels: class " + std::to_string(c) +
                                          " has no rows (or all rows are class " +
                                          std::to_string(c) + "); one-vs-rest AUC needs each");
    }
    sum += *auc;
  }
  return sum / static_cast<double>(k);
}

Result<double> AveragePrecision(const MetricInput& in) {
  constexpr std::string_view kName = "average_precision";
  MLPIPE_RETURN_IF_ERROR(CheckBinaryScores(kName, in, /*weighted=*/true));
  const auto curve =
      internal::BinaryCurve(in.probabilities, PositiveMask(in.labels, 1), in.weights);
  const double p = curve.back().tps;
  if (p <= 0) return internal::Invalid(kName, "labels: no positive rows (class 1)");
  double ap = 0, prev_recall = 0;
  for (const auto& pt : curve) {
    const double recall = pt.tps / p;
    const double precision = pt.tps + pt.fps > 0 ? pt.tps / (pt.tps + pt.fps) : 0.0;
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
  }
  return ap;
}

Result<double> KsStatistic(const MetricInput& in) {
  constexpr std::string_view kName = "ks";
  MLPIPE_RETURN_IF_ERROR(CheckBinaryScores(kName, in, /*weighted=*/false));
  const auto curve = internal::BinaryCurve(in.probabilities, PositiveMask(in.labels, 1), {});
  const double p = curve.back().tps, n = curve.back().fps;
  if (p <= 0 || n <= 0) return OneClass(kName, p > 0);
  double d = 0;
  for (const auto& pt : curve) d = std::max(d, std::abs(pt.tps / p - pt.fps / n));
  return d;
}

Result<double> Lift(const MetricInput& in) {
  constexpr std::string_view kName = "lift";
  MLPIPE_RETURN_IF_ERROR(CheckBinaryScores(kName, in, /*weighted=*/false));
  if (!(in.lift_fraction > 0 && in.lift_fraction <= 1)) {
    return internal::Invalid(
        kName, "lift_fraction: must be in (0, 1], got " + std::to_string(in.lift_fraction));
  }
  const size_t n = in.labels.size();
  size_t positives = 0;
  for (int32_t y : in.labels) positives += y == 1 ? 1 : 0;
  if (positives == 0) return internal::Invalid(kName, "labels: no positive rows (class 1)");
  const auto order = internal::OrderByScoreDescending(in.probabilities);
  const auto top = std::max<size_t>(
      1, static_cast<size_t>(std::floor(in.lift_fraction * static_cast<double>(n) + 0.5)));
  size_t top_positives = 0;
  for (size_t j = 0; j < top; ++j) top_positives += in.labels[order[j]] == 1 ? 1 : 0;
  return (static_cast<double>(top_positives) / static_cast<double>(top)) /
         (static_cast<double>(positives) / static_cast<double>(n));
}

Result<std::vector<LiftBin>> LiftTable(const MetricInput& in, int bins) {
  constexpr std::string_view kName = "lift_table";
  MLPIPE_RETURN_IF_ERROR(CheckBinaryScores(kName, in, /*weighted=*/false));
  if (bins < 1) return internal::Invalid(kName, "bins: must be >= 1, got " + std::to_string(bins));
  const size_t n = in.labels.size();
  size_t positives = 0;
  for (int32_t y : in.labels) positives += y == 1 ? 1 : 0;
  if (positives == 0) return internal::Invalid(kName, "labels: no positive rows (class 1)");
  const double rate = static_cast<double>(positives) / static_cast<double>(n);
  const auto order = internal::OrderByScoreDescending(in.probabilities);
  const auto b = static_cast<size_t>(bins);
  std::vector<LiftBin> table(b);
  size_t cum_pos = 0, cum_n = 0;
  for (size_t d = 0; d < b; ++d) {
    LiftBin& bin = table[d];
    const size_t lo = d * n / b, hi = (d + 1) * n / b;
    bin.count = hi - lo;
    bin.min_score = bin.max_score = kNaN;
    for (size_t j = lo; j < hi; ++j) {
      const uint32_t i = order[j];
      bin.positives += in.labels[i] == 1 ? 1 : 0;
      // Sorted descending: the first row is the highest, the last the lowest.
      if (j == lo) bin.max_score = in.probabilities[i];
      bin.min_score = in.probabilities[i];
    }
    cum_pos += bin.positives;
    cum_n += bin.count;
    bin.lift = bin.count > 0
                   ? (static_cast<double>(bin.positives) / static_cast<double>(bin.count)) / rate
                   : kNaN;
    bin.cumulative_gain = static_cast<double>(cum_pos) / static_cast<double>(positives);
    bin.cumulative_lift =
        cum_n > 0 ? (static_cast<double>(cum_pos) / static_cast<double>(cum_n)) / rate : kNaN;
  }
  return table;
}

}  // namespace mlpipe::eval
