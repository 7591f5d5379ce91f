// ModelCard helpers shared by the Markdown and HTML renderings.
#include <fmt/format.h>

#include "mlpipe/governance/model_card.h"
#include "mlpipe/stats/format.h"
#include "model_card_text.h"

namespace mlpipe::governance {

namespace internal {

std::string MetricText(const CardMetric& m) {
  return stats::FormatEstimate(m.value, m.ci_low, m.ci_high);
}

std::string CiLabel(const CardMetric& m) {
  if (!m.ci_low || !m.ci_high) return "";
  return fmt::format("{:g}% CI", m.confidence * 100);
}

}  // namespace internal

CardFairness FairnessFromReport(const eval::FairnessReport& report) {
  CardFairness f;
  f.column = report.column;
  for (const auto& g : report.groups) {
    f.groups.push_back({g.name, static_cast<int64_t>(g.count), g.selection_rate, g.tpr, g.fpr,
                        g.four_fifths_flag});
  }
  f.metrics = {
      {"demographic_parity_difference", report.demographic_parity_difference, {}, {}, 0.95, ""},
      {"demographic_parity_ratio", report.demographic_parity_ratio, {}, {}, 0.95, ""},
      {"equalized_odds_difference", report.equalized_odds_difference, {}, {}, 0.95, ""},
      {"equalized_odds_ratio", report.equalized_odds_ratio, {}, {}, 0.95, ""},
      {"equal_opportunity_difference", report.equal_opportunity_difference, {}, {}, 0.95, ""},
  };
  return f;
}

}  // namespace mlpipe::governance
