// Hyperparameter search over one model family: grid, random and successive
// halving, each configuration scored by cross-validation with features fitted
// inside each fold (cv.h).
//
// Search spaces come from the models' family table (ranges, log scale,
// choices). Trials run in parallel on a core::ThreadPool, each fit then using
// one thread so that the total stays on the cores there are.
//
// Determinism: the same problem, space, spec and seed give the same trials
// (same ids, parameters and scores) whatever the pool's thread count; only
// fit times differ. Progress is reported upward through TrialObserver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/status.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/features/pipeline.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/table/table.h"

namespace mlpipe::eval {

// ------------------------------------------------------------- the space --

// One searched hyperparameter.
struct ParamRange {
  std::string name;
  models::ParamType type = models::ParamType::kFloat;
  double min = 0, max = 0;           // kInt / kFloat, inclusive
  bool log_scale = false;            // random search samples log-uniformly
  std::vector<std::string> choices;  // kCategorical
  // The values grid search tries; empty: the family default (not searched by grid).
  std::vector<models::ParamValue> grid;
};

struct SearchSpace {
  std::string family;
  std::vector<ParamRange> params;  // hyperparameters not listed keep their defaults
};

struct SearchSpaceOptions {
  // Caps the upper bound of "n_estimators" (the family table allows thousands;
  // a search on one machine should not).
  double max_estimators = 300;
  // Grid search varies the first `grid_params` hyperparameters of the family
  // (the table lists the most important first) over `grid_points` values each
  // (evenly spaced, on a log scale where flagged; every choice of a categorical).
  size_t grid_params = 2;
  size_t grid_points = 3;
};

// The space of `family` from the family table: every int, float and
// categorical hyperparameter except the training controls early_stopping_rounds
// and tol. NotFound (listing valid families) for an unknown family.
Result<SearchSpace> DefaultSearchSpace(std::string_view family,
                                       const SearchSpaceOptions& options = {});

// A change to one searched hyperparameter's range, from a project spec: a
// numeric [min, max] or the categorical choices to draw from.
struct ParamOverride {
  std::string name;
  bool numeric = true;
  double min = 0, max = 0;
  std::vector<std::string> choices;
};

// Applies `overrides` to `space` (grid values are recomputed over the new
// range, with as many points as before). InvalidArgument naming the family and
// the parameter for an unknown hyperparameter (listing the searched ones), a
// numeric range on a categorical one or the reverse, min > max, a range
// outside what the family accepts, or a choice the family does not know.
Status ApplyOverrides(SearchSpace& space, const std::vector<ParamOverride>& overrides);

// Every combination of the `grid` values of the space's parameters (their
// Cartesian product; the first parameter varies slowest). One empty
// configuration (all defaults) when no parameter has grid values.
std::vector<models::HyperParams> GridConfigurations(const SearchSpace& space);

// One configuration drawn from the ranges: uniform (log-uniform where flagged)
// for numbers, integers rounded and clamped, uniform over choices.
models::HyperParams SampleConfiguration(const SearchSpace& space, core::Rng& rng);

// "{"C": 0.5, "penalty": "l2"}" — numbers as JSON numbers.
core::Json ParamsToJson(const models::HyperParams& params);

// -------------------------------------------------------------- the spec --

enum class SearchKind { kGrid, kRandom, kHalving };

struct SearchSpec {
  SearchKind kind = SearchKind::kRandom;
  int configurations = 20;  // random: trials; halving: configurations of the first rung
  int eta = 3;              // halving: keep the top 1/eta of each rung
};

// "grid", "random:N" or "halving:N" (N >= 1; halving N >= 2). InvalidArgument
// naming the accepted forms otherwise.
Result<SearchSpec> ParseSearchSpec(std::string_view text);

// ----------------------------------------------------------- the search --

struct Trial {
  size_t id = 0;  // position in SearchResult::trials
  std::string family;
  models::HyperParams params;
  int rung = 0;                      // halving: the rung (0 first); else 0
  double row_fraction = 1;           // share of each fold's training rows used
  std::vector<MetricStats> metrics;  // CV mean and std of every metric, in request order
  double fit_seconds = 0;            // summed over folds (wall clock; not deterministic)
  std::string error;                 // non-empty when the configuration failed to fit
  bool ok() const { return error.empty(); }
};

// Receives each finished trial. Calls are serialised (never concurrent) but
// may come from any thread; `best` is the best ok trial so far at full rows,
// or nullptr.
class TrialObserver {
 public:
  virtual ~TrialObserver() = default;
  virtual void OnTrialDone(const Trial& trial, const Trial* best, size_t done, size_t total) = 0;
};

struct SearchProblem {
  const table::Table* features = nullptr;  // feature columns only, row-aligned with target
  const Target* target = nullptr;
  core::Json pipeline_spec;          // unfitted FeaturePipeline spec, fitted per fold
  std::vector<Fold> folds;           // row indices into features
  std::vector<std::string> metrics;  // the first is optimised
};

struct SearchOptions {
  SearchSpec spec;
  uint64_t seed = 0;
  core::ThreadPool* pool = nullptr;  // nullptr or size 1: trials one after another
  int nthread = 1;                   // threads per fit when trials run one at a time
  TrialObserver* observer = nullptr;
};

struct SearchResult {
  std::string family;
  std::vector<Trial> trials;  // in id order
  size_t best = 0;            // index of the best ok trial at full rows
  const Trial& best_trial() const { return trials[best]; }
};

// Total trials `spec` runs (halving: over all rungs), for progress bars.
size_t CountTrials(const SearchSpec& spec, const SearchSpace& space);

// Runs the search. Trial t fits with seed Rng::Derive(seed, t) for random
// sampling and `seed` for the model. Halving: rung r of R = floor(log_eta N)
// runs the survivors on eta^(r - R) of each fold's training rows and keeps the
// top max(1, floor(n / eta)); the last rung uses every row. Errors: invalid
// problem, metric errors, or every trial failing (the first failure's message).
Result<SearchResult> RunSearch(const SearchProblem& problem, const SearchSpace& space,
                               const SearchOptions& options);

// ---------------------------------------------------------------- refit --

struct FittedModel {
  features::FeaturePipeline pipeline;
  std::unique_ptr<models::Model> model;
  double fit_seconds = 0;
};

// Fits a fresh pipeline from `pipeline_spec` and `family` with `params` on
// every row of `features` / `target`.
Result<FittedModel> FitFinal(const table::Table& features, const Target& target,
                             const core::Json& pipeline_spec, std::string_view family,
                             const models::HyperParams& params, uint64_t seed, int nthread);

}  // namespace mlpipe::eval
