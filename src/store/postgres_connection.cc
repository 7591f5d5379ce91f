// The PostgreSQL driver of SqlConnection (libpqxx 6.4): `?` placeholders
// become $1..$n, every statement is prepared once per connection and cached by
// its text, values travel as text and come back typed by the column's type.
// Every pqxx exception is caught here and becomes a Status.
//
// NOTE TO THE STORE CODE (audit_records.cc and every read-then-write):
// Begin() takes one transaction-scoped advisory lock per database
// (pg_advisory_xact_lock) before returning, which is the PostgreSQL twin of
// SQLite's BEGIN IMMEDIATE promised by sql.h: two transactions opened with
// Begin() never interleave their writes, so reading the audit chain head (or
// MAX(version)) and appending after it inside Begin/Commit is serialized on
// both backends and needs no `LOCK TABLE audit IN EXCLUSIVE MODE`. Writes made
// outside Begin() (autocommit) do not take the lock: keep every chained or
// numbered append inside a transaction.
// Unlike SQLite, a failed statement inside a PostgreSQL transaction aborts the
// whole transaction: a transaction must not "try an INSERT and fall back on a
// constraint error"; use INSERT ... ON CONFLICT DO NOTHING (both dialects) or
// check first, and Rollback() after any error.
#include <pqxx/pqxx>

#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sql.h"

