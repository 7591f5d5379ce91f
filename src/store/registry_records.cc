// The model registry: registered models, their numbered versions (with status
// and tags), aliases such as "champion", and the history of every alias move.
// Every write that matters for governance (a version registered, a status
// changed, an alias moved) appends an audit entry in the same transaction.
#include <string>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "sql_metadata_store.h"

namespace mlpipe::store {
namespace {

constexpr const char* kVersionColumns =
    "model, version, bundle_hash, run_id, metrics_json, status, description, created_us";

// On PostgreSQL, serializes registry writers (read max version, then insert)
// the way SQLite's BEGIN IMMEDIATE does, by taking the audit log's lock first:
// every registry write appends to it anyway, so the lock order is always the
// same and concurrent writers queue instead of clashing on a primary key.
Status SerializeWriters(SqlConnection& db) {
  if (db.dialect() != SqlDialect::kPostgres) return Status::OK();
  return db.Exec("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE").status();
}

std::string VersionRefText(const std::string& model, int64_t version) {
  std::string s = model;
  s.append("@").append(std::to_string(version));
  return s;
}

std::string JoinInts(const std::vector<int64_t>& xs) {
  std::string s;
  for (int64_t x : xs) {
    if (!s.empty()) s.append(", ");
    s.append(std::to_string(x));
  }
  return s.empty() ? "none" : s;
}

std::string JoinStrings(const std::vector<std::string>& xs) {
  std::string s;
  for (const auto& x : xs) {
    if (!s.empty()) s.append(", ");
    s.append(x);
  }
  return s.empty() ? "none" : s;
}

Status ValidateModelName(const std::string& name) {
  auto ref = ParseVersionRef(name, false);
  if (!ref.ok()) return InvalidArgumentError("bad model name '" + name + "'");
  if (ref->name != name) {
    return InvalidArgumentError("bad model name '" + name + "': '@' is not allowed in a name");
  }
  return Status::OK();
}

Status ValidateAlias(const std::string& model, const std::string& alias) {
  auto ref = ParseVersionRef(model + "@" + alias, true);
  if (!ref.ok() || ref->alias != alias) {
    return InvalidArgumentError("bad alias '" + alias +
                                "': expected a letter then letters, digits, '_' or '-' "
                                "(and not 'latest')");
  }
  return Status::OK();
}

Result<ModelVersion> VersionFromRow(const SqlRow& r) {
  ModelVersion v;
  v.model = r.Text(0);
  v.version = r.Int(1);
  v.bundle_hash = r.Text(2);
  v.run_id = r.Text(3);
  v.metrics_json = r.Text(4);
  MLPIPE_ASSIGN_OR_RETURN(v.status, ParseModelVersionStatus(r.Text(5)));
  v.description = r.Text(6);
  v.created_us = r.Int(7);
  return v;
}

Result<std::map<std::string, int64_t>> LoadAliases(SqlConnection& db, const std::string& model) {
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT alias, version FROM aliases WHERE model = ? ORDER BY alias", {model}));
  std::map<std::string, int64_t> out;
  for (const SqlRow& r : rows) out[r.Text(0)] = r.Int(1);
  return out;
}

Status LoadTags(SqlConnection& db, ModelVersion& v) {
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT key, value FROM model_version_tags WHERE model = ? AND version = ?",
               {v.model, v.version}));
  for (const SqlRow& r : rows) v.tags[r.Text(0)] = r.Text(1);
  return Status::OK();
}

// kNotFound naming the model and listing the registered ones.
Status ModelNotFound(SqlConnection& db, const std::string& model) {
  auto rows = db.Query("SELECT name FROM registered_models ORDER BY name");
  std::vector<std::string> names;
  if (rows.ok()) {
    for (const SqlRow& r : *rows) names.push_back(r.Text(0));
  }
  return NotFoundError("no registered model '" + model + "' (models: " + JoinStrings(names) + ")");
}

Status RequireModel(SqlConnection& db, const std::string& model) {
  MLPIPE_ASSIGN_OR_RETURN(auto rows,
                          db.Query("SELECT 1 FROM registered_models WHERE name = ?", {model}));
  if (rows.empty()) return ModelNotFound(db, model);
  return Status::OK();
}

