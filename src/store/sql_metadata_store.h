// SqlMetadataStore: the one implementation of MetadataStore, written against
// SqlConnection so that SQLite and PostgreSQL run the same statements. Its
// methods are split by area into separate files:
//   sql_metadata_store.cc  opening, migrations, OpenMetadataStore
//   tracking_records.cc    experiments, runs, params, metrics, tags, artifacts, inputs
//   run_search.cc          SearchRuns (the query is compiled by run_query.h)
//   dataset_records.cc     data versions
//   lineage_records.cc     lineage artifacts, executions, events, walks
//   registry_records.cc    registered models, versions, aliases and their history
//   audit_records.cc       the hash-chained audit log
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/store/metadata_store.h"
#include "sql.h"

namespace mlpipe::store {

// Inserts `rows` with the statement `head` (e.g. "INSERT INTO t (a, b) VALUES
// "), one `(?, ...)` group of `arity` placeholders per row, then `tail` (e.g.
// an ON CONFLICT clause). On PostgreSQL the rows go as multi-row statements
// (`VALUES (...), (...), ...`): one statement per row, even pipelined, costs
// the server a parse and an executor start each; chunks of rows take a third
// to a half off a 1,000-row batch (the foreign-key check and index insert
// of every row remain). A statement carries at most 2,500 values;
// rows left over go in chunks of 16 * 2^k rows and a last one of at most 16,
// so that a connection prepares (and caches) a bounded number of distinct
// statements whatever the batch sizes. On SQLite, which runs in-process with
// no round trip to save, the one-row statement is stepped once per row
// (ExecBatch): a multi-row statement would be slower there, as SQLite keeps a
// statement journal (a temporary file) to undo a multi-row statement that
// fails halfway. With an ON CONFLICT DO UPDATE tail the rows must not repeat a
// conflict key (PostgreSQL refuses to update a row twice in one statement).
// Every row must have `arity` values. Run it inside a transaction to make the
// rows all-or-nothing.
Status InsertRows(SqlConnection& db, std::string_view head, size_t arity,
                  const std::vector<std::vector<SqlValue>>& rows, std::string_view tail = {});

class SqlMetadataStore final : public MetadataStore {
 public:
  // Record times come from `env`'s clock.
  SqlMetadataStore(std::unique_ptr<SqlConnection> db, core::Env* env)
      : db_(std::move(db)), env_(env) {}

  // Creates the schema or applies pending migrations.
  Status Migrate();
  SqlConnection& db() { return *db_; }

  Result<Experiment> GetOrCreateExperiment(const std::string& name) override;
  Result<std::vector<Experiment>> ListExperiments() override;
  Result<RunInfo> CreateRun(const std::string& experiment, const RunOrigin& origin,
                            const std::string& actor) override;
  Status EndRun(const std::string& run_id, RunStatus status, const std::string& actor) override;
  Status LogParams(const std::string& run_id,
                   const std::map<std::string, std::string>& params) override;
  Status LogMetrics(const std::string& run_id, const std::vector<Metric>& metrics) override;
  Status SetTags(const std::string& run_id,
                 const std::map<std::string, std::string>& tags) override;
  Status LogArtifact(const std::string& run_id, const RunArtifact& artifact) override;
  Status LogInput(const std::string& run_id, const DatasetInput& input) override;
  Result<Run> GetRun(const std::string& run_id) override;
  Result<std::vector<Metric>> GetMetricHistory(const std::string& run_id,
                                               const std::string& key) override;
  Result<RunPage> SearchRuns(const RunQuery& query) override;

  Result<DatasetVersion> AddDatasetVersion(const DatasetVersion& v, bool* existed,
                                           const std::string& actor) override;
  Result<DatasetVersion> GetDatasetVersion(const std::string& name,
                                           std::optional<int64_t> version) override;
  Result<std::vector<DatasetVersion>> ListDatasetVersions(const std::string& name) override;
  Result<std::vector<std::string>> ListDatasets() override;

  Result<ArtifactNode> PutArtifact(const std::string& kind, const std::string& name,
                                   const std::string& hash) override;
  Result<int64_t> RecordExecution(const Execution& e,
                                  const std::vector<LineageEdge>& edges) override;
  Result<LineageGraph> Lineage(const std::string& kind, const std::string& name,
                               bool downstream) override;

  Result<RegisteredModel> GetOrCreateModel(const std::string& name,
                                           const std::string& description) override;
  Result<std::vector<RegisteredModel>> ListModels() override;
  Result<ModelVersion> CreateModelVersion(const ModelVersion& v, const std::string& actor) override;
  Result<ModelVersion> GetModelVersion(const std::string& model, int64_t version) override;
  Result<std::vector<ModelVersion>> ListModelVersions(const std::string& model) override;
  Status SetModelVersionStatus(const std::string& model, int64_t version, ModelVersionStatus status,
                               const std::string& actor, const std::string& reason) override;
  Result<ModelVersion> ResolveModel(const VersionRef& ref) override;
  Status MoveAlias(const std::string& model, const std::string& alias, int64_t version,
                   const std::string& actor, const std::string& reason) override;
  Result<std::vector<AliasMove>> AliasHistory(const std::string& model,
                                              std::optional<int64_t> at_us) override;

  Result<AuditEntry> AppendAudit(const std::string& actor, const std::string& action,
                                 const std::string& subject,
                                 const std::string& details_json) override;
  Result<std::vector<AuditEntry>> ReadAudit(std::optional<int64_t> since_us,
                                            const std::string& subject) override;
  Result<AuditVerdict> VerifyAudit() override;

  Result<std::set<std::string>> ReferencedObjects() override;

  // Appends an audit entry inside the caller's open transaction (the chain
  // head is read and extended under the transaction's write lock).
  Result<AuditEntry> AppendAuditInTransaction(const std::string& actor, const std::string& action,
                                              const std::string& subject,
                                              const std::string& details_json);

 private:
  // Wall-clock time in microseconds since the Unix epoch, for record times.
  int64_t NowMicros() const { return env_->NowMicros(); }

  std::unique_ptr<SqlConnection> db_;
  core::Env* env_;
};

}  // namespace mlpipe::store
