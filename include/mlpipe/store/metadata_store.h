// MetadataStore: every record of the lifecycle — experiments and runs with
// their params, metrics, tags, artifacts and dataset inputs; data versions;
// lineage (executions and their input/output artifacts, ML Metadata's model);
// the model registry with aliases whose every move is kept; and the
// append-only, hash-chained audit log.
//
// Three implementations share one conformance test suite. SQLite (the
// embedded default, `.mlpipe/meta.db`) and PostgreSQL (`postgresql://…`) are
// the same code over SqlConnection (src/store/sql.h, private to the module);
// only the drivers and a few lines of schema differ. The third,
// HttpMetadataStore (`http://HOST:PORT`), sends every call to a tracking
// server (`mlpipe serve --tracking`), which answers from one of the first two.
//
// Errors: an unknown run, dataset, model, version or alias is kNotFound with
// the name in the message; a malformed reference or query is kInvalidArgument
// (queries name the position); setting a param again with another value is
// kAlreadyExists. Every governance-relevant write (data added, run started and
// finished, model version registered or its status changed, alias moved)
// appends an audit entry in the same transaction.
//
// Thread safety: one MetadataStore per thread; any number of processes may
// open the same store at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"

namespace mlpipe::store {

// ---- tracking ---------------------------------------------------------------

struct Experiment {
  int64_t id = 0;
  std::string name;
  int64_t created_us = 0;
};

enum class RunStatus { kRunning, kFinished, kFailed, kKilled };
std::string_view RunStatusName(RunStatus s);  // "RUNNING", "FINISHED", ...
Result<RunStatus> ParseRunStatus(std::string_view s);

// What a run records about where it came from; filled by the caller (see
// tracking.h, which gathers host, user, command line and git state).
struct RunOrigin {
  std::string name;  // optional display name
  uint64_t seed = 0;
  std::string mlpipe_version;
  std::string host;
  std::string user;
  std::string command;
  std::string git_commit;  // empty outside a git work tree
  bool git_dirty = false;
  std::string parent_run_id;  // empty for a top-level run
};

struct RunInfo {
  std::string run_id;  // 32 lowercase hex characters
  int64_t experiment_id = 0;
  std::string experiment;
  RunStatus status = RunStatus::kRunning;
  int64_t start_us = 0;
  int64_t end_us = 0;  // 0 while running
  RunOrigin origin;
};

struct Metric {
  std::string key;
  double value = 0;
  int64_t step = 0;
  int64_t timestamp_us = 0;
};

struct RunArtifact {
  std::string path;         // name within the run, e.g. "leaderboard.json"
  std::string object_hash;  // in the ObjectStore
  uint64_t size = 0;
};

enum class DatasetRole { kTrain, kValidation, kTest, kOther };
std::string_view DatasetRoleName(DatasetRole r);  // "train", "validation", "test", "other"
Result<DatasetRole> ParseDatasetRole(std::string_view s);

struct DatasetInput {
  std::string dataset;
  int64_t version = 0;
  DatasetRole role = DatasetRole::kOther;
};

// A run with everything recorded about it; metrics hold the latest value per key.
struct Run {
  RunInfo info;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  std::map<std::string, Metric> metrics;
  std::vector<RunArtifact> artifacts;
  std::vector<DatasetInput> inputs;
};

// `filter` is the query language of `mlpipe runs search`:
//   metrics.roc_auc > 0.8 and params.model = 'gbdt'
//   tags.team = 'risk' or (attributes.status != 'FAILED' and metrics.rmse <= 500)
// Operands: metrics.KEY (number), params.KEY / tags.KEY (string),
// attributes.{run_id,experiment,status,start_time,end_time,user,host,git_commit,name}.
// Operators: = != < <= > >= LIKE ILIKE IN (...); combined with and, or, not,
// parentheses. `order_by` is a list like "metrics.roc_auc DESC, start_time".
struct RunQuery {
  std::string experiment;  // empty: every experiment
  std::string filter;
  std::vector<std::string> order_by;
  int64_t limit = 100;
  int64_t offset = 0;
};

struct RunPage {
  std::vector<RunInfo> runs;
  int64_t total = 0;  // rows matching the filter, before paging
};

// ---- data versions ----------------------------------------------------------

struct DatasetVersion {
  std::string name;
  int64_t version = 0;
  std::string hash;  // SHA-256 of the file = its object in the ObjectStore
  uint64_t size = 0;
  int64_t rows = 0;
  std::string schema_json;   // profile::Schema as JSON
  std::string profile_json;  // summary statistics per column
  std::string source_path;
  int64_t created_us = 0;
  std::string created_by;
};

// NAME, NAME@V or NAME@latest. `credit@@2`, `credit@x`, `@2` are kInvalidArgument.
struct VersionRef {
  std::string name;
  std::optional<int64_t> version;  // none: latest
  std::string alias;               // MODEL@ALIAS (registry refs only)
};
Result<VersionRef> ParseVersionRef(std::string_view text, bool allow_alias);

// ---- lineage (ML Metadata's model) ------------------------------------------

// An artifact node: a dataset version ("dataset", "credit@3"), a model version
// ("model", "credit-risk@2"), a source file ("file", path), a code version
// ("code", commit), a spec ("spec", path) or any stored object ("object", name).
struct ArtifactNode {
  int64_t id = 0;
  std::string kind;
  std::string name;
  std::string hash;  // content hash when known
};

struct Execution {
  int64_t id = 0;
  std::string type;  // "train", "ingest", a pipeline step name
  std::string run_id;
  std::string properties_json;
  int64_t start_us = 0;
  int64_t end_us = 0;
};

enum class EventDirection { kInput, kOutput };

struct LineageEdge {
  int64_t execution_id = 0;
  int64_t artifact_id = 0;
  EventDirection direction = EventDirection::kInput;
  std::string role;
};

struct LineageGraph {
  std::vector<ArtifactNode> artifacts;
  std::vector<Execution> executions;
  std::vector<LineageEdge> edges;
};

// ---- registry -----------------------------------------------------------------

enum class ModelVersionStatus { kPending, kReady, kRejected, kArchived };
std::string_view ModelVersionStatusName(ModelVersionStatus s);  // "pending", ...
Result<ModelVersionStatus> ParseModelVersionStatus(std::string_view s);

struct RegisteredModel {
  std::string name;
  std::string description;
  int64_t created_us = 0;
  std::map<std::string, int64_t> aliases;  // alias -> version
};

struct ModelVersion {
  std::string model;
  int64_t version = 0;
  std::string bundle_hash;
  std::string run_id;
  std::string metrics_json;  // snapshot at registration
  ModelVersionStatus status = ModelVersionStatus::kPending;
  std::string description;
  std::map<std::string, std::string> tags;
  int64_t created_us = 0;
};

struct AliasMove {
  std::string model;
  std::string alias;
  int64_t from_version = 0;  // 0: the alias did not exist
  int64_t to_version = 0;    // 0: the alias was removed
  std::string actor;
  int64_t time_us = 0;
  std::string reason;
};

// ---- audit ----------------------------------------------------------------------

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3, ... in append order
  int64_t time_us = 0;
  std::string actor;
  std::string action;   // "data.add", "run.start", "alias.move", "approve", ...
  std::string subject;  // "credit@3", run id, "credit-risk@2"
  std::string details_json;
  std::string prev_hash;  // hash of entry seq-1; 64 zeros for the first
  std::string hash;       // SHA-256 over seq, time, actor, action, subject, details, prev_hash
};