Result<std::vector<int64_t>> VersionNumbers(SqlConnection& db, const std::string& model) {
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows,
      db.Query("SELECT version FROM model_versions WHERE model = ? ORDER BY version", {model}));
  std::vector<int64_t> out;
  for (const SqlRow& r : rows) out.push_back(r.Int(0));
  return out;
}

// The version row with its tags; kNotFound naming what exists.
Result<ModelVersion> LoadVersion(SqlConnection& db, const std::string& model, int64_t version) {
  std::string sql = "SELECT ";
  sql.append(kVersionColumns).append(" FROM model_versions WHERE model = ? AND version = ?");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db.Query(sql, {model, version}));
  if (rows.empty()) {
    MLPIPE_RETURN_IF_ERROR(RequireModel(db, model));
    MLPIPE_ASSIGN_OR_RETURN(auto versions, VersionNumbers(db, model));
    return NotFoundError("model '" + model + "' has no version " + std::to_string(version) +
                         " (versions: " + JoinInts(versions) + ")");
  }
  MLPIPE_ASSIGN_OR_RETURN(ModelVersion v, VersionFromRow(rows[0]));
  MLPIPE_RETURN_IF_ERROR(LoadTags(db, v));
  return v;
}

// `now_us` is the creation time of a new model.
Status EnsureModel(SqlConnection& db, const std::string& name, const std::string& description,
                   int64_t now_us) {
  return db
      .Exec(
          "INSERT INTO registered_models (name, description, created_us) VALUES (?, ?, ?) "
          "ON CONFLICT (name) DO NOTHING",
          {name, description, now_us})
      .status();
}

}  // namespace

Result<RegisteredModel> SqlMetadataStore::GetOrCreateModel(const std::string& name,
                                                           const std::string& description) {
  MLPIPE_RETURN_IF_ERROR(ValidateModelName(name));
  RegisteredModel m;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(EnsureModel(db(), name, description, NowMicros()));
    MLPIPE_ASSIGN_OR_RETURN(
        auto rows, db().Query("SELECT name, description, created_us FROM registered_models "
                              "WHERE name = ?",
                              {name}));
    if (rows.empty()) return InternalError("registered model '" + name + "' vanished");
    m.name = rows[0].Text(0);
    m.description = rows[0].Text(1);
    m.created_us = rows[0].Int(2);
    MLPIPE_ASSIGN_OR_RETURN(m.aliases, LoadAliases(db(), name));
    return Status::OK();
  }));
  return m;
}

Result<std::vector<RegisteredModel>> SqlMetadataStore::ListModels() {
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows,
      db().Query("SELECT name, description, created_us FROM registered_models ORDER BY name"));
  MLPIPE_ASSIGN_OR_RETURN(auto alias_rows, db().Query("SELECT model, alias, version FROM aliases"));
  std::map<std::string, std::map<std::string, int64_t>> aliases;
  for (const SqlRow& r : alias_rows) aliases[r.Text(0)][r.Text(1)] = r.Int(2);
  std::vector<RegisteredModel> out;
  for (const SqlRow& r : rows) {
    RegisteredModel m;
    m.name = r.Text(0);
    m.description = r.Text(1);
    m.created_us = r.Int(2);
    m.aliases = aliases[m.name];
    out.push_back(std::move(m));
  }
  return out;
}

