// Tracking records of SqlMetadataStore: experiments, runs and what a run logs
// (params, metrics, tags, artifacts, dataset inputs).
//
// Params, artifacts and inputs are immutable once logged: logging the same
// value again is a no-op, another value is kAlreadyExists. Tags may be
// overwritten, and unlike the other records may be set on a finished run (they
// annotate a run after the fact). Metrics are appended to `metrics`, and
// `latest_metrics` keeps per key the value with the highest (step, timestamp).
#include <sys/random.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "sql_metadata_store.h"
#include "tracking_rows.h"

namespace mlpipe::store {
namespace {

// 128 bits from the kernel's random source as 32 lowercase hex digits.
Result<std::string> NewRunId() {
  unsigned char bytes[16];
  size_t got = 0;
  while (got < sizeof(bytes)) {
    ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(std::string("getrandom: ").append(std::strerror(errno)));
    }
    got += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

Status RunNotFound(const std::string& run_id) {
  return NotFoundError("run '" + run_id + "' not found");
}

// The run's status, or kNotFound naming it.
Result<RunStatus> RunStatusOf(SqlConnection& db, const std::string& run_id) {
  MLPIPE_ASSIGN_OR_RETURN(auto rows,
                          db.Query("SELECT status FROM runs WHERE run_id = ?", {run_id}));
  if (rows.empty()) return RunNotFound(run_id);
  return ParseRunStatus(rows[0].Text(0));
}

// OK when the run exists and is still running.
Status CheckRunning(SqlConnection& db, const std::string& run_id) {
  MLPIPE_ASSIGN_OR_RETURN(RunStatus status, RunStatusOf(db, run_id));
  if (status != RunStatus::kRunning) {
    std::string msg = "run '" + run_id + "' has ended (";
    msg.append(RunStatusName(status)).append("); nothing more can be logged to it");
    return FailedPreconditionError(std::move(msg));
  }
  return Status::OK();
}

// `now_us` is the creation time of a new experiment.
Result<Experiment> EnsureExperiment(SqlConnection& db, const std::string& name, int64_t now_us) {
  if (name.empty()) return InvalidArgumentError("experiment name is empty");
  MLPIPE_RETURN_IF_ERROR(db.Exec("INSERT INTO experiments (name, created_us) VALUES (?, ?) "
                                 "ON CONFLICT (name) DO NOTHING",
                                 {name, now_us})
                             .status());
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT id, name, created_us FROM experiments WHERE name = ?", {name}));
  if (rows.empty()) return InternalError("experiment '" + name + "' vanished after insert");
  return Experiment{rows[0].Int(0), rows[0].Text(1), rows[0].Int(2)};
}

}  // namespace

Result<RunInfo> RunInfoFromRow(const SqlRow& row) {
  RunInfo info;
  info.run_id = row.Text(0);
  info.experiment_id = row.Int(1);
  info.experiment = row.Text(2);
  auto status = ParseRunStatus(row.Text(3));
  if (!status.ok()) return InternalError("run '" + info.run_id + "': " + status.status().message());
  info.status = *status;
  info.start_us = row.Int(4);
  info.end_us = row.Int(5);
  info.origin.name = row.Text(6);
  info.origin.seed = static_cast<uint64_t>(row.Int(7));
  info.origin.mlpipe_version = row.Text(8);
  info.origin.host = row.Text(9);
  info.origin.user = row.Text(10);
  info.origin.command = row.Text(11);
  info.origin.git_commit = row.Text(12);
  info.origin.git_dirty = row.Int(13) != 0;
  info.origin.parent_run_id = row.Text(14);
  return info;
}

Result<Experiment> SqlMetadataStore::GetOrCreateExperiment(const std::string& name) {
  return EnsureExperiment(*db_, name, NowMicros());
}

Result<std::vector<Experiment>> SqlMetadataStore::ListExperiments() {
  MLPIPE_ASSIGN_OR_RETURN(auto rows,
                          db_->Query("SELECT id, name, created_us FROM experiments ORDER BY id"));
  std::vector<Experiment> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Int(2)});
  return out;
}

Result<RunInfo> SqlMetadataStore::CreateRun(const std::string& experiment, const RunOrigin& origin,
                                            const std::string& actor) {
  RunInfo info;
  info.origin = origin;
  MLPIPE_ASSIGN_OR_RETURN(info.run_id, NewRunId());
  Status s = InTransaction(*db_, [&]() -> Status {
    MLPIPE_ASSIGN_OR_RETURN(Experiment e, EnsureExperiment(*db_, experiment, NowMicros()));
    info.experiment_id = e.id;
    info.experiment = e.name;
    SqlValue parent;
    if (!origin.parent_run_id.empty()) {
      auto parent_status = RunStatusOf(*db_, origin.parent_run_id);
      if (!parent_status.ok()) {
        return parent_status.status().WithContext("parent of the new run");
      }
      parent = origin.parent_run_id;
    }
    info.start_us = NowMicros();
    MLPIPE_RETURN_IF_ERROR(
        db_->Exec("INSERT INTO runs (run_id, experiment_id, name, status, start_us, end_us, seed, "
                  "mlpipe_version, host, user_name, command, git_commit, git_dirty, parent_run_id) "
                  "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {info.run_id, e.id, origin.name, std::string(RunStatusName(RunStatus::kRunning)),
                   info.start_us, static_cast<int64_t>(origin.seed), origin.mlpipe_version,
                   origin.host, origin.user, origin.command, origin.git_commit,
                   int64_t{origin.git_dirty ? 1 : 0}, parent})
            .status());
    nlohmann::json details = {{"experiment", e.name}, {"name", origin.name}};
    return AppendAuditInTransaction(actor, "run.start", info.run_id, details.dump()).status();
  });
  if (!s.ok()) return s;
  return info;
}

