// SqlConnection: the small SQL surface the metadata store is written against,
// with one driver for SQLite (the embedded default) and one for PostgreSQL
// (the team store). The store's queries are written once, in the subset of SQL
// both speak; placeholders are written `?` and a driver translates them.
// Private to the store module (the store benchmark reaches in to bulk-load).
//
// Thread safety: a connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::store {

// One value bound to, or read from, a statement. monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

struct SqlRow {
  std::vector<SqlValue> values;

  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values[i]); }
  // Conversions are lenient the way SQL results need: an integer column read
  // as double converts; NULL reads as 0 / "".
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  std::string Text(size_t i) const;
};

enum class SqlDialect { kSqlite, kPostgres };

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual SqlDialect dialect() const = 0;

  // Runs one or more statements without parameters (schema migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Runs one statement with `?` placeholders; returns every row it yields.
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
  // Runs one statement with `?` placeholders; returns the rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Runs one statement once per parameter row, prepared once (batch inserts).
  virtual Status ExecBatch(std::string_view sql,
                           const std::vector<std::vector<SqlValue>>& rows) = 0;

  // Transactions. Begin takes the write lock up front (SQLite BEGIN IMMEDIATE),
  // so two writers never deadlock on a lock upgrade; busy waits are bounded by
  // the driver's timeout and then fail with kUnavailable.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
};

// Opens (creating if needed) a SQLite database file with WAL journaling,
// foreign keys on and a busy timeout.
Result<std::unique_ptr<SqlConnection>> OpenSqlite(const std::string& path);
// Connects to PostgreSQL; `uri` is a libpq connection URI (postgresql://...).
Result<std::unique_ptr<SqlConnection>> OpenPostgres(const std::string& uri);

// Runs `body` inside Begin/Commit; rolls back when it returns an error.
template <typename F>
Status InTransaction(SqlConnection& c, F&& body) {
  if (Status s = c.Begin(); !s.ok()) return s;
  Status s = body();
  if (!s.ok()) {
    (void)c.Rollback();
    return s;
  }
  return c.Commit();
}

}  // namespace mlpipe::store
