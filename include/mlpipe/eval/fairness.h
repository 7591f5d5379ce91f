// Group fairness of binary predictions, by Fairlearn's definitions
// (fairlearn.metrics: MetricFrame over the groups present in the data,
// selection_rate, true_positive_rate, false_positive_rate,
// demographic_parity_difference/ratio, equalized_odds_difference/ratio with
// method='between_groups'). fairlearn is not a dependency: the fixture script
// computes the same quantities with pandas groupby and
// sklearn.metrics.confusion_matrix(normalize='true'), and the tests check
// them to 1e-12.
//
// A protected column reaches evaluation as group codes plus group names,
// whether or not it was a model feature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval {

// The four-fifths rule: a group whose selection rate is below this share of
// the most favoured group's is flagged (EEOC Uniform Guidelines, 29 CFR 1607.4(D)).
inline constexpr double kFourFifths = 0.8;

struct ProtectedColumn {
  std::string name;                      // e.g. "sex"
  std::span<const int32_t> codes;        // one per row, in [0, group_names.size())
  std::vector<std::string> group_names;  // name of each code
};

struct GroupRates {
  int32_t code = 0;
  std::string name;
  size_t count = 0;           // rows in the group
  double selection_rate = 0;  // share predicted positive
  // TP / (TP + FN); 0 when the group has no positives (fairlearn: sklearn's
  // confusion_matrix(normalize='true') turns 0/0 into 0).
  double tpr = 0;
  double fpr = 0;  // FP / (FP + TN); 0 when the group has no negatives
  double accuracy = 0;
  double disparate_impact = 0;    // selection_rate / max selection rate (NaN if that is 0)
  bool four_fifths_flag = false;  // disparate_impact < kFourFifths
};

struct FairnessReport {
  std::string column;
  std::vector<GroupRates> groups;            // the groups present, by ascending code
  double demographic_parity_difference = 0;  // max - min selection rate
  double demographic_parity_ratio = 0;       // min / max selection rate (NaN: 0/0)
  double equalized_odds_difference = 0;      // max(TPR difference, FPR difference)
  double equalized_odds_ratio = 0;           // min(TPR ratio, FPR ratio) (NaN: 0/0)
  double equal_opportunity_difference = 0;   // max - min TPR
};

// Binary `labels` and `predicted` (codes 0/1) per group of `column`. With one
// group present the differences are 0 and the ratios 1 (as fairlearn).
// Errors: InvalidArgument for empty input, mismatched lengths, a class code
// other than 0/1, or a group code outside [0, group_names.size()).
Result<FairnessReport> EvaluateFairness(std::span<const int32_t> labels,
                                        std::span<const int32_t> predicted,
                                        const ProtectedColumn& column);

// The scalar fairness metrics of the metric table, on MetricInput::labels,
// predicted, groups and num_groups. An undefined ratio (0/0) is an
// InvalidArgument error here, so that the bootstrap skips it.
Result<double> DemographicParityDifference(const MetricInput& in);
Result<double> DemographicParityRatio(const MetricInput& in);
Result<double> EqualizedOddsDifference(const MetricInput& in);
Result<double> EqualizedOddsRatio(const MetricInput& in);
Result<double> EqualOpportunityDifference(const MetricInput& in);

}  // namespace mlpipe::eval
