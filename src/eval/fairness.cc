#include "mlpipe/eval/fairness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "check.h"

namespace mlpipe::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Counts {
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
  size_t rows() const { return tp + fp + tn + fn; }
};

Status CheckInput(std::string_view metric, std::span<const int32_t> labels,
                  std::span<const int32_t> predicted, std::span<const int32_t> codes,
                  size_t num_groups) {
  MetricInput in;
  in.labels = labels;
  in.predicted = predicted;
  in.num_classes = 2;
  MLPIPE_RETURN_IF_ERROR(internal::CheckPredicted(metric, in));
  if (codes.size() != labels.size()) {
    return internal::Invalid(metric, "groups: length " + std::to_string(codes.size()) +
                                         " differs from labels' " + std::to_string(labels.size()));
  }
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] < 0 || static_cast<size_t>(codes[i]) >= num_groups) {
      return internal::Invalid(metric, "groups[" + std::to_string(i) + "]: group code " +
                                           std::to_string(codes[i]) + " outside [0, " +
                                           std::to_string(num_groups) + ")");
    }
  }
  return Status::OK();
}

std::vector<Counts> CountByGroup(std::span<const int32_t> labels,
                                 std::span<const int32_t> predicted, std::span<const int32_t> codes,
                                 size_t num_groups) {
  std::vector<Counts> counts(num_groups);
  for (size_t i = 0; i < labels.size(); ++i) {
    Counts& c = counts[static_cast<size_t>(codes[i])];
    const bool y = labels[i] == 1, p = predicted[i] == 1;
    if (y && p) ++c.tp;
    if (!y && p) ++c.fp;
    if (!y && !p) ++c.tn;
    if (y && !p) ++c.fn;
  }
  return counts;
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

GroupRates RatesOf(const Counts& c) {
  GroupRates g;
  g.count = c.rows();
  const auto n = static_cast<double>(g.count);
  g.selection_rate = static_cast<double>(c.tp + c.fp) / n;
  g.tpr = Ratio(static_cast<double>(c.tp), static_cast<double>(c.tp + c.fn));
  g.fpr = Ratio(static_cast<double>(c.fp), static_cast<double>(c.fp + c.tn));
  g.accuracy = static_cast<double>(c.tp + c.tn) / n;
  return g;
}

struct Spread {
  double min = 0, max = 0;
  double difference() const { return max - min; }
  double ratio() const { return max > 0 ? min / max : (min == 0 ? kNaN : 0.0); }
};

template <typename F>
Spread SpreadOf(const std::vector<GroupRates>& groups, F f) {
  Spread s{f(groups[0]), f(groups[0])};
  for (const auto& g : groups) {
    s.min = std::min(s.min, f(g));
    s.max = std::max(s.max, f(g));
  }
  return s;
}

void Summarise(FairnessReport& r) {
  const auto sel = SpreadOf(r.groups, [](const GroupRates& g) { return g.selection_rate; });
  const auto tpr = SpreadOf(r.groups, [](const GroupRates& g) { return g.tpr; });
  const auto fpr = SpreadOf(r.groups, [](const GroupRates& g) { return g.fpr; });
  r.demographic_parity_difference = sel.difference();
  r.demographic_parity_ratio = sel.ratio();
  r.equalized_odds_difference = std::max(tpr.difference(), fpr.difference());
  // min() of pandas/numpy propagates NaN; so does this.
  const double tr = tpr.ratio(), fr = fpr.ratio();
  r.equalized_odds_ratio = std::isnan(tr) || std::isnan(fr) ? kNaN : std::min(tr, fr);
  r.equal_opportunity_difference = tpr.difference();
  for (auto& g : r.groups) {
    g.disparate_impact = sel.max > 0 ? g.selection_rate / sel.max : kNaN;
    g.four_fifths_flag = g.disparate_impact < kFourFifths;  // false for NaN
  }
}

Result<FairnessReport> Report(std::string_view metric, std::span<const int32_t> labels,
                              std::span<const int32_t> predicted, std::span<const int32_t> codes,
                              size_t num_groups) {
  MLPIPE_RETURN_IF_ERROR(CheckInput(metric, labels, predicted, codes, num_groups));
  const auto counts = CountByGroup(labels, predicted, codes, num_groups);
  FairnessReport r;
  for (size_t k = 0; k < num_groups; ++k) {
    if (counts[k].rows() == 0) continue;  // MetricFrame sees only groups present
    GroupRates g = RatesOf(counts[k]);
    g.code = static_cast<int32_t>(k);
    r.groups.push_back(std::move(g));
  }
  Summarise(r);
  return r;
}

using Pick = double (*)(const FairnessReport&);

Result<double> Scalar(std::string_view metric, const MetricInput& in, Pick pick) {
  MLPIPE_RETURN_IF_ERROR(internal::CheckBinary(metric, in));
  MLPIPE_RETURN_IF_ERROR(internal::CheckNoWeights(metric, in));
  MLPIPE_ASSIGN_OR_RETURN(FairnessReport r,
                          Report(metric, in.labels, in.predicted, in.groups, in.num_groups));
  const double v = pick(r);
  if (std::isnan(v)) {
    return internal::Invalid(metric, "predicted: ratio undefined (0 / 0): the largest rate is 0");
  }
  return v;
}

}  // namespace

Result<FairnessReport> EvaluateFairness(std::span<const int32_t> labels,
                                        std::span<const int32_t> predicted,
                                        const ProtectedColumn& column) {
  MLPIPE_ASSIGN_OR_RETURN(FairnessReport r,
                          Report("fairness[" + column.name + "]", labels, predicted, column.codes,
                                 column.group_names.size()));
  r.column = column.name;
  for (auto& g : r.groups) g.name = column.group_names[static_cast<size_t>(g.code)];
  return r;
}

Result<double> DemographicParityDifference(const MetricInput& in) {
  return Scalar("demographic_parity_difference", in,
                [](const FairnessReport& r) { return r.demographic_parity_difference; });
}
Result<double> DemographicParityRatio(const MetricInput& in) {
  return Scalar("demographic_parity_ratio", in,
                [](const FairnessReport& r) { return r.demographic_parity_ratio; });
}
Result<double> EqualizedOddsDifference(const MetricInput& in) {
  return Scalar("equalized_odds_difference", in,
                [](const FairnessReport& r) { return r.equalized_odds_difference; });
}
Result<double> EqualizedOddsRatio(const MetricInput& in) {
  return Scalar("equalized_odds_ratio", in,
                [](const FairnessReport& r) { return r.equalized_odds_ratio; });
}
Result<double> EqualOpportunityDifference(const MetricInput& in) {
  return Scalar("equal_opportunity_difference", in,
                [](const FairnessReport& r) { return r.equal_opportunity_difference; });
}

}  // namespace mlpipe::eval