namespace mlpipe::store {
namespace {

// Key of the advisory lock Begin() takes: "mlpipe" in ASCII.
constexpr int64_t kWriteLockKey = 0x6d6c70697065;
// How long Begin() (and any statement) waits for a lock before kUnavailable.
constexpr const char* kLockTimeout = "30s";

// ExecBatch sends batches of at least this many rows as chunks of EXECUTE
// statements of about kChunkBytes each.
constexpr size_t kPipelineMinRows = 16;
constexpr size_t kChunkBytes = 256 * 1024;

// PostgreSQL type OIDs (pg_type.h) of the columns read as numbers.
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kFloat4Oid = 700;
constexpr pqxx::oid kFloat8Oid = 701;
constexpr pqxx::oid kNumericOid = 1700;

// The statement's start, for error messages.
std::string StatementHead(std::string_view sql) {
  size_t b = 0;
  while (b < sql.size() && std::isspace(static_cast<unsigned char>(sql[b]))) ++b;
  std::string head;
  for (size_t i = b; i < sql.size() && head.size() < 80; ++i) {
    head.push_back(sql[i] == '\n' || sql[i] == '\t' ? ' ' : sql[i]);
  }
  if (sql.size() - b > 80) head.append("...");
  return head;
}

// pqxx messages read "ERROR:  text\nDETAIL: ...\n"; keep it on one line.
std::string CleanMessage(std::string_view what) {
  std::string_view w = what;
  if (w.rfind("ERROR:", 0) == 0) w.remove_prefix(6);
  while (!w.empty() && std::isspace(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
  while (!w.empty() && std::isspace(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
  std::string out;
  for (char c : w) {
    if (c == '\n') {
      out.append("; ");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool IsUnavailableState(const std::string& state) {
  return state == "40001"                // serialization_failure
         || state == "40P01"             // deadlock_detected
         || state == "55P03"             // lock_not_available (lock_timeout)
         || state == "57014"             // query_canceled (statement_timeout)
         || state.rfind("08", 0) == 0    // connection exceptions
         || state.rfind("53", 0) == 0    // insufficient resources, too many connections
         || state.rfind("57P", 0) == 0;  // admin / crash shutdown
}

Status SqlStateError(const std::string& state, const std::string& what, std::string_view sql) {
  std::string msg = "PostgreSQL: ";
  msg.append(CleanMessage(what));
  msg.append(" (SQLSTATE ").append(state).append(") in: ").append(StatementHead(sql));
  if (IsUnavailableState(state)) return UnavailableError(std::move(msg));
  // Constraint violations map as the SQLite driver maps them.
  if (state == "23505") return AlreadyExistsError(std::move(msg));       // unique_violation
  if (state == "23503") return FailedPreconditionError(std::move(msg));  // foreign_key_violation
  if (state.rfind("23", 0) == 0) return InvalidArgumentError(std::move(msg));  // not null, check
  if (state.rfind("22", 0) == 0) return InvalidArgumentError(std::move(msg));  // bad data
  return InternalError(std::move(msg));  // syntax, undefined table: a bug in mlpipe's SQL
}

// Maps the exception being handled to a Status. Call only inside a catch block.
Status CurrentExceptionToStatus(std::string_view sql) {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    return SqlStateError(e.sqlstate(), e.what(), sql);
  } catch (const pqxx::broken_connection& e) {
    std::string msg = "PostgreSQL connection lost: ";
    msg.append(CleanMessage(e.what())).append(" in: ").append(StatementHead(sql));
    return UnavailableError(std::move(msg));
  } catch (const pqxx::in_doubt_error& e) {
    std::string msg = "PostgreSQL: connection lost during COMMIT, outcome unknown: ";
    msg.append(CleanMessage(e.what()));
    return UnavailableError(std::move(msg));
  } catch (const pqxx::transaction_rollback& e) {  // serialization failure, deadlock
    std::string msg = "PostgreSQL: transaction rolled back, retry: ";
    msg.append(CleanMessage(e.what())).append(" in: ").append(StatementHead(sql));
    return UnavailableError(std::move(msg));
  } catch (const std::exception& e) {
    std::string msg = "PostgreSQL driver: ";
    msg.append(CleanMessage(e.what())).append(" in: ").append(StatementHead(sql));
    return InternalError(std::move(msg));
  } catch (...) {
    std::string msg = "PostgreSQL driver: unknown exception in: ";
    msg.append(StatementHead(sql));
    return InternalError(std::move(msg));
  }
}

// Rewrites `?` as $1..$n outside string literals, quoted identifiers and
// comments; `count` receives n.
std::string TranslatePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  auto copy_until = [&](std::string_view end) {
    size_t stop = sql.find(end, i);
    stop = stop == std::string_view::npos ? sql.size() : stop + end.size();
    out.append(sql.substr(i, stop - i));
    i = stop;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {  // '' inside a literal reads as the end and start of two literals
      out.push_back(c);
      ++i;
      copy_until("'");
    } else if (c == '"') {
      out.push_back(c);
      ++i;
      copy_until("\"");
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      out.append("/*");
      i += 2;
      copy_until("*/");
    } else if (c == '?') {
      out.push_back('$');
      out.append(std::to_string(++n));
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  *count = n;
  return out;
}

std::string DoubleText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);  // shortest text that round-trips
  return std::string(buf, r.ptr);
}

// Parameters as libpq text values: `text` owns the strings, `ptrs` point into
// it (nullptr is NULL).
struct TextParams {
  std::vector<std::string> text;
  std::vector<const char*> ptrs;

  explicit TextParams(const std::vector<SqlValue>& values) {
    text.resize(values.size());
    ptrs.resize(values.size(), nullptr);
    for (size_t i = 0; i < values.size(); ++i) {
      const SqlValue& v = values[i];
      if (std::holds_alternative<int64_t>(v)) {
        text[i] = std::to_string(std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        text[i] = DoubleText(std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        text[i] = std::get<std::string>(v);
      } else {
        continue;  // NULL
      }
      ptrs[i] = text[i].c_str();
    }
  }
};

SqlValue ReadField(const pqxx::field& f, pqxx::oid type) {
  if (f.is_null()) return std::monostate{};
  std::string_view s(f.c_str(), f.size());
  switch (type) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid: {
      int64_t v = 0;
      std::from_chars(s.data(), s.data() + s.size(), v);
      return v;
    }
    case kBoolOid:
      return int64_t{s == "t" ? 1 : 0};
    case kNumericOid: {
      // SUM() of BIGINT is NUMERIC in PostgreSQL but an integer in SQLite:
      // integral values that fit read as int64 so both backends agree.
      int64_t iv = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), iv);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return iv;
      [[fallthrough]];
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double v = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      if (r.ec != std::errc()) {
        // "Infinity", "-Infinity", "NaN" (from_chars takes "inf"/"nan" only on some versions).
        if (s == "Infinity") return HUGE_VAL;
        if (s == "-Infinity") return -HUGE_VAL;
        if (s == "NaN") return std::nan("");
      }
      return v;
    }
    default:
      return std::string(s);
  }
}

std::vector<SqlRow> ReadRows(const pqxx::result& r) {
  std::vector<SqlRow> rows;
  rows.reserve(r.size());
  const auto cols = r.columns();
  std::vector<pqxx::oid> types(cols);
  for (pqxx::row::size_type c = 0; c < cols; ++c) types[c] = r.column_type(c);
  for (const auto& row : r) {
    SqlRow out;
    out.values.reserve(cols);
    for (pqxx::row::size_type c = 0; c < cols; ++c)
      out.values.push_back(ReadField(row[c], types[c]));
    rows.push_back(std::move(out));
  }
  return rows;
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(std::unique_ptr<pqxx::connection> conn) : conn_(std::move(conn)) {}
  ~PostgresConnection() override {
    try {
      if (work_) work_->abort();
    } catch (...) {
    }
    work_.reset();
  }

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }

  Status ExecScript(std::string_view sql) override {
    try {
      if (work_) {
        work_->exec(std::string(sql));
      } else {
        // Several statements in one simple query run as one implicit transaction.
        pqxx::nontransaction tx(*conn_);
        tx.exec(std::string(sql));
      }
      return Status::OK();
    } catch (...) {
      return Failed(CurrentExceptionToStatus(sql));
    }
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    std::vector<SqlRow> rows;
    MLPIPE_RETURN_IF_ERROR(
        Run(sql, params, [&rows](const pqxx::result& r) { rows = ReadRows(r); }));
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
    int64_t n = 0;
    MLPIPE_RETURN_IF_ERROR(Run(
        sql, params, [&n](const pqxx::result& r) { n = static_cast<int64_t>(r.affected_rows()); }));
    return n;
  }

  Status ExecBatch(std::string_view sql, const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return Status::OK();
    MLPIPE_ASSIGN_OR_RETURN(const Prepared* p, Prepare(sql));
    for (size_t i = 0; i < rows.size(); ++i) {
      MLPIPE_RETURN_IF_ERROR(CheckArity(*p, sql, rows[i].size()));
    }
    // Outside a transaction the batch gets its own: one commit, all or nothing.
    const bool own = !work_;
    if (own) MLPIPE_RETURN_IF_ERROR(BeginUnlocked());
    try {
      if (rows.size() < kPipelineMinRows) {
        for (const auto& row : rows) {
          TextParams tp(row);
          work_->exec_prepared(p->name, pqxx::prepare::make_dynamic_params(tp.ptrs));
        }
      } else {
        ExecuteInChunks(*p, rows);
      }
    } catch (...) {
      Status s = Failed(CurrentExceptionToStatus(sql));
      if (own) (void)Rollback();
      return s;
    }
    return own ? Commit() : Status::OK();
  }

  Status Begin() override {
    MLPIPE_RETURN_IF_ERROR(BeginUnlocked());
    try {
      work_->exec_params("SELECT pg_advisory_xact_lock($1)", kWriteLockKey);
      return Status::OK();
    } catch (...) {
      Status s = CurrentExceptionToStatus("BEGIN (pg_advisory_xact_lock)");
      (void)Rollback();
      return s;
    }
  }

  Status Commit() override {
    if (!work_) return FailedPreconditionError("PostgreSQL: COMMIT without an open transaction");
    std::unique_ptr<pqxx::work> w = std::move(work_);
    Status earlier = std::exchange(tx_error_, Status::OK());
    if (!earlier.ok()) {
      // SQLite would commit the statements that succeeded; PostgreSQL cannot.
      try {
        w->abort();
      } catch (...) {
      }
      std::string msg =
          "PostgreSQL: COMMIT refused, the transaction was rolled back by an earlier error: ";
      msg.append(earlier.message());
      return Status(earlier.code(), std::move(msg));
    }
    try {
      w->commit();
      return Status::OK();
    } catch (...) {
      return CurrentExceptionToStatus("COMMIT");
    }
  }

  Status Rollback() override {
    if (!work_) return Status::OK();  // nothing open, as in the SQLite driver
    std::unique_ptr<pqxx::work> w = std::move(work_);
    tx_error_ = Status::OK();
    try {
      w->abort();
      return Status::OK();
    } catch (...) {
      return CurrentExceptionToStatus("ROLLBACK");
    }
  }

 private:
  struct Prepared {
    std::string name;
    int arity = 0;
  };

  Status BeginUnlocked() {
    if (work_) return FailedPreconditionError("PostgreSQL: BEGIN inside an open transaction");
    try {
      work_ = std::make_unique<pqxx::work>(*conn_);
      tx_error_ = Status::OK();
      return Status::OK();
    } catch (...) {
      work_.reset();
      return CurrentExceptionToStatus("BEGIN");
    }
  }

  // Translates and registers `sql` once; later calls reuse the statement.
  Result<const Prepared*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it != prepared_.end()) return &it->second;
    Prepared p;
    std::string translated = TranslatePlaceholders(sql, &p.arity);
    p.name = "mlpipe_s";
    p.name.append(std::to_string(prepared_.size() + 1));
    try {
      // pqxx sends the PREPARE lazily, on first execution, in whatever
      // transaction runs it.
      conn_->prepare(p.name, translated);
    } catch (...) {
      return CurrentExceptionToStatus(sql);
    }
    return &prepared_.emplace(std::move(key), std::move(p)).first->second;
  }

  // Sends the rows as `EXECUTE name('v1', ...);` lines, many per round trip:
  // one exec_prepared per row costs a network round trip each (about 60 us
  // on localhost), which dominates large batches. Values travel as quoted
  // literals of unknown type, which PostgreSQL coerces to each parameter's
  // type as it does for the text values of exec_prepared. Throws as pqxx does.
  void ExecuteInChunks(const Prepared& p, const std::vector<std::vector<SqlValue>>& rows) {
    conn_->prepare_now(p.name);  // EXECUTE needs it on the server, not just in pqxx
    std::string chunk;
    for (size_t i = 0; i < rows.size(); ++i) {
      chunk.append("EXECUTE ").append(p.name);
      if (!rows[i].empty()) {
        TextParams tp(rows[i]);
        chunk.push_back('(');
        for (size_t j = 0; j < tp.ptrs.size(); ++j) {
          if (j > 0) chunk.push_back(',');
          if (tp.ptrs[j] == nullptr) {
            chunk.append("NULL");
          } else {
            // esc() doubles quotes; backslashes are plain characters under
            // standard_conforming_strings, which OpenPostgres turns on.
            chunk.push_back('\'');
            chunk.append(work_->esc(tp.text[j]));
            chunk.push_back('\'');
          }
        }
        chunk.push_back(')');
      }
      chunk.append(";\n");
      if (chunk.size() >= kChunkBytes || i + 1 == rows.size()) {
        work_->exec(chunk);
        chunk.clear();
      }
    }
  }

  static Status CheckArity(const Prepared& p, std::string_view sql, size_t given) {
    if (static_cast<size_t>(p.arity) == given) return Status::OK();
    std::string msg = "PostgreSQL: statement has ";
    msg.append(std::to_string(p.arity))
        .append(" placeholders but ")
        .append(std::to_string(given))
        .append(" values were bound in: ")
        .append(StatementHead(sql));
    return InvalidArgumentError(std::move(msg));
  }

  // Runs one prepared statement in the open transaction, or in autocommit.
  template <typename F>
  Status Run(std::string_view sql, const std::vector<SqlValue>& params, F&& consume) {
    MLPIPE_ASSIGN_OR_RETURN(const Prepared* p, Prepare(sql));
    MLPIPE_RETURN_IF_ERROR(CheckArity(*p, sql, params.size()));
    TextParams tp(params);
    try {
      if (work_) {
        consume(work_->exec_prepared(p->name, pqxx::prepare::make_dynamic_params(tp.ptrs)));
      } else {
        pqxx::nontransaction tx(*conn_);
        consume(tx.exec_prepared(p->name, pqxx::prepare::make_dynamic_params(tp.ptrs)));
      }
      return Status::OK();
    } catch (...) {
      return Failed(CurrentExceptionToStatus(sql));
    }
  }

  // Records the first error of the open transaction: PostgreSQL has aborted
  // it, and its COMMIT would silently roll back.
  Status Failed(Status s) {
    if (work_ && tx_error_.ok()) tx_error_ = s;
    return s;
  }

  std::unique_ptr<pqxx::connection> conn_;              // declared first: outlives work_
  std::unique_ptr<pqxx::work> work_;                    // the transaction between Begin and Commit
  Status tx_error_;                                     // first failure inside work_, if any
  std::unordered_map<std::string, Prepared> prepared_;  // by original SQL text
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenPostgres(const std::string& uri) {
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(uri);
    // Notices (e.g. "relation already exists, skipping") would go to stderr.
    pqxx::nontransaction tx(*conn);
    std::string setup =
        "SET client_min_messages = warning; SET standard_conforming_strings = on; "
        "SET lock_timeout = '";
    setup.append(kLockTimeout).append("'");
    tx.exec(setup);
  } catch (const pqxx::broken_connection& e) {
    std::string msg = "cannot connect to PostgreSQL: ";
    msg.append(CleanMessage(e.what()));
    return UnavailableError(std::move(msg));
  } catch (...) {
    return CurrentExceptionToStatus("connect");
  }
  return std::unique_ptr<SqlConnection>(std::make_unique<PostgresConnection>(std::move(conn)));
}

}  // namespace mlpipe::store