struct AuditVerdict {
  bool ok = true;
  int64_t entries = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // "entry 7: hash does not match its content", ...
};

// ---- the store ---------------------------------------------------------------

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Tracking.
  virtual Result<Experiment> GetOrCreateExperiment(const std::string& name) = 0;
  virtual Result<std::vector<Experiment>> ListExperiments() = 0;
  virtual Result<RunInfo> CreateRun(const std::string& experiment, const RunOrigin& origin,
                                    const std::string& actor) = 0;
  virtual Status EndRun(const std::string& run_id, RunStatus status, const std::string& actor) = 0;
  virtual Status LogParams(const std::string& run_id,
                           const std::map<std::string, std::string>& params) = 0;
  virtual Status LogMetrics(const std::string& run_id, const std::vector<Metric>& metrics) = 0;
  virtual Status SetTags(const std::string& run_id,
                         const std::map<std::string, std::string>& tags) = 0;
  virtual Status LogArtifact(const std::string& run_id, const RunArtifact& artifact) = 0;
  virtual Status LogInput(const std::string& run_id, const DatasetInput& input) = 0;
  virtual Result<Run> GetRun(const std::string& run_id) = 0;
  // Every value of one metric, ordered by step then time.
  virtual Result<std::vector<Metric>> GetMetricHistory(const std::string& run_id,
                                                       const std::string& key) = 0;
  virtual Result<RunPage> SearchRuns(const RunQuery& query) = 0;

  // Data versions. Adding content whose hash equals NAME's latest version
  // returns that version (existed = true) and records nothing new.
  virtual Result<DatasetVersion> AddDatasetVersion(const DatasetVersion& v, bool* existed,
                                                   const std::string& actor) = 0;
  virtual Result<DatasetVersion> GetDatasetVersion(const std::string& name,
                                                   std::optional<int64_t> version) = 0;
  virtual Result<std::vector<DatasetVersion>> ListDatasetVersions(const std::string& name) = 0;
  virtual Result<std::vector<std::string>> ListDatasets() = 0;

  // Lineage. PutArtifact returns the existing node for the same (kind, name).
  virtual Result<ArtifactNode> PutArtifact(const std::string& kind, const std::string& name,
                                           const std::string& hash) = 0;
  virtual Result<int64_t> RecordExecution(const Execution& e,
                                          const std::vector<LineageEdge>& edges) = 0;
  // Walks from (kind, name) upstream (what it came from) or downstream (what used it).
  virtual Result<LineageGraph> Lineage(const std::string& kind, const std::string& name,
                                       bool downstream) = 0;

  // Registry.
  virtual Result<RegisteredModel> GetOrCreateModel(const std::string& name,
                                                   const std::string& description) = 0;
  virtual Result<std::vector<RegisteredModel>> ListModels() = 0;
  virtual Result<ModelVersion> CreateModelVersion(const ModelVersion& v,
                                                  const std::string& actor) = 0;
  virtual Result<ModelVersion> GetModelVersion(const std::string& model, int64_t version) = 0;
  virtual Result<std::vector<ModelVersion>> ListModelVersions(const std::string& model) = 0;
  virtual Status SetModelVersionStatus(const std::string& model, int64_t version,
                                       ModelVersionStatus status, const std::string& actor,
                                       const std::string& reason) = 0;
  // Resolves MODEL, MODEL@V, MODEL@ALIAS (MODEL alone: latest version).
  virtual Result<ModelVersion> ResolveModel(const VersionRef& ref) = 0;
  // Points `alias` at `version` (0 removes it); records the move with who, when, why.
  virtual Status MoveAlias(const std::string& model, const std::string& alias, int64_t version,
                           const std::string& actor, const std::string& reason) = 0;
  // Moves in time order; with `at_us`, only those at or before it.
  virtual Result<std::vector<AliasMove>> AliasHistory(const std::string& model,
                                                      std::optional<int64_t> at_us) = 0;

  // Audit log.
  virtual Result<AuditEntry> AppendAudit(const std::string& actor, const std::string& action,
                                         const std::string& subject,
                                         const std::string& details_json) = 0;
  virtual Result<std::vector<AuditEntry>> ReadAudit(std::optional<int64_t> since_us,
                                                    const std::string& subject) = 0;
  virtual Result<AuditVerdict> VerifyAudit() = 0;

  // Every object hash some record refers to (run artifacts, dataset versions,
  // bundles, lineage artifacts), for the object store's garbage collector.
  virtual Result<std::set<std::string>> ReferencedObjects() = 0;
};

// Opens the store at `uri`: an `http://HOST:PORT` tracking server, a
// `postgresql://` URI, or a path to a SQLite file (created with its folder);
// `https://` is refused (kInvalidArgument). For SQLite and PostgreSQL, applies
// pending schema migrations and refuses a store whose schema is newer than
// this binary (kFailedPrecondition); a tracking server migrates its own.
// Record times (run start and end, versions, audit entries, ...) come from
// `env`'s clock, core::Env::Default() when null; behind an `http://` URI,
// from the tracking server's.
Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& uri,
                                                         core::Env* env = nullptr);

}  // namespace mlpipe::store
