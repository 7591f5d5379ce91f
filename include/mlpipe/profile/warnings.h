// Data-quality warnings of a profile: one explicit table of rules, each with a
// name, a severity, a description and a check over a finished TableProfile.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::profile {

enum class WarningSeverity { kInfo, kWarning, kError };
// "info", "warning", "error".
std::string_view WarningSeverityName(WarningSeverity severity);

struct Warning {
  std::string rule;  // WarningRule::name
  WarningSeverity severity = WarningSeverity::kInfo;
  std::string column;   // the column at fault; "" for whole-table warnings
  std::string message;  // one line, e.g. "credit_amount: 8.3% missing"
};

// The thresholds of the rules; defaults are the documented ones (docs/profile.md).
struct WarningThresholds {
  double missing_share = 0.05;          // missing_values above this share, some_missing below
  size_t high_cardinality = 50;         // text columns with more distinct values than this...
  double high_cardinality_share = 0.5;  // ...that are more than this share of the count
  uint64_t identifier_min_count = 20;   // unique int/text columns with at least this many values
  double skewness = 2.0;                // |skewness| above this
  double zeros_share = 0.5;             // share of zeros above this
  double outliers_share = 0.05;         // share of IQR outliers above this
  double association = 0.9;             // |association| at or above this between two features
  double leakage = 0.95;                // |association| at or above this with the target
  double imbalance = 0.2;               // minority class share below this
  double rate_ratio = 0.8;       // smallest / largest group rate below this (four-fifths rule)
  double rate_gap = 0.1;         // ...or largest - smallest group rate above this
  uint64_t min_group_rows = 30;  // groups smaller than this are not compared
};

struct TableProfile;
struct ProfileOptions;

struct WarningRule {
  std::string_view name;
  WarningSeverity severity;
  std::string_view description;
  // Appends this rule's warnings for `profile` to `out`.
  void (*check)(const TableProfile& profile, const ProfileOptions& options,
                std::vector<Warning>* out);
};

// Every rule, in the order their warnings are reported.
std::span<const WarningRule> WarningRules();

// Runs every rule over `profile`.
std::vector<Warning> CheckWarnings(const TableProfile& profile, const ProfileOptions& options);

}  // namespace mlpipe::profile
