// Opening a metadata store: choosing the driver from the URI and bringing the
// schema up to date. Migrations run inside one write transaction, so two
// processes opening a fresh store at once apply each migration exactly once.
#include "sql_metadata_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "http_metadata_store.h"
#include "mlpipe/core/env.h"
#include "schema.h"

namespace mlpipe::store {
namespace {

constexpr const char* kCreateSchemaVersion =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version BIGINT NOT NULL PRIMARY KEY, applied_us BIGINT NOT NULL)";

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

Status InsertRows(SqlConnection& db, std::string_view head, size_t arity,
                  const std::vector<std::vector<SqlValue>>& rows, std::string_view tail) {
  if (arity == 0) return InvalidArgumentError("InsertRows: rows without values");
  for (const auto& row : rows) {
    if (row.size() != arity) {
      return InvalidArgumentError("InsertRows: a row of " + std::to_string(row.size()) +
                                  " values where the statement takes " + std::to_string(arity) +
                                  " in: " + std::string(head));
    }
  }
  std::string group = "(";
  for (size_t j = 0; j < arity; ++j) group.append(j == 0 ? "?" : ", ?");
  group.push_back(')');
  if (db.dialect() == SqlDialect::kSqlite) {
    std::string one(head);
    one.append(group).append(tail);
    return db.ExecBatch(one, rows);
  }
  // At most kMaxValues values per statement (PostgreSQL allows 65,535); up to
  // kExactRows rows go as one statement of exactly that many.
  constexpr size_t kMaxValues = 2500;
  constexpr size_t kExactRows = 16;
  const size_t max_rows = std::max<size_t>(1, kMaxValues / arity);
  std::string sql;
  std::vector<SqlValue> params;
  for (size_t done = 0; done < rows.size();) {
    const size_t left = rows.size() - done;
    size_t n = max_rows;
    if (left <= std::min(kExactRows, max_rows)) {
      n = left;
    } else if (left < max_rows) {
      n = kExactRows;
      while (n * 2 <= left) n *= 2;
    }
    sql.assign(head);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) sql.append(", ");
      sql.append(group);
    }
    sql.append(tail);
    params.clear();
    params.reserve(n * arity);
    for (size_t i = done; i < done + n; ++i) {
      params.insert(params.end(), rows[i].begin(), rows[i].end());
    }
    MLPIPE_RETURN_IF_ERROR(db.Exec(sql, params).status());
    done += n;
  }
  return Status::OK();
}

Status SqlMetadataStore::Migrate() {
  const std::vector<std::string> migrations = SchemaMigrations(db_->dialect());
  const auto latest = static_cast<int64_t>(migrations.size());
  return InTransaction(*db_, [&]() -> Status {
    if (db_->dialect() == SqlDialect::kPostgres) {
      // CREATE TABLE IF NOT EXISTS is not safe against a concurrent creator on
      // PostgreSQL; a transaction-scoped advisory lock serialises migrators.
      MLPIPE_RETURN_IF_ERROR(db_->Query("SELECT pg_advisory_xact_lock(7262616)").status());
    }
    MLPIPE_RETURN_IF_ERROR(db_->ExecScript(kCreateSchemaVersion));
    MLPIPE_ASSIGN_OR_RETURN(auto rows,
                            db_->Query("SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    const int64_t current = rows.empty() ? 0 : rows[0].Int(0);
    if (current > latest) {
      return FailedPreconditionError("metadata store schema version " + std::to_string(current) +
                                     " is newer than this mlpipe supports (" +
                                     std::to_string(latest) + "); upgrade mlpipe");
    }
    for (int64_t v = current + 1; v <= latest; ++v) {
      MLPIPE_RETURN_IF_ERROR(
          db_->ExecScript(migrations[v - 1]).WithContext("schema migration " + std::to_string(v)));
      MLPIPE_RETURN_IF_ERROR(
          db_->Exec("INSERT INTO schema_version (version, applied_us) VALUES (?, ?)",
                    {v, NowMicros()})
              .status());
    }
    return Status::OK();
  });
}

Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& uri, core::Env* env) {
  // A tracking server (`mlpipe serve --tracking`) speaks for its own store.
  if (StartsWith(uri, "http://")) return OpenHttpMetadataStore(uri);
  if (StartsWith(uri, "https://")) {
    return InvalidArgumentError("store " + uri +
                                ": https is not supported yet; use http:// on a trusted network");
  }
  std::unique_ptr<SqlConnection> db;
  if (StartsWith(uri, "postgresql://") || StartsWith(uri, "postgres://")) {
    MLPIPE_ASSIGN_OR_RETURN(db, OpenPostgres(uri));
  } else {
    MLPIPE_ASSIGN_OR_RETURN(db, OpenSqlite(uri));
  }
  auto store = std::make_unique<SqlMetadataStore>(std::move(db),
                                                  env != nullptr ? env : core::Env::Default());
  MLPIPE_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<MetadataStore>(std::move(store));
}

}  // namespace mlpipe::store
