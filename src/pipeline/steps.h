// Internal to the runner (run.cc): what a step sees and what it returns, and
// the table of steps. Each step is two functions: its key material (what the
// cache key hashes) and its work. Steps live in steps_data.cc (ingest,
// validate, profile, governance), steps_model.cc (split, features, train,
// evaluate) and steps_release.cc (compare, register, gates).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/pipeline/run.h"
#include "mlpipe/pipeline/spec.h"
#include "mlpipe/store/project.h"
#include "mlpipe/table/table.h"
#include "step_records.h"

namespace mlpipe::pipeline::internal {

// What a step produced: a summary and named files.
struct StepFiles {
  core::Json summary = core::Json::object();
  std::map<std::string, std::string> files;   // name -> bytes
  std::map<std::string, std::string> stored;  // name -> hash of an object already stored
  // Set when the step found a problem it exists to find: the run stops after
  // recording the step (FailedPrecondition).
  Status stop;
};

class StepContext {
 public:
  StepContext(core::Env* env, store::ProjectStores* stores, const ProjectSpec* spec,
              const RunOptions* options)
      : env(env), stores(stores), spec(spec), options(options) {}

  core::Env* env;
  store::ProjectStores* stores;
  const ProjectSpec* spec;
  const RunOptions* options;
  std::string run_id;
  std::map<std::string, StepReport> done;  // earlier steps of this invocation (ran or cached)

  store::MetadataStore& meta() { return *stores->meta; }
  store::ObjectStore& objects() { return *stores->objects; }

  // An earlier step's summary / output hashes; InternalError if it has not run.
  Result<const StepReport*> Step(const std::string& step) const;
  // An earlier step's summary as its record (R::kStep names the step); the
  // error names the step and the key at fault.
  template <typename R>
  Result<R> Summary() const;
  // The object hash of an earlier step's file; the error names step and file.
  Result<std::string> Output(const std::string& step, const std::string& name) const;
  // The bytes of an earlier step's file.
  Result<std::string> File(const std::string& step, const std::string& name);
  // The file names and hashes of earlier steps, for key material.
  core::Json Inputs(const std::vector<std::string>& steps) const;

  // The ingested table (PII protected), read once.
  Result<const table::Table*> RawData();
  // RawData() with the spec's derived columns.
  Result<const table::Table*> Data();
  // Data() without id and ignored columns: what training sees (target and
  // protected columns included).
  Result<const table::Table*> ModelTable();
  // The split step's rows.
  Result<std::pair<std::vector<size_t>, std::vector<size_t>>> Split();
  // The train step's bundle, loaded once.
  Result<const bundle::Predictor*> Model();

  std::string Getenv(const std::string& name) const;
  // Protected columns, and those an override keeps as features.
  std::vector<std::string> Protected() const;
  std::vector<std::string> OverriddenProtected() const;

 private:
  std::optional<table::Table> raw_, data_, model_table_;
  std::unique_ptr<bundle::Predictor> model_;
};

struct Step {
  std::string name;
  // The earlier steps whose outputs this one reads: their file hashes are
  // part of the key and the inputs of the step's lineage execution.
  std::vector<std::string> deps;
  // The step's own parameters (the spec sections it reads, other state it
  // depends on); hashed with the deps' outputs, the step name, the mlpipe
  // version and the build identity into the cache key.
  std::function<Result<core::Json>(StepContext&)> key;
  std::function<Result<StepFiles>(StepContext&)> run;
  // Whether a summary reads as the step's record (CheckSummary<R>): every
  // summary is checked when produced and when found in the cache.
  std::function<Status(const core::Json&)> check;
};

template <typename R>
Result<R> StepContext::Summary() const {
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* r, Step(R::kStep));
  Result<R> record = R::FromJson(r->summary);
  // Summaries were checked when produced or found cached: a failure is a bug.
  if (!record.ok()) {
    return InternalError(std::string("step '") + R::kStep +
                         "' summary: " + record.status().message());
  }
  return record;
}

// The steps in order (StepNames() order).
const std::vector<Step>& Steps();

// Per module of steps.
Step IngestStep();
Step ValidateStep();
Step ProfileStep();
Step GovernanceStep();
Step SplitStep();
Step FeaturesStep();
Step TrainStep();
Step EvaluateStep();
Step CompareStep();
Step RegisterStep();
Step GatesStep();

// Helpers shared by steps.
// The target of the model table, encoded (the spec's positive class).
Result<eval::Target> TargetOf(StepContext& ctx);
// Columns handed to the feature pipeline: the model table's less the target
// and (unless `with_protected`) the protected columns no override keeps.
Result<std::vector<std::string>> FeatureColumns(StepContext& ctx, bool with_protected);
core::Json ColumnsJson(const std::vector<ColumnRef>& refs);
core::Json ConstraintJson(const Constraint& c);
// "mlpipe.yaml:12:5" for a mark, or the path alone.
std::string Where(const ProjectSpec& spec, const Mark& mark);
// The families the train step searches (spec order; defaults; interpretability applied).
Result<std::vector<std::string>> Families(const ProjectSpec& spec, models::Task task);
// The metrics the train step reports: the primary one first, then every
// constraint's metric.
std::vector<std::string> TrainMetrics(const ProjectSpec& spec, models::Task task);
// The registered model's name.
std::string ModelName(const ProjectSpec& spec);

}  // namespace mlpipe::pipeline::internal
