// The EDA profile of a table: per-column summaries, whole-table figures
// (duplicate rows, associations between columns), the balance of a target
// and its rate per group of each protected column, and data-quality warnings.
//
// ProfileTable() runs the per-column work in parallel on the shared thread
// pool; the result does not depend on the number of threads. Every figure
// follows the pandas definition named beside it, so that it can be checked
// against pandas (tests/e2e/test_profile.py does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/profile/warnings.h"
#include "mlpipe/table/table.h"
#include "mlpipe/table/task.h"

namespace mlpipe::profile {

// Parameters of a profile. Thresholds of the warning rules live in
// WarningThresholds (warnings.h).
struct ProfileOptions {
  std::string target;                          // target column; "" for none
  std::vector<std::string> protected_columns;  // columns whose groups are compared
  std::string positive;     // positive class of the target; "" = the minority class
  int histogram_bins = 20;  // equal-width bins per numeric column
  size_t top_values = 10;   // most frequent values kept per column
  // Categorical columns with more categories than this take no part in
  // Cramér's V / correlation-ratio pairs (their contingency tables get large
  // and the figure means little).
  size_t max_association_categories = 100;
  // At most this many column pairs are computed; the rest are skipped and
  // counted in AssociationSummary::pairs_skipped.
  size_t max_association_pairs = 2000;
  // Above this many rows, associations are computed on a fixed pseudo-random
  // sample of about this many rows (their standard error, ~1/sqrt(rows), is
  // then about 0.002): exact figures would cost more than the rest of the
  // profile together. 0: always every row.
  size_t association_sample_rows = 100000;
  // A numeric protected column with more distinct values than this is grouped
  // into its quartile bins [min,q1], (q1,q2], (q2,q3], (q3,max] (the shared
  // rule of stats::GroupNumeric, pandas.qcut(q=4, duplicates="drop")).
  size_t max_protected_groups = 10;
  // The target's task: "binary", "multiclass", "regression", or "" to infer
  // it by the rule train, init and run share (table::InferTask). A regression
  // target has its mean per group reported, a class label its balance.
  std::string task;
  WarningThresholds thresholds;
  bool show_progress = false;  // draw a core::Progress bar (terminal only)

  // Says which field is out of range.
  Status Validate() const;
};

struct ValueCount {
  std::string value;  // the value as text (as the CSV writer writes it)
  uint64_t count = 0;
};

struct HistogramBins {
  std::vector<double> edges;     // bins + 1 ascending edges
  std::vector<uint64_t> counts;  // bin i is [edges[i], edges[i+1]), the last one closed
};

// Numeric summary (int64, float64 and bool columns; bool counts true as 1).
struct NumericSummary {
  double mean = 0;            // pandas mean()
  double std = 0;             // pandas std(), ddof = 1; NaN for one value
  double min = 0;             // pandas min()
  double q1 = 0;              // pandas quantile(0.25), linear interpolation
  double median = 0;          // pandas quantile(0.5)
  double q3 = 0;              // pandas quantile(0.75)
  double max = 0;             // pandas max()
  double skewness = 0;        // pandas skew() (adjusted Fisher-Pearson); NaN when undefined
  double kurtosis = 0;        // pandas kurt() (excess, unbiased); NaN when undefined
  uint64_t zeros = 0;         // present values equal to 0
  uint64_t infinite = 0;      // present values equal to inf or -inf
  uint64_t outliers_iqr = 0;  // values outside [q1 - 1.5 iqr, q3 + 1.5 iqr]
  uint64_t outliers_z = 0;    // values with |z| > 3 (z with the ddof 0 std, as scipy zscore)
  HistogramBins histogram;    // numpy.histogram(values, bins) over [min, max]
};

struct ColumnProfile {
  std::string name;
  table::DataType type = table::DataType::kFloat64;  // as inferred by the reader
  uint64_t count = 0;                                // present values (pandas count())
  uint64_t missing = 0;                              // missing values (pandas isna().sum())
  double missing_share = 0;                          // missing / rows; 0 for an empty table
  uint64_t distinct = 0;                             // distinct present values (pandas nunique())
  // The most frequent present values, by count descending, then value
  // ascending (numeric order for numeric columns, byte order for text).
  std::vector<ValueCount> top;
  std::optional<NumericSummary> numeric;  // set for numeric columns with count > 0
};

// One measured association between two columns.
enum class AssociationMethod { kPearson, kSpearman, kCramersV, kCorrelationRatio };
std::string_view AssociationMethodName(AssociationMethod method);

struct Association {
  std::string a, b;  // column names; for the correlation ratio, a is numeric, b categorical
  AssociationMethod method = AssociationMethod::kPearson;
  double value = 0;   // NaN when undefined (a constant side, fewer than 2 rows)
  uint64_t rows = 0;  // rows where both values are present
};

struct AssociationSummary {
  // Pearson and Spearman for numeric pairs, Cramér's V for categorical pairs,
  // the correlation ratio for numeric-categorical pairs; in column order.
  std::vector<Association> pairs;
  uint64_t pairs_skipped = 0;                 // over max_association_pairs
  std::vector<std::string> excluded_columns;  // string columns, too many categories
  // Rows of the sample the pairs were computed on; 0 when every row was used.
  uint64_t sample_rows = 0;
};

// The balance of the target column.
struct TargetSummary {
  std::string column;
  table::Task task = table::Task::kBinary;  // table::ResolveTask of the target
  bool classification = true;               // task is binary or multiclass
  std::vector<ValueCount> classes;          // every class, by count desc then value asc
  std::string positive;                     // the positive class (classification only)
  double positive_rate = 0;                 // share of present target values equal to positive
  uint64_t missing = 0;                     // rows without a target value
  double mean = 0;                          // regression targets: the mean target
};

struct GroupRate {
  std::string group;  // the value, or "[a, b]" / "(a, b]" for a binned numeric column
  uint64_t rows = 0;  // rows of the group with a present target
  double rate = 0;    // positive rate (classification) or mean target (regression)
};

struct ProtectedSummary {
  std::string column;
  bool binned = false;            // numeric column grouped into quartile bins
  std::vector<double> edges;      // the bin edges (binned only), from the minimum to the maximum
  std::vector<GroupRate> groups;  // in value order (bin order when binned)
  uint64_t missing = 0;           // rows where this column is missing (left out of groups)
  double max_gap = 0;             // largest rate minus smallest rate
  double min_ratio = 1;           // smallest rate / largest rate (1 when undefined)
};

struct TableProfile {
  std::string source;  // the file name or a label
  uint64_t rows = 0;
  uint64_t duplicate_rows = 0;  // rows equal to an earlier row (pandas duplicated().sum())
  uint64_t missing_cells = 0;
  std::vector<ColumnProfile> columns;
  std::vector<std::string> constant_columns;          // one distinct present value
  std::vector<std::string> high_cardinality_columns;  // see WarningThresholds
  AssociationSummary associations;
  std::optional<TargetSummary> target;
  std::vector<ProtectedSummary> protected_groups;
  std::vector<Warning> warnings;  // from every rule of WarningRules(), in rule order
};

// Profiles `table`. NotFound (naming the column and listing those that exist)
// for an unknown target or protected column; InvalidArgument for a --positive
// label that is not a class of the target.
Result<TableProfile> ProfileTable(const table::Table& table, const ProfileOptions& options,
                                  std::string source = "");

}  // namespace mlpipe::profile
