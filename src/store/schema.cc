#include "schema.h"

#include <string>
#include <utility>

namespace mlpipe::store {
namespace {

// Written once; `{{ID}}` becomes the dialect's auto-incrementing key and
// `{{REAL}}` its double type. Times are microseconds since the Unix epoch.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE experiments (
  id {{ID}},
  name TEXT NOT NULL UNIQUE,
  created_us BIGINT NOT NULL
);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  experiment_id BIGINT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL DEFAULT 0,
  seed BIGINT NOT NULL DEFAULT 0,
  mlpipe_version TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  user_name TEXT NOT NULL DEFAULT '',
  command TEXT NOT NULL DEFAULT '',
  git_commit TEXT NOT NULL DEFAULT '',
  git_dirty INTEGER NOT NULL DEFAULT 0,
  parent_run_id TEXT REFERENCES runs(run_id)
);
CREATE INDEX runs_by_experiment ON runs(experiment_id, start_us);
CREATE INDEX runs_by_start ON runs(start_us);
CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX params_by_key ON params(key, value);
CREATE TABLE tags (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX tags_by_key ON tags(key, value);
CREATE TABLE metrics (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value {{REAL}} NOT NULL,
  step BIGINT NOT NULL,
  timestamp_us BIGINT NOT NULL
);
CREATE INDEX metrics_by_run ON metrics(run_id, key, step);
CREATE TABLE latest_metrics (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  key TEXT NOT NULL,
  value {{REAL}} NOT NULL,
  step BIGINT NOT NULL,
  timestamp_us BIGINT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX latest_metrics_by_key ON latest_metrics(key, value);
CREATE TABLE run_artifacts (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  path TEXT NOT NULL,
  object_hash TEXT NOT NULL,
  size BIGINT NOT NULL,
  PRIMARY KEY (run_id, path)
);
CREATE TABLE datasets (
  name TEXT PRIMARY KEY,
  created_us BIGINT NOT NULL
);
CREATE TABLE dataset_versions (
  name TEXT NOT NULL REFERENCES datasets(name),
  version BIGINT NOT NULL,
  hash TEXT NOT NULL,
  size BIGINT NOT NULL,
  rows_count BIGINT NOT NULL,
  schema_json TEXT NOT NULL,
  profile_json TEXT NOT NULL,
  source_path TEXT NOT NULL,
  created_us BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE INDEX dataset_versions_by_hash ON dataset_versions(hash);
CREATE TABLE run_inputs (
  run_id TEXT NOT NULL REFERENCES runs(run_id),
  dataset TEXT NOT NULL,
  version BIGINT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (run_id, dataset, version, role),
  FOREIGN KEY (dataset, version) REFERENCES dataset_versions(name, version)
);
CREATE INDEX run_inputs_by_dataset ON run_inputs(dataset, version);
CREATE TABLE lineage_artifacts (
  id {{ID}},
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, name)
);
CREATE TABLE executions (
  id {{ID}},
  type TEXT NOT NULL,
  run_id TEXT REFERENCES runs(run_id),
  properties_json TEXT NOT NULL DEFAULT '{}',
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL
);
CREATE INDEX executions_by_run ON executions(run_id);
CREATE TABLE events (
  execution_id BIGINT NOT NULL REFERENCES executions(id),
  artifact_id BIGINT NOT NULL REFERENCES lineage_artifacts(id),
  direction TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (execution_id, artifact_id, direction)
);
CREATE INDEX events_by_artifact ON events(artifact_id, direction);
CREATE TABLE registered_models (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL
);
CREATE TABLE model_versions (
  model TEXT NOT NULL REFERENCES registered_models(name),
  version BIGINT NOT NULL,
  bundle_hash TEXT NOT NULL,
  run_id TEXT REFERENCES runs(run_id),
  metrics_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_us BIGINT NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE TABLE model_version_tags (
  model TEXT NOT NULL,
  version BIGINT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model, version, key),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE TABLE aliases (
  model TEXT NOT NULL REFERENCES registered_models(name),
  alias TEXT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (model, alias),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE TABLE alias_history (
  id {{ID}},
  model TEXT NOT NULL REFERENCES registered_models(name),
  alias TEXT NOT NULL,
  from_version BIGINT NOT NULL,
  to_version BIGINT NOT NULL,
  actor TEXT NOT NULL,
  time_us BIGINT NOT NULL,
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alias_history_by_model ON alias_history(model, time_us);
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY,
  time_us BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_subject ON audit(subject, seq);
CREATE INDEX audit_by_time ON audit(time_us);
)sql";

// Run search (`metrics.roc_auc > 0.8 and params.model = 'gbdt'`) reads the
// runs matching each condition straight off a (key, value, run_id) index,
// without visiting the table: 100,000 runs searched in well under 200 ms.
// These indexes replace the (key, value) ones of migration 1.
constexpr const char* kMigration2 = R"sql(
CREATE INDEX latest_metrics_by_key_value ON latest_metrics(key, value, run_id);
CREATE INDEX params_by_key_value ON params(key, value, run_id);
CREATE INDEX tags_by_key_value ON tags(key, value, run_id);
DROP INDEX latest_metrics_by_key;
DROP INDEX params_by_key;
DROP INDEX tags_by_key;
)sql";

// Logging metric points is the hot write path (1,000,000 points in well under
// 5 s). A B-tree over (run_id, key, step) holds one distinct entry per point;
// one over run_id alone deduplicates a run's entries into posting lists, which
// halves the cost of a point on both backends. Reading a key's history then
// filters the run's points by key. On PostgreSQL the per-row foreign-key check
// of metrics.run_id was ~40% of the server's time: LogMetrics checks the run
// exists and is RUNNING in the same transaction (under the store's write
// lock) and runs are never deleted, so the check is dropped there. SQLite
// cannot drop a constraint without rebuilding the table and checks cheaply.
constexpr const char* kMigration3 = R"sql(
CREATE INDEX metrics_by_run_id ON metrics(run_id);
DROP INDEX metrics_by_run;
)sql";
constexpr const char* kMigration3Postgres = R"sql(
ALTER TABLE metrics DROP CONSTRAINT IF EXISTS metrics_run_id_fkey;
)sql";

std::string Render(const char* ddl, SqlDialect dialect) {
  std::string out = ddl;
  auto replace_all = [&out](const std::string& from, const std::string& to) {
    for (size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + to.size())) {
      out.replace(p, from.size(), to);
    }
  };
  if (dialect == SqlDialect::kSqlite) {
    replace_all("{{ID}}", "INTEGER PRIMARY KEY AUTOINCREMENT");
    replace_all("{{REAL}}", "REAL");
  } else {
    replace_all("{{ID}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    replace_all("{{REAL}}", "DOUBLE PRECISION");
  }
  return out;
}

}  // namespace

std::vector<std::string> SchemaMigrations(SqlDialect dialect) {
  std::string third = Render(kMigration3, dialect);
  if (dialect == SqlDialect::kPostgres) third += kMigration3Postgres;
  return {Render(kMigration1, dialect), Render(kMigration2, dialect), std::move(third)};
}

}  // namespace mlpipe::store