Status SqlMetadataStore::EndRun(const std::string& run_id, RunStatus status,
                                const std::string& actor) {
  if (status == RunStatus::kRunning) {
    return InvalidArgumentError("run '" + run_id + "' cannot end with status RUNNING");
  }
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(CheckRunning(*db_, run_id));
    MLPIPE_RETURN_IF_ERROR(db_->Exec("UPDATE runs SET status = ?, end_us = ? WHERE run_id = ?",
                                     {std::string(RunStatusName(status)), NowMicros(), run_id})
                               .status());
    nlohmann::json details = {{"status", RunStatusName(status)}};
    return AppendAuditInTransaction(actor, "run.end", run_id, details.dump()).status();
  });
}

Status SqlMetadataStore::LogParams(const std::string& run_id,
                                   const std::map<std::string, std::string>& params) {
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(CheckRunning(*db_, run_id));
    MLPIPE_ASSIGN_OR_RETURN(auto rows,
                            db_->Query("SELECT key, value FROM params WHERE run_id = ?", {run_id}));
    std::unordered_map<std::string, std::string> existing;
    for (const auto& r : rows) existing.emplace(r.Text(0), r.Text(1));
    std::vector<std::vector<SqlValue>> inserts;
    for (const auto& [key, value] : params) {
      if (key.empty()) return InvalidArgumentError("run '" + run_id + "': empty param name");
      auto it = existing.find(key);
      if (it == existing.end()) {
        inserts.push_back({run_id, key, value});
      } else if (it->second != value) {
        return AlreadyExistsError("param '" + key + "' of run '" + run_id + "' is already '" +
                                  it->second + "'; params cannot change (new value '" + value +
                                  "')");
      }
    }
    return db_->ExecBatch("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", inserts);
  });
}

Status SqlMetadataStore::LogMetrics(const std::string& run_id, const std::vector<Metric>& metrics) {
  if (metrics.empty()) return CheckRunning(*db_, run_id);
  const int64_t now = NowMicros();
  std::vector<std::vector<SqlValue>> rows;
  rows.reserve(metrics.size());
  // The latest point per key within this batch; ties go to the later one.
  std::unordered_map<std::string, Metric> latest;
  for (const Metric& m : metrics) {
    if (m.key.empty()) return InvalidArgumentError("run '" + run_id + "': empty metric name");
    if (std::isnan(m.value)) {
      return InvalidArgumentError("run '" + run_id + "': metric '" + m.key + "' at step " +
                                  std::to_string(m.step) + " is NaN");
    }
    Metric point = m;
    if (point.timestamp_us == 0) point.timestamp_us = now;
    rows.push_back({run_id, point.key, point.value, point.step, point.timestamp_us});
    auto [it, inserted] = latest.try_emplace(point.key, point);
    if (!inserted &&
        (point.step > it->second.step ||
         (point.step == it->second.step && point.timestamp_us >= it->second.timestamp_us))) {
      it->second = point;
    }
  }
  std::vector<std::vector<SqlValue>> upserts;
  upserts.reserve(latest.size());
  for (const auto& [key, m] : latest) {
    upserts.push_back({run_id, key, m.value, m.step, m.timestamp_us});
  }
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(CheckRunning(*db_, run_id));
    MLPIPE_RETURN_IF_ERROR(InsertRows(
        *db_, "INSERT INTO metrics (run_id, key, value, step, timestamp_us) VALUES ", 5, rows));
    // One row per key: a multi-row upsert never meets its own key twice.
    return InsertRows(
        *db_, "INSERT INTO latest_metrics (run_id, key, value, step, timestamp_us) VALUES ", 5,
        upserts,
        " ON CONFLICT (run_id, key) DO UPDATE SET "
        "value = excluded.value, step = excluded.step, timestamp_us = excluded.timestamp_us "
        "WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step "
        "AND excluded.timestamp_us >= latest_metrics.timestamp_us)");
  });
}

