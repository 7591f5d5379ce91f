// Data versions: NAME@1, NAME@2, ... each a content hash (the file's object in
// the ObjectStore) with its size, row count, schema and profile summary. Also
// ReferencedObjects, the set of object hashes any record points at, which the
// object store's garbage collector keeps.
#include <string>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "sql_metadata_store.h"

namespace mlpipe::store {
namespace {

constexpr const char* kDatasetColumns =
    "name, version, hash, size, rows_count, schema_json, profile_json, source_path, created_us, "
    "created_by";

// On PostgreSQL, serializes writers (read the latest version, then insert the
// next) the way SQLite's BEGIN IMMEDIATE does, by taking the audit log's lock
// first; every data write appends to the audit log anyway.
Status SerializeWriters(SqlConnection& db) {
  if (db.dialect() != SqlDialect::kPostgres) return Status::OK();
  return db.Exec("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE").status();
}

DatasetVersion VersionFromRow(const SqlRow& r) {
  DatasetVersion v;
  v.name = r.Text(0);
  v.version = r.Int(1);
  v.hash = r.Text(2);
  v.size = static_cast<uint64_t>(r.Int(3));
  v.rows = r.Int(4);
  v.schema_json = r.Text(5);
  v.profile_json = r.Text(6);
  v.source_path = r.Text(7);
  v.created_us = r.Int(8);
  v.created_by = r.Text(9);
  return v;
}

std::string Join(const std::vector<std::string>& xs) {
  std::string s;
  for (const auto& x : xs) {
    if (!s.empty()) s.append(", ");
    s.append(x);
  }
  return s.empty() ? "none" : s;
}

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status ValidateDatasetName(const std::string& name) {
  auto ref = ParseVersionRef(name, false);
  if (!ref.ok() || ref->name != name) {
    return InvalidArgumentError("bad dataset name '" + name +
                                "': expected a letter or digit, then letters, digits, '.', '_' "
                                "or '-'");
  }
  return Status::OK();
}

// kNotFound naming the dataset and listing the existing ones.
Status DatasetNotFound(SqlConnection& db, const std::string& name) {
  std::vector<std::string> names;
  auto rows = db.Query("SELECT name FROM datasets ORDER BY name");
  if (rows.ok()) {
    for (const SqlRow& r : *rows) names.push_back(r.Text(0));
  }
  return NotFoundError("no dataset '" + name + "' (datasets: " + Join(names) + ")");
}

Result<std::vector<SqlRow>> QueryVersions(SqlConnection& db, const std::string& name) {
  std::string sql = "SELECT ";
  sql.append(kDatasetColumns).append(" FROM dataset_versions WHERE name = ? ORDER BY version");
  return db.Query(sql, {name});
}

}  // namespace

Result<DatasetVersion> SqlMetadataStore::AddDatasetVersion(const DatasetVersion& v, bool* existed,
                                                           const std::string& actor) {
  MLPIPE_RETURN_IF_ERROR(ValidateDatasetName(v.name));
  if (v.hash.empty()) return InvalidArgumentError("dataset '" + v.name + "': the hash is empty");
  if (existed != nullptr) *existed = false;
  DatasetVersion out = v;
  bool found = false;
  MLPIPE_RETURN_IF_ERROR(InTransaction(db(), [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(SerializeWriters(db()));
    std::string sql = "SELECT ";
    sql.append(kDatasetColumns)
        .append(" FROM dataset_versions WHERE name = ? ORDER BY version DESC LIMIT 1");
    MLPIPE_ASSIGN_OR_RETURN(auto latest, db().Query(sql, {v.name}));
    if (!latest.empty() && latest[0].Text(2) == v.hash) {
      out = VersionFromRow(latest[0]);
      found = true;
      return Status::OK();
    }
    out.version = latest.empty() ? 1 : latest[0].Int(1) + 1;
    out.created_by = v.created_by.empty() ? actor : v.created_by;
    // The audit entry comes first so that the version takes its time exactly.
    std::string subject = out.name;
    subject.append("@").append(std::to_string(out.version));
    core::Json details = {{"hash", out.hash}, {"size", out.size}, {"rows", out.rows}};
    MLPIPE_ASSIGN_OR_RETURN(AuditEntry entry,
                            AppendAuditInTransaction(actor, "data.add", subject, details.dump()));
    out.created_us = entry.time_us;
    if (latest.empty()) {
      MLPIPE_RETURN_IF_ERROR(db().Exec("INSERT INTO datasets (name, created_us) VALUES (?, ?) "
                                       "ON CONFLICT (name) DO NOTHING",
                                       {v.name, out.created_us})
                                 .status());
    }
    sql = "INSERT INTO dataset_versions (";
    sql.append(kDatasetColumns).append(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return db()
        .Exec(sql,
              {out.name, out.version, out.hash, static_cast<int64_t>(out.size), out.rows,
               out.schema_json, out.profile_json, out.source_path, out.created_us, out.created_by})
        .status();
  }));
  if (existed != nullptr) *existed = found;
  return out;
}

Result<DatasetVersion> SqlMetadataStore::GetDatasetVersion(const std::string& name,
                                                           std::optional<int64_t> version) {
  MLPIPE_ASSIGN_OR_RETURN(auto rows, QueryVersions(db(), name));
  if (rows.empty()) return DatasetNotFound(db(), name);
  if (!version.has_value()) return VersionFromRow(rows.back());
  std::string versions;
  for (const SqlRow& r : rows) {
    if (r.Int(1) == *version) return VersionFromRow(r);
    if (!versions.empty()) versions.append(", ");
    versions.append(std::to_string(r.Int(1)));
  }
  return NotFoundError("dataset '" + name + "' has no version " + std::to_string(*version) +
                       " (versions: " + versions + ")");
}

Result<std::vector<DatasetVersion>> SqlMetadataStore::ListDatasetVersions(const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(auto rows, QueryVersions(db(), name));
  if (rows.empty()) return DatasetNotFound(db(), name);
  std::vector<DatasetVersion> out;
  out.reserve(rows.size());
  for (const SqlRow& r : rows) out.push_back(VersionFromRow(r));
  return out;
}

Result<std::vector<std::string>> SqlMetadataStore::ListDatasets() {
  MLPIPE_ASSIGN_OR_RETURN(auto rows, db().Query("SELECT name FROM datasets ORDER BY name"));
  std::vector<std::string> out;
  for (const SqlRow& r : rows) out.push_back(r.Text(0));
  return out;
}

Result<std::set<std::string>> SqlMetadataStore::ReferencedObjects() {
  MLPIPE_ASSIGN_OR_RETURN(auto rows,
                          db().Query("SELECT object_hash FROM run_artifacts "
                                     "UNION SELECT hash FROM dataset_versions "
                                     "UNION SELECT bundle_hash FROM model_versions "
                                     "UNION SELECT hash FROM lineage_artifacts WHERE hash <> ''"));
  std::set<std::string> out;
  for (const SqlRow& r : rows) {
    std::string h = r.Text(0);
    if (IsSha256Hex(h)) out.insert(std::move(h));
  }
  return out;
}

}  // namespace mlpipe::store
