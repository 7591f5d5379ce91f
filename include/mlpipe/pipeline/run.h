// `mlpipe run`: the project's pipeline as a fixed DAG of steps (docs/run.md)
//
//   ingest → validate → profile → governance → split → features → train
//          → evaluate → compare → register → gates
//
// Each step reads the outputs of the steps before it and writes its own: a
// summary (JSON) and named files (bytes), all kept in the object store and
// listed in the step's manifest. A step is cached under the SHA-256 of its key
// (its input hashes, the spec sections it reads, the mlpipe version and the
// build identity of the running code): a re-run whose key has a manifest skips
// the step and says so. A manifest that cannot be used (another shape, a
// summary missing a key) is not trusted: the step runs again. Because steps
// talk only through stored outputs, any range of steps can run in its own
// process (`--from S --until S`).
//
// Every invocation records one tracking run (experiment = project name) with
// the effective spec, params, metrics and every step's files as artifacts;
// each step records a lineage execution with its inputs and outputs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/governance/promotion.h"
#include "mlpipe/governance/protected_check.h"
#include "mlpipe/pipeline/spec.h"
#include "mlpipe/store/project.h"

namespace mlpipe::pipeline {

// The steps in execution order.
const std::vector<std::string>& StepNames();

// What became of a step in one invocation.
enum class StepState { kRan, kCached, kNotRun };

struct StepReport {
  std::string name;
  StepState state = StepState::kNotRun;
  std::string key;       // hex SHA-256 of the step's key material ("" when not run)
  std::string manifest;  // object hash of the manifest
  double seconds = 0;    // wall time of the step (lookup included when cached)
  core::Json summary;    // the step's summary (docs/run.md)
  std::map<std::string, std::string> outputs;  // file name -> object hash
};

// Progress of a run, for the terminal.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnStepStart(const std::string& step, size_t index, size_t total) = 0;
  virtual void OnStepDone(const StepReport& report) = 0;
  // The train step's search progress (may return null).
  virtual eval::TrainObserver* TrainProgress() { return nullptr; }
};

struct RunOptions {
  std::string from;   // first step to run ("" = ingest); earlier ones must be cached
  std::string until;  // last step to run ("" = gates)
  bool no_cache = false;
  std::vector<governance::ProtectedOverride> overrides;
  std::string actor;
  std::string command_line;
  // The spec text as run (after --set), recorded with the run for reproduce.
  std::string spec_text;
  // Loads a model version's bundle in a fresh process (the integration gate).
  governance::IntegrationCheck integration;
  // Environment lookup for the PII key (tests pass their own); null: getenv.
  std::function<std::string(const std::string&)> getenv;
  // Reproduce: read the training data from this dataset version instead of the spec's file,
  // and record nothing in the registry (the run stops after `until`).
  std::string data_version;  // "NAME@V"
  RunObserver* observer = nullptr;
  // The identity of the code, part of every step's cache key so that a result
  // computed by another build is not reused. "": core::BuildId(), the running
  // binary's. Tests give their own to stand for another build.
  std::string build_id;
};

struct RunOutcome {
  std::string run_id;
  std::vector<StepReport> steps;  // every step, in order
  // The steps' summaries gathered: data version, leaderboard, KPIs, fairness,
  // comparison, registered version, gates, report paths.
  core::Json summary;
  // OK, or the problem that stopped the run (a refused governance check, a
  // failed validation): FailedPrecondition.
  Status stopped;
  bool gates_passed = false;  // every gate except approvals
};

// The columns governance keeps from the model, one line for the user:
// "governance: removed columns a (protected), b (pii) before training" (the
// protected columns without an override, then the PII columns whose handling
// is drop, in spec order); "" when there are none. `mlpipe run` prints it
// on stderr every time, so that no feature disappears unseen.
std::string GovernanceRemovals(const ProjectSpec& spec,
                               const std::vector<governance::ProtectedOverride>& overrides);

// Runs the pipeline of `spec` in the project of `stores`. Errors before any
// step runs: InvalidArgument for a bad --from/--until, the spec against its
// data. A step that finds a problem it exists to find (validation errors, a
// protected feature, a refused proxy) ends the run with `stopped` set and
// the run recorded FAILED; other errors are returned.
Result<RunOutcome> RunPipeline(core::Env* env, store::ProjectStores& stores,
                               const ProjectSpec& spec, const RunOptions& options);

}  // namespace mlpipe::pipeline