Status SqlMetadataStore::SetTags(const std::string& run_id,
                                 const std::map<std::string, std::string>& tags) {
  std::vector<std::vector<SqlValue>> rows;
  for (const auto& [key, value] : tags) {
    if (key.empty()) return InvalidArgumentError("run '" + run_id + "': empty tag name");
    rows.push_back({run_id, key, value});
  }
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(RunStatusOf(*db_, run_id).status());
    return db_->ExecBatch(
        "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) "
        "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
        rows);
  });
}

Status SqlMetadataStore::LogArtifact(const std::string& run_id, const RunArtifact& artifact) {
  if (artifact.path.empty())
    return InvalidArgumentError("run '" + run_id + "': empty artifact path");
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(CheckRunning(*db_, run_id));
    MLPIPE_ASSIGN_OR_RETURN(
        auto rows, db_->Query("SELECT object_hash FROM run_artifacts WHERE run_id = ? AND path = ?",
                              {run_id, artifact.path}));
    if (!rows.empty()) {
      if (rows[0].Text(0) == artifact.object_hash) return Status::OK();
      return AlreadyExistsError("artifact '" + artifact.path + "' of run '" + run_id +
                                "' is already object " + rows[0].Text(0) + " (new object " +
                                artifact.object_hash + ")");
    }
    return db_
        ->Exec("INSERT INTO run_artifacts (run_id, path, object_hash, size) VALUES (?, ?, ?, ?)",
               {run_id, artifact.path, artifact.object_hash, static_cast<int64_t>(artifact.size)})
        .status();
  });
}

Status SqlMetadataStore::LogInput(const std::string& run_id, const DatasetInput& input) {
  return InTransaction(*db_, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(CheckRunning(*db_, run_id));
    MLPIPE_ASSIGN_OR_RETURN(
        auto found, db_->Query("SELECT 1 FROM dataset_versions WHERE name = ? AND version = ?",
                               {input.dataset, input.version}));
    if (found.empty()) {
      return NotFoundError("dataset version " + input.dataset + "@" +
                           std::to_string(input.version) + " not found (input of run '" + run_id +
                           "')");
    }
    return db_
        ->Exec(
            "INSERT INTO run_inputs (run_id, dataset, version, role) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {run_id, input.dataset, input.version, std::string(DatasetRoleName(input.role))})
        .status();
  });
}

Result<Run> SqlMetadataStore::GetRun(const std::string& run_id) {
  Run run;
  std::string sql = "SELECT ";
  sql.append(kRunInfoColumns)
      .append(" FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.run_id = ?");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db_->Query(sql, {run_id}));
  if (rows.empty()) return RunNotFound(run_id);
  MLPIPE_ASSIGN_OR_RETURN(run.info, RunInfoFromRow(rows[0]));

  MLPIPE_ASSIGN_OR_RETURN(rows,
                          db_->Query("SELECT key, value FROM params WHERE run_id = ?", {run_id}));
  for (const auto& r : rows) run.params.emplace(r.Text(0), r.Text(1));
  MLPIPE_ASSIGN_OR_RETURN(rows,
                          db_->Query("SELECT key, value FROM tags WHERE run_id = ?", {run_id}));
  for (const auto& r : rows) run.tags.emplace(r.Text(0), r.Text(1));
  MLPIPE_ASSIGN_OR_RETURN(
      rows, db_->Query("SELECT key, value, step, timestamp_us FROM latest_metrics WHERE run_id = ?",
                       {run_id}));
  for (const auto& r : rows) {
    run.metrics.emplace(r.Text(0), Metric{r.Text(0), r.Double(1), r.Int(2), r.Int(3)});
  }
  MLPIPE_ASSIGN_OR_RETURN(rows, db_->Query("SELECT path, object_hash, size FROM run_artifacts "
                                           "WHERE run_id = ? ORDER BY path",
                                           {run_id}));
  for (const auto& r : rows) {
    run.artifacts.push_back({r.Text(0), r.Text(1), static_cast<uint64_t>(r.Int(2))});
  }
  MLPIPE_ASSIGN_OR_RETURN(rows, db_->Query("SELECT dataset, version, role FROM run_inputs "
                                           "WHERE run_id = ? ORDER BY dataset, version, role",
                                           {run_id}));
  for (const auto& r : rows) {
    MLPIPE_ASSIGN_OR_RETURN(DatasetRole role, ParseDatasetRole(r.Text(2)));
    run.inputs.push_back({r.Text(0), r.Int(1), role});
  }
  return run;
}

Result<std::vector<Metric>> SqlMetadataStore::GetMetricHistory(const std::string& run_id,
                                                               const std::string& key) {
  MLPIPE_RETURN_IF_ERROR(RunStatusOf(*db_, run_id).status());
  MLPIPE_ASSIGN_OR_RETURN(auto rows,
                          db_->Query("SELECT value, step, timestamp_us FROM metrics "
                                     "WHERE run_id = ? AND key = ? ORDER BY step, timestamp_us",
                                     {run_id, key}));
  std::vector<Metric> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({key, r.Double(0), r.Int(1), r.Int(2)});
  return out;
}

}  // namespace mlpipe::store
