// Correlations and associations between two columns. Inputs hold only rows
// where both values are present; codes are dictionary codes in [0, k).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::stats {

// Pearson's r (scipy.stats.pearsonr). NaN when either side is constant or n < 2.
double Pearson(std::span<const double> x, std::span<const double> y);
// Spearman's rho with average ranks for ties (scipy.stats.spearmanr).
double Spearman(std::span<const double> x, std::span<const double> y);
// Average ranks, 1-based, ties share their mean rank (scipy.stats.rankdata).
std::vector<double> Rank(std::span<const double> x);

// Cramér's V from the contingency table of two codings, without bias
// correction (scipy.stats.contingency.association(method="cramer")).
double CramersV(std::span<const int32_t> a, int32_t ka, std::span<const int32_t> b, int32_t kb);
// Correlation ratio eta of numeric `values` grouped by `codes`:
// sqrt(between-group sum of squares / total sum of squares).
double CorrelationRatio(std::span<const double> values, std::span<const int32_t> codes, int32_t k);
// Mutual information in nats between two codings (sklearn.metrics.mutual_info_score).
double MutualInformation(std::span<const int32_t> a, int32_t ka, std::span<const int32_t> b,
                         int32_t kb);

}  // namespace mlpipe::stats
