// Proxy detection: features strongly associated with a protected attribute
// stand in for it even when the attribute itself is not a feature (on
// credit-g, personal_status encodes sex). For each (feature, protected)
// pair, every applicable method of ProxyOptions::methods is measured:
//
//   categorical x categorical  Cramér's V (no bias correction)
//   numeric x categorical      correlation ratio eta
//   numeric x numeric          |Pearson r| or |Spearman rho|
//   any pair                   normalised mutual information
//
// Categorical means categorical, string or bool columns; numeric means int64
// and float64. Only rows where both values are present are used.
// Normalised mutual information is sklearn's normalized_mutual_info_score
// (arithmetic mean of the two entropies) on codes, a numeric column being
// coded by equal-frequency bins: when it has at most `bins` distinct present
// values, each value is its own code; otherwise the edges are the
// quantiles k/bins, k = 1..bins-1 (numpy's linear method), deduplicated, and
// the code of x is the number of edges <= x. A constant side gives 0.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::governance {

enum class ProxyMethod {
  kCramersV,
  kCorrelationRatio,
  kPearson,
  kSpearman,
  kMutualInformation,
};

// "cramers_v", "correlation_ratio", "pearson", "spearman", "mutual_information".
std::string_view ProxyMethodName(ProxyMethod method);
// Parses a name above; the error lists the valid ones.
Result<ProxyMethod> ParseProxyMethod(std::string_view name);

struct ProxyOptions {
  // A finding whose value is above this (strictly) is flagged. All methods
  // give values in [0, 1].
  double threshold = 0.5;
  // The methods to measure, each where it applies to the pair's types.
  std::vector<ProxyMethod> methods = {ProxyMethod::kCramersV, ProxyMethod::kCorrelationRatio,
                                      ProxyMethod::kPearson, ProxyMethod::kMutualInformation};
  // Equal-frequency bins of a numeric column for mutual information (>= 2).
  int bins = 10;
  // Measure on a seeded random sample of this many rows (0: all rows).
  size_t sample_rows = 0;
  uint64_t seed = 0;

  // InvalidArgument naming the field at fault.
  Status Validate() const;
};

struct ProxyFinding {
  std::string feature;
  std::string protected_column;
  ProxyMethod method = ProxyMethod::kCramersV;
  double value = 0;  // in [0, 1]; 0 when undefined (a constant side, no rows)
  size_t rows = 0;   // rows where both values are present
  bool flagged = false;
};

// Every finding, sorted by value descending (ties: feature, protected
// column, method). A feature that is itself protected is skipped.
// Errors: NotFound for an unknown column; InvalidArgument for bad options.
Result<std::vector<ProxyFinding>> FindProxies(const table::Table& table,
                                              const std::vector<std::string>& feature_columns,
                                              const std::vector<std::string>& protected_columns,
                                              const ProxyOptions& options = {});

// The flagged findings as a FailedPrecondition ("feature 'personal_status' is
// a proxy for protected column 'sex' (cramers_v = 1.000)", one per
// line), or OK. For a policy that refuses proxies.
Status RefuseProxies(const std::vector<ProxyFinding>& findings);

}  // namespace mlpipe::governance