Result<ModelVersion> SqlMetadataStore::CreateModelVersion(const ModelVersion& v,
                                                          const std::string& actor) {
  MLPIPE_RETURN_IF_ERROR(ValidateModelName(v.model));
  if (v.bundle_hash.empty()) {
    return InvalidArgumentError("model version of '" + v.model + "': the bundle hash is empty");
  }
  ModelVersion out = v;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(SerializeWriters(db()));
    MLPIPE_RETURN_IF_ERROR(EnsureModel(db(), v.model, "", NowMicros()));
    MLPIPE_ASSIGN_OR_RETURN(
        auto rows,
        db().Query("SELECT MAX(version) FROM model_versions WHERE model = ?", {v.model}));
    out.version = (rows.empty() || rows[0].IsNull(0)) ? 1 : rows[0].Int(0) + 1;
    if (out.metrics_json.empty()) out.metrics_json = "{}";
    const std::string status(ModelVersionStatusName(out.status));
    // The audit entry comes first so that the version takes its time exactly.
    core::Json details = {
        {"bundle_hash", out.bundle_hash}, {"run_id", out.run_id}, {"status", status}};
    MLPIPE_ASSIGN_OR_RETURN(
        AuditEntry entry,
        AppendAuditInTransaction(actor, "model.register", VersionRefText(out.model, out.version),
                                 details.dump()));
    out.created_us = entry.time_us;
    SqlValue run_id = out.run_id.empty() ? SqlValue() : SqlValue(out.run_id);
    std::string sql = "INSERT INTO model_versions (";
    sql.append(kVersionColumns).append(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    MLPIPE_RETURN_IF_ERROR(
        db().Exec(sql, {out.model, out.version, out.bundle_hash, run_id, out.metrics_json, status,
                        out.description, out.created_us})
            .status());
    if (!out.tags.empty()) {
      std::vector<std::vector<SqlValue>> tag_rows;
      for (const auto& [key, value] : out.tags) {
        tag_rows.push_back({out.model, out.version, key, value});
      }
      MLPIPE_RETURN_IF_ERROR(db().ExecBatch(
          "INSERT INTO model_version_tags (model, version, key, value) VALUES (?, ?, ?, ?)",
          tag_rows));
    }
    return Status::OK();
  }));
  return out;
}

Result<ModelVersion> SqlMetadataStore::GetModelVersion(const std::string& model, int64_t version) {
  return LoadVersion(db(), model, version);
}

Result<std::vector<ModelVersion>> SqlMetadataStore::ListModelVersions(const std::string& model) {
  MLPIPE_RETURN_IF_ERROR(RequireModel(db(), model));
  std::string sql = "SELECT ";
  sql.append(kVersionColumns).append(" FROM model_versions WHERE model = ? ORDER BY version");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db().Query(sql, {model}));
  MLPIPE_ASSIGN_OR_RETURN(
      auto tag_rows,
      db().Query("SELECT version, key, value FROM model_version_tags WHERE model = ?", {model}));
  std::map<int64_t, std::map<std::string, std::string>> tags;
  for (const SqlRow& r : tag_rows) tags[r.Int(0)][r.Text(1)] = r.Text(2);
  std::vector<ModelVersion> out;
  for (const SqlRow& r : rows) {
    MLPIPE_ASSIGN_OR_RETURN(ModelVersion v, VersionFromRow(r));
    v.tags = tags[v.version];
    out.push_back(std::move(v));
  }
  return out;
}

Status SqlMetadataStore::SetModelVersionStatus(const std::string& model, int64_t version,
                                               ModelVersionStatus status, const std::string& actor,
                                               const std::string& reason) {
  return InTransaction(db(), [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(SerializeWriters(db()));
    MLPIPE_ASSIGN_OR_RETURN(ModelVersion current, LoadVersion(db(), model, version));
    // Setting the status it already has changes nothing and records nothing.
    if (current.status == status) return Status::OK();
    const std::string from(ModelVersionStatusName(current.status));
    const std::string to(ModelVersionStatusName(status));
    MLPIPE_RETURN_IF_ERROR(
        db().Exec("UPDATE model_versions SET status = ? WHERE model = ? AND version = ?",
                  {to, model, version})
            .status());
    core::Json details = {{"from", from}, {"to", to}, {"reason", reason}};
    return AppendAuditInTransaction(actor, "model.status", VersionRefText(model, version),
                                    details.dump())
        .status();
  });
}

