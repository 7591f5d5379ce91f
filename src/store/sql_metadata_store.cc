// Opening a metadata store: choosing the driver from the URI and bringing the
// schema up to date. Migrations run inside one write transaction, so two
// processes opening a fresh store at once apply each migration exactly once.
#include "sql_metadata_store.h"

#include <memory>
#include <string>

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

int64_t StoreNowMicros() { return core::Env::Default()->NowMicros(); }

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
                    {v, StoreNowMicros()})
              .status());
    }
    return Status::OK();
  });
}

Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& uri) {
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
  auto store = std::make_unique<SqlMetadataStore>(std::move(db));
  MLPIPE_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<MetadataStore>(std::move(store));
}

}  // namespace mlpipe::store
