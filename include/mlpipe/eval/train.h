// Training and comparison of model families on one table (docs/train.md): a
// seeded held-out test part, a hyperparameter search per family with
// cross-validation on the training part (search.h), a refit of each family's
// best configuration, test metrics with bootstrap confidence intervals and
// fairness per protected column, and a leaderboard sorted by CV score.
//
// Determinism: the same table, options and seed give the same folds, trials,
// scores and models whatever the thread count (fit times aside).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/search.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/table/table.h"

namespace mlpipe::eval {

struct TrainOptions {
  // Where the data came from; recorded as "data" in the summary (metrics.json).
  std::string data;
  // The target column (required).
  std::string target;
  // Positive class of a binary target; empty: the minority class.
  std::string positive;
  // "binary", "multiclass" or "regression"; empty: inferred (table::InferTask).
  std::string task;
  // Families to search (empty names ignored); empty: logreg, gbdt, rf (ridge, gbdt, rf for
  // regression).
  std::vector<std::string> families;
  // The search spec: "grid", "random:N" or "halving:N" (ParseSearchSpec).
  std::string search = "random:20";
  // Cross-validation folds on the training part (stratified for classification).
  int cv = 5;
  // Metrics to report (empty names ignored); the first is optimised. None: DefaultMetric.
  std::vector<std::string> metrics;
  // Protected columns: removed from the features, used for fairness only.
  std::vector<std::string> protected_columns;
  // Share of rows held out for the test part, in [0, 1).
  double test_size = 0.2;
  // Seed of every random choice (split, folds, search, models, bootstrap).
  uint64_t seed = 0;
  // Bootstrap resamples for the test metrics' confidence intervals (>= 1).
  int bootstrap = 1000;

  // The split, when the caller made it (the pipeline's split step): ascending
  // row indices, disjoint. Both empty: Train splits by test_size and seed.
  std::vector<size_t> train_rows, test_rows;
  // The unfitted feature pipeline spec per family (FeaturePipeline::FromJson);
  // a family not listed gets features::InferDefaultPipeline.
  std::map<std::string, core::Json> pipelines;
  // Changes to each family's search space (ApplyOverrides).
  std::map<std::string, std::vector<ParamOverride>> search_overrides;
  // Protected columns that stay features (an override the caller audited);
  // they are still used for fairness. Each must be in protected_columns.
  std::vector<std::string> protected_features;
  // Names data row `row` (0-based) in messages, e.g. "data.csv:19" for its
  // file line; unset: "data row N".
  std::function<std::string(size_t row)> describe_row;

  // Checks what can be checked without data: InvalidArgument naming the wrong
  // field (an empty target, a bad search spec, cv < 2, test_size outside
  // [0, 1), bootstrap < 1). Train() does not call it: it reports the same
  // problems from the step that meets them (the CLI's messages).
  Status Validate() const;
};

// Receives the search progress of each family in turn: OnFamilyStart, the
// family's trials (TrialObserver::OnTrialDone), then OnFamilyDone after its
// refit and test scoring. Calls never overlap.
class TrainObserver : public TrialObserver {
 public:
  virtual void OnFamilyStart(const std::string& family, size_t total_trials) = 0;
  virtual void OnFamilyDone(const std::string& family) = 0;
};

// One family's outcome.
struct TrainEntry {
  std::string family;
  SearchResult search;                   // every trial of the family's search
  FittedModel fitted;                    // the best configuration refitted on the training part
  models::Predictions test_predictions;  // of `fitted` on the test rows
  // The leaderboard entry: {"family", "params", "cv", "test", "fairness",
  // "trials", "fit_seconds", "search_fit_seconds"} (docs/train.md).
  core::Json json;
};

struct TrainResult {
  std::vector<TrainEntry> leaderboard;  // best CV score of the first metric first
  std::vector<std::string> metrics;     // as used (the default filled in)
  Target target;                        // the encoded target, all rows
  std::vector<size_t> train_rows;       // ascending row indices of the training part
  std::vector<size_t> test_rows;        // ascending row indices of the test part
  Target test_target;                   // the target on `test_rows`
  // The metrics.json document: the run, "best" and "leaderboard".
  core::Json summary;
  const TrainEntry& best() const { return leaderboard.front(); }
};

// The unfitted feature pipeline Train uses for `family` when the caller gives
// none: features::InferDefaultPipeline on `train_x` (feature columns only),
// standard-scaled for the linear families, seeded with `seed`.
Result<core::Json> DefaultFeatureSpec(const table::Table& train_x, const Target& train_y,
                                      const std::string& family, uint64_t seed);

// Trains every family on `data` (docs/train.md). Errors (InvalidArgument,
// naming the CLI flag as `mlpipe train` reports them): an unknown target or protected column, a
// target that cannot be encoded, an unknown family or one that does not support the task, a bad
// search spec, metrics that do not exist or do not fit the task, a bad test_size, folds that cannot
// be made, bootstrap < 1, a feature value that is inf or -inf (the count and
// the first row, named by describe_row). `observer` (may be null) sees each family's search.
Result<TrainResult> Train(const table::Table& data, const TrainOptions& options,
                          TrainObserver* observer = nullptr);

// Writes the model folder `dir` (created if needed): model.json (the best
// model's Save()), features.json (its fitted pipeline) and metrics.json (the
// summary), each atomically.
Status WriteTrainOutput(core::Env* env, const std::string& dir, const TrainResult& result);

// Writes the best model's test-row predictions to `path` as CSV: row, label,
// then predicted and score (binary), predicted and prob_<class> per class
// (multiclass) or prediction (regression); numbers with 17 significant digits.
Status WritePredictions(core::Env* env, const std::string& path, const TrainResult& result);

}  // namespace mlpipe::eval