Result<ModelVersion> SqlMetadataStore::ResolveModel(const VersionRef& ref) {
  if (!ref.alias.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(auto rows,
                            db().Query("SELECT version FROM aliases WHERE model = ? AND alias = ?",
                                       {ref.name, ref.alias}));
    if (rows.empty()) {
      MLPIPE_RETURN_IF_ERROR(RequireModel(db(), ref.name));
      MLPIPE_ASSIGN_OR_RETURN(auto aliases, LoadAliases(db(), ref.name));
      std::vector<std::string> names;
      for (const auto& [name, version] : aliases) names.push_back(name);
      return NotFoundError("model '" + ref.name + "' has no alias '" + ref.alias +
                           "' (aliases: " + JoinStrings(names) + ")");
    }
    return LoadVersion(db(), ref.name, rows[0].Int(0));
  }
  if (ref.version.has_value()) return LoadVersion(db(), ref.name, *ref.version);
  MLPIPE_ASSIGN_OR_RETURN(
      auto rows, db().Query("SELECT MAX(version) FROM model_versions WHERE model = ?", {ref.name}));
  if (rows.empty() || rows[0].IsNull(0)) {
    MLPIPE_RETURN_IF_ERROR(RequireModel(db(), ref.name));
    return NotFoundError("model '" + ref.name + "' has no versions yet");
  }
  return LoadVersion(db(), ref.name, rows[0].Int(0));
}

Status SqlMetadataStore::MoveAlias(const std::string& model, const std::string& alias,
                                   int64_t version, const std::string& actor,
                                   const std::string& reason) {
  MLPIPE_RETURN_IF_ERROR(ValidateAlias(model, alias));
  if (version < 0) {
    return InvalidArgumentError("alias '" + alias + "' of model '" + model +
                                "': version must be positive (or 0 to remove the alias), got " +
                                std::to_string(version));
  }
  return InTransaction(db(), [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(SerializeWriters(db()));
    MLPIPE_RETURN_IF_ERROR(RequireModel(db(), model));
    if (version > 0) MLPIPE_RETURN_IF_ERROR(LoadVersion(db(), model, version).status());
    MLPIPE_ASSIGN_OR_RETURN(
        auto rows,
        db().Query("SELECT version FROM aliases WHERE model = ? AND alias = ?", {model, alias}));
    const int64_t from = rows.empty() ? 0 : rows[0].Int(0);
    if (from == version) return Status::OK();  // already there: nothing to record
    if (version == 0) {
      MLPIPE_RETURN_IF_ERROR(
          db().Exec("DELETE FROM aliases WHERE model = ? AND alias = ?", {model, alias}).status());
    } else {
      MLPIPE_RETURN_IF_ERROR(
          db().Exec("INSERT INTO aliases (model, alias, version) VALUES (?, ?, ?) "
                    "ON CONFLICT (model, alias) DO UPDATE SET version = "
                    "excluded.version",
                    {model, alias, version})
              .status());
    }
    core::Json details = {{"alias", alias}, {"from", from}, {"to", version}, {"reason", reason}};
    std::string subject = model;
    subject.append("@").append(alias);
    // The history row takes the audit entry's time, so the two agree exactly.
    MLPIPE_ASSIGN_OR_RETURN(AuditEntry entry,
                            AppendAuditInTransaction(actor, "alias.move", subject, details.dump()));
    return db()
        .Exec(
            "INSERT INTO alias_history (model, alias, from_version, to_version, actor, "
            "time_us, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {model, alias, from, version, actor, entry.time_us, reason})
        .status();
  });
}

Result<std::vector<AliasMove>> SqlMetadataStore::AliasHistory(const std::string& model,
                                                              std::optional<int64_t> at_us) {
  MLPIPE_RETURN_IF_ERROR(RequireModel(db(), model));
  std::string sql =
      "SELECT model, alias, from_version, to_version, actor, time_us, reason FROM alias_history "
      "WHERE model = ?";
  std::vector<SqlValue> params = {model};
  if (at_us.has_value()) {
    sql.append(" AND time_us <= ?");
    params.emplace_back(*at_us);
  }
  sql.append(" ORDER BY time_us, id");
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db().Query(sql, params));
  std::vector<AliasMove> out;
  for (const SqlRow& r : rows) {
    AliasMove m;
    m.model = r.Text(0);
    m.alias = r.Text(1);
    m.from_version = r.Int(2);
    m.to_version = r.Int(3);
    m.actor = r.Text(4);
    m.time_us = r.Int(5);
    m.reason = r.Text(6);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace mlpipe::store
