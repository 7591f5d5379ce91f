// The SQLite driver of SqlConnection: one sqlite3 handle in WAL mode with
// foreign keys on, a cache of prepared statements keyed by their SQL text, and
// transactions that take the write lock up front (BEGIN IMMEDIATE) and wait a
// bounded time for it.
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "mlpipe/core/env.h"
#include "sql.h"
#include "sqlite_connection.h"

namespace mlpipe::store {
namespace {

// The first ~80 characters of a statement, on one line, for error messages.
std::string Snippet(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    if (out.size() >= 80) {
      out.append("...");
      break;
    }
    char ch = (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(ch);
  }
  return out;
}

// Maps a SQLite result code to the Status code callers act on.
StatusCode CodeFor(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return StatusCode::kAlreadyExists;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return StatusCode::kFailedPrecondition;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return StatusCode::kInvalidArgument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kDataLoss;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return StatusCode::kIoError;
    default:
      return StatusCode::kInternal;
  }
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  // Sets the pragmas every connection needs. journal_mode=WAL needs a moment
  // of exclusive access on a fresh file, so it is retried while busy.
  Status Configure() {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms_);
    MLPIPE_RETURN_IF_ERROR(RetryWhileBusy(
        [&] { return sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr); },
        "PRAGMA journal_mode=WAL"));
    return ExecScript("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
  }

  Status ExecScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return Error(rc, msg, sql);
    }
    return Status::OK();
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    MLPIPE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    ResetOnExit reset{stmt};
    MLPIPE_RETURN_IF_ERROR(Bind(stmt, params, sql));
    std::vector<SqlRow> rows;
    const int ncol = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(rc, sqlite3_errmsg(db_), sql);
      SqlRow row;
      row.values.reserve(ncol);
      for (int c = 0; c < ncol; ++c) row.values.push_back(Column(stmt, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    MLPIPE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    ResetOnExit reset{stmt};
    MLPIPE_RETURN_IF_ERROR(Bind(stmt, params, sql));
    MLPIPE_RETURN_IF_ERROR(StepToEnd(stmt, sql));
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status ExecBatch(std::string_view sql, const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return Status::OK();
    MLPIPE_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    ResetOnExit reset{stmt};
    for (const auto& row : rows) {
      MLPIPE_RETURN_IF_ERROR(Bind(stmt, row, sql));
      MLPIPE_RETURN_IF_ERROR(StepToEnd(stmt, sql));
      sqlite3_reset(stmt);
    }
    return Status::OK();
  }

  Status Begin() override {
    return RetryWhileBusy([&] { return StepOnce("BEGIN IMMEDIATE"); }, "BEGIN IMMEDIATE");
  }
  Status Commit() override {
    return RetryWhileBusy([&] { return StepOnce("COMMIT"); }, "COMMIT");
  }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_) != 0) return Status::OK();  // nothing open
    int rc = StepOnce("ROLLBACK");
    return rc == SQLITE_OK ? Status::OK() : Error(rc, sqlite3_errmsg(db_), "ROLLBACK");
  }

 private:
  // Resets a cached statement and drops its bindings when a call ends, so that
  // the next user finds it clean and no read transaction is left open.
  struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };

  Status Error(int rc, std::string_view msg, std::string_view sql) const {
    std::string text = "sqlite ";
    text.append(path_).append(": ").append(msg);
    if (!sql.empty()) text.append(" (in `").append(Snippet(sql)).append("`)");
    return Status(CodeFor(rc), std::move(text));
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_finalize(stmt);
      return Error(rc, msg, sql);
    }
    if (stmt == nullptr) return InvalidArgumentError(Error(rc, "empty statement", sql).message());
    for (const char* p = tail; p != nullptr && *p != '\0'; ++p) {
      if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
        sqlite3_finalize(stmt);
        return InvalidArgumentError(
            Error(rc, "more than one statement; use ExecScript", sql).message());
      }
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // REQUIRES: `params` outlive the statement's execution (bound without copying).
  Status Bind(sqlite3_stmt* stmt, const std::vector<SqlValue>& params, std::string_view sql) {
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return InvalidArgumentError(Error(SQLITE_RANGE,
                                        "statement takes " + std::to_string(expected) +
                                            " parameters, " + std::to_string(params.size()) +
                                            " given",
                                        sql)
                                      .message());
    }
    for (int i = 0; i < expected; ++i) {
      const SqlValue& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, i + 1);
      } else if (const auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, i + 1, *n);
      } else if (const auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, i + 1, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, i + 1, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return Error(rc, sqlite3_errmsg(db_), sql);
    }
    return Status::OK();
  }

  static SqlValue Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_NULL:
        return std::monostate{};
      default: {  // TEXT or BLOB
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        int n = sqlite3_column_bytes(stmt, c);
        return std::string(p != nullptr ? p : "", static_cast<size_t>(n));
      }
    }
  }

  Status StepToEnd(sqlite3_stmt* stmt, std::string_view sql) {
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return Status::OK();
      if (rc != SQLITE_ROW) return Error(rc, sqlite3_errmsg(db_), sql);
    }
  }

  // Runs a parameterless cached statement once; returns SQLite's code.
  int StepOnce(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return SQLITE_ERROR;
    int rc = sqlite3_step(*stmt);
    sqlite3_reset(*stmt);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
  }

  // Calls `op` until it stops answering SQLITE_BUSY or the busy timeout
  // passes. SQLite's own busy handler covers most waits, but WAL recovery and
  // some lock paths return BUSY at once, hence the outer loop.
  template <typename Op>
  Status RetryWhileBusy(Op op, std::string_view what) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    for (int attempt = 0;; ++attempt) {
      int rc = op();
      if (rc == SQLITE_OK) return Status::OK();
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
        return Error(rc, sqlite3_errmsg(db_), what);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        std::string msg = "database is locked by another connection; gave up after ";
        msg.append(std::to_string(busy_timeout_ms_)).append(" ms");
        return Error(SQLITE_BUSY, msg, what);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(attempt < 10 ? 1 : 10));
    }
  }

  sqlite3* db_;
  std::string path_;
  int busy_timeout_ms_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenSqlite(const std::string& path, int busy_timeout_ms) {
  if (path.empty()) return InvalidArgumentError("sqlite: empty database path");
  const bool in_memory = path == ":memory:" || path.rfind("file:", 0) == 0;
  if (!in_memory) {
    std::string dir = core::DirName(path);
    if (!dir.empty()) {
      MLPIPE_RETURN_IF_ERROR(core::Env::Default()->CreateDirs(dir).WithContext(
          std::string("sqlite: creating the folder of ").append(path)));
    }
  }
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                    (in_memory ? SQLITE_OPEN_URI : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    std::string text = "sqlite ";
    text.append(path).append(": cannot open: ").append(msg);
    return Status(CodeFor(rc), std::move(text));
  }
  auto conn = std::make_unique<SqliteConnection>(db, path, busy_timeout_ms);
  MLPIPE_RETURN_IF_ERROR(conn->Configure());
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

Result<std::unique_ptr<SqlConnection>> OpenSqlite(const std::string& path) {
  return OpenSqlite(path, kSqliteBusyTimeoutMs);
}

}  // namespace mlpipe::store
