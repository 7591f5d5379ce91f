// Cross-validation: the target as a model sees it, seeded k-fold splits
// (plain, stratified, grouped), train/validation/test splits, and the scoring
// of one configuration on folds whose features are fitted inside each fold.
//
// Determinism: every split is a pure function of its inputs and seed
// (core::Rng); scores depend only on the data, configuration and seed, never
// on the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/metric_table.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/table/table.h"

namespace mlpipe::eval {

// ---------------------------------------------------------------- target --

// The target column encoded for estimators and metrics.
struct Target {
  std::string name;
  models::Task task = models::Task::kBinary;
  // Classification: class names by code. Binary: [negative, positive].
  std::vector<std::string> classes;
  std::vector<int32_t> codes;  // classification: class code per row
  std::vector<double> values;  // regression: the value per row
  std::vector<float> labels;   // what estimators take: codes or values as float
  // A numeric column of `labels` named `name`: the target that supervised
  // transforms (target encoding) see.
  table::Column AsColumn() const;
  int num_classes() const { return static_cast<int>(classes.size()); }
  // The rows `rows` of this target, in that order.
  Target Take(const std::vector<size_t>& rows) const;
};

// Encodes `column` as a target of `task` ("binary", "multiclass",
// "regression"; "" infers it by table::InferTask, the rule every command
// shares: text, categorical and bool targets and integer targets with at most
// 10 distinct values are classification, other numeric targets regression).
// A stated task that does not fit the column is InvalidArgument. Classes are sorted (numbers
// numerically). Binary: `positive` (default: the minority class; ties: the
// first class in sorted order, as the profiler) becomes code 1. Errors (InvalidArgument) name the
// column: a missing value, a single class, a `positive` that is not a class (listing them), or a
// positive label given for a regression target.
Result<Target> EncodeTarget(const table::Column& column, std::string_view positive = "",
                            std::string_view task = "");

// Dense codes of any column, in order of first appearance; missing values
// form one code of their own. `names` receives each code's text ("(missing)").
std::vector<int32_t> ColumnCodes(const table::Column& column, std::vector<std::string>* names);

// Fairness groups of a protected column at `rows`: for a numeric column the
// groups of stats::GroupNumeric (one per value up to 10 distinct values, else
// pandas.qcut-style quartile bins "[min, q1]", "(q1, q2]", ...), taken over
// the whole column so that groups do not move with the split; any other
// column ColumnCodes. Missing values form a group "(missing)" of their own.
std::vector<int32_t> ProtectedGroupCodes(const table::Column& column, std::span<const size_t> rows,
                                         std::vector<std::string>* names);

// ----------------------------------------------------------------- folds --

struct Fold {
  std::vector<size_t> train;       // ascending row indices
  std::vector<size_t> validation;  // ascending row indices
};

// k folds of `num_rows` rows shuffled with `seed`; fold sizes differ by at most
// one. Errors: k < 2 or k > num_rows.
Result<std::vector<Fold>> KFold(size_t num_rows, int k, uint64_t seed);

// k folds keeping each class' share: every class' rows are shuffled and dealt
// round-robin to the folds (continuing where the previous class stopped), so a
// class' count differs by at most one between folds. Errors: k < 2, k > rows,
// or a class with fewer than k rows (named by its label in `class_names`,
// indexed by code, when given; else by its code).
Result<std::vector<Fold>> StratifiedKFold(std::span<const int32_t> classes, int k, uint64_t seed,
                                          const std::vector<std::string>* class_names = nullptr);

// k folds that never split a group: groups are shuffled, then each (largest
// first, ties by the shuffle) goes to the fold with the fewest rows so far.
// Errors: k < 2 or fewer than k groups.
Result<std::vector<Fold>> GroupKFold(std::span<const int32_t> groups, int k, uint64_t seed);

struct ThreeWaySplit {
  std::vector<size_t> train, validation, test;  // ascending row indices
};

// Splits rows into train, validation and test parts. With `classes` non-empty
// (one code per row) each class is split in the same proportions (largest
// remainders); otherwise rows are split uniformly. Each part gets
// round(fraction * rows) rows (at least 1 when its fraction > 0). Errors:
// fractions outside [0, 1) or summing to 1 or more.
Result<ThreeWaySplit> TrainValidationTestSplit(size_t num_rows, std::span<const int32_t> classes,
                                               double validation_fraction, double test_fraction,
                                               uint64_t seed);

// ------------------------------------------------------------ cv scoring --

// One fold, made ready for fitting: features fitted on the fold's training
// rows only and applied to its validation rows.
struct PreparedFold {
  table::DenseMatrix train_x;
  Target train_y;
  table::DenseMatrix valid_x;
  Target valid_y;
};

// Fits a fresh FeaturePipeline from `pipeline_spec` (an unfitted spec) on each
// fold's training rows — only the first `row_fraction` of them, in an order
// shuffled with `seed`, so that smaller fractions nest inside larger ones —
// and transforms its validation rows. `features` holds feature columns only,
// row-aligned with `target`. Folds are prepared in parallel on `pool` when
// given.
Result<std::vector<PreparedFold>> PrepareFolds(const table::Table& features, const Target& target,
                                               const core::Json& pipeline_spec,
                                               const std::vector<Fold>& folds, double row_fraction,
                                               uint64_t seed, core::ThreadPool* pool = nullptr);

// Checks that every metric exists and fits the task: classification metrics
// for classification, regression metrics for regression, binary-only metrics
// (average_precision, brier, ks) not for multiclass, fairness metrics never
// (they are reported per protected column). Errors list the valid names.
Status CheckMetrics(const std::vector<std::string>& metrics, models::Task task);

// The metric names that suit `task` (for error messages and help).
std::vector<std::string> MetricsForTask(models::Task task);

// The default metric of a task: roc_auc (binary), accuracy (multiclass), rmse.
std::string DefaultMetric(models::Task task);

// `metric` on predictions against a target (same rows).
Result<double> ScorePredictions(std::string_view metric, const Target& truth,
                                const models::Predictions& predicted);

// A MetricInput viewing `truth` and `predicted` (binary: the probability of
// class 1, in `scratch`). The input must not outlive its arguments.
MetricInput MakeMetricInput(const Target& truth, const models::Predictions& predicted,
                            std::vector<double>& scratch);

struct MetricStats {
  std::string name;
  double mean = 0;
  double std = 0;             // sample standard deviation over folds (0 for one fold)
  std::vector<double> folds;  // the value on each fold
};

struct CvScores {
  std::vector<MetricStats> metrics;  // in the order requested
  double fit_seconds = 0;            // summed over folds
};

// One fold's part of CrossValidate: each metric's value on the fold's
// validation rows, and the fit's wall time.
struct FoldScore {
  std::vector<double> values;  // in the order of the metrics
  double fit_seconds = 0;
};
Result<FoldScore> ScoreFold(const PreparedFold& fold, std::string_view family,
                            const models::HyperParams& params,
                            const std::vector<std::string>& metrics, uint64_t seed, int nthread);
// The scores of every fold (in fold order) summarised as CrossValidate does;
// the first failed fold's error, naming it, if any failed.
Result<CvScores> SummarizeFolds(const std::vector<std::string>& metrics,
                                const std::vector<Result<FoldScore>>& folds);

// Fits `family` with `params` on each prepared fold and scores its validation
// rows with every metric. Fits use `seed` and `nthread` threads.
Result<CvScores> CrossValidate(const std::vector<PreparedFold>& folds, std::string_view family,
                               const models::HyperParams& params,
                               const std::vector<std::string>& metrics, uint64_t seed, int nthread);

}  // namespace mlpipe::eval
