// The SQLite driver of SqlConnection and the opening of a store: values
// round-trip, errors carry codes and the failing SQL, transactions roll back,
// batches, lock waits end in kUnavailable, and migrations are idempotent and
// safe under concurrent opens. The file is checked independently with the
// sqlite3 command-line tool and Python's sqlite3 module.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "mlpipe/store/metadata_store.h"
#include "schema.h"
#include "sql.h"
#include "sql_metadata_store.h"
#include "sqlite_connection.h"

namespace mlpipe::store {
namespace {

// Runs a shell command and returns its standard output.
std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-sql-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/db/test.db";  // the driver creates the "db" folder
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<SqlConnection> Open(int timeout_ms = kSqliteBusyTimeoutMs) {
    auto c = OpenSqlite(path_, timeout_ms);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }

  std::string dir_;
  std::string path_;
};

TEST(SqlRowTest, LenientConversions) {
  SqlRow row{{std::monostate{}, int64_t{7}, 2.5, std::string("42"), std::string("x")}};
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_EQ(row.Double(0), 0.0);
  EXPECT_EQ(row.Text(0), "");
  EXPECT_EQ(row.Double(1), 7.0);
  EXPECT_EQ(row.Text(1), "7");
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_EQ(row.Text(2), "2.5");
  EXPECT_EQ(row.Int(3), 42);
  EXPECT_EQ(row.Double(3), 42.0);
  EXPECT_EQ(row.Int(4), 0);
}

TEST_F(SqliteTest, CreatesFolderAndUsesWalAndForeignKeys) {
  auto c = Open();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->dialect(), SqlDialect::kSqlite);
  auto mode = c->Query("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ((*mode)[0].Text(0), "wal");
  auto fk = c->Query("PRAGMA foreign_keys");
  ASSERT_TRUE(fk.ok());
  EXPECT_EQ((*fk)[0].Int(0), 1);
  auto sync = c->Query("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ((*sync)[0].Int(0), 1);  // NORMAL
  EXPECT_TRUE(std::filesystem::exists(path_));
}

TEST_F(SqliteTest, ValuesRoundTrip) {
  auto c = Open();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)").ok());
  constexpr char kWeird[] = "caf\xc3\xa9 \0 'quoted' \"x\"";
  const std::string weird(kWeird, sizeof(kWeird) - 1);  // 20 bytes with a NUL inside
  const std::vector<std::vector<SqlValue>> in = {
      {std::numeric_limits<int64_t>::min(), -1.5, std::string(""), std::monostate{}},
      {std::numeric_limits<int64_t>::max(), 1e-300, weird, std::monostate{}},
      {int64_t{0}, std::numeric_limits<double>::infinity(), std::string(10000, 'z'),
       std::string("not null")},
      {int64_t{-1}, 0.1 + 0.2, std::string("line1\nline2"), std::monostate{}},
  };
  for (const auto& row : in) {
    auto n = c->Exec("INSERT INTO t VALUES (?, ?, ?, ?)", row);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(*n, 1);
  }
  auto rows = c->Query("SELECT i, d, s, n FROM t ORDER BY rowid");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), in.size());
  for (size_t r = 0; r < in.size(); ++r) {
    EXPECT_EQ((*rows)[r].values, in[r]) << "row " << r;
  }

  // Independent reader: Python's sqlite3 sees the same values.
  c.reset();
  std::string py = Shell(
      "/usr/bin/python3 -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
      "print([(i, repr(d), len(s.encode()), n) for i,d,s,n in c.execute('SELECT i,d,s,n FROM t "
      "ORDER BY "
      "rowid')])\" " +
      path_);
  EXPECT_EQ(py,
            "[(-9223372036854775808, '-1.5', 0, None), (9223372036854775807, '1e-300', 20, None), "
            "(0, 'inf', 10000, 'not null'), (-1, '0.30000000000000004', 11, None)]\n");
}

TEST_F(SqliteTest, ExecCountsChangedRowsAndQueryReturnsNothingForNoMatch) {
  auto c = Open();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                            "INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c');")
                  .ok());
  auto n = c->Exec("UPDATE t SET v = ? WHERE k >= ?", {std::string("z"), int64_t{2}});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto rows = c->Query("SELECT v FROM t WHERE k = ?", {int64_t{99}});
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  // The cached statement is reused with other parameters.
  for (int64_t k = 1; k <= 3; ++k) {
    rows = c->Query("SELECT v FROM t WHERE k = ?", {k});
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Text(0), k == 1 ? "a" : "z");
  }
  // A schema change under a cached statement is picked up.
  ASSERT_TRUE(c->ExecScript("ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 5").ok());
  rows = c->Query("SELECT * FROM t WHERE k = ?", {int64_t{1}});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ((*rows)[0].values.size(), 3u);
  EXPECT_EQ((*rows)[0].Int(2), 5);
}

TEST_F(SqliteTest, ErrorsCarryCodeMessageAndSql) {
  auto c = Open();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);"
                            "CREATE TABLE ch (pid INTEGER NOT NULL REFERENCES p(id));"
                            "INSERT INTO p VALUES (1, 'one');")
                  .ok());
  auto bad = c->Query("SELEKT * FROM p");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("SELEKT * FROM p"), std::string::npos);
  EXPECT_NE(bad.status().message().find(path_), std::string::npos);

  auto dup = c->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{2}, std::string("one")});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists) << dup.status().ToString();
  EXPECT_NE(dup.status().message().find("UNIQUE constraint failed: p.name"), std::string::npos);

  auto fk = c->Exec("INSERT INTO ch VALUES (?)", {int64_t{42}});
  EXPECT_EQ(fk.status().code(), StatusCode::kFailedPrecondition) << fk.status().ToString();

  auto notnull = c->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{3}, std::monostate{}});
  EXPECT_EQ(notnull.status().code(), StatusCode::kInvalidArgument);

  auto params = c->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{3}});
  EXPECT_EQ(params.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(params.status().message().find("takes 2 parameters, 1 given"), std::string::npos);

  auto two = c->Query("SELECT 1; SELECT 2");
  EXPECT_EQ(two.status().code(), StatusCode::kInvalidArgument);

  // A long statement is cut to its first 80 characters in the message.
  std::string long_sql = "SELECT name FROM p WHERE name = '";
  long_sql.append(200, 'y').append("' AND nope = 1");
  auto cut = c->Query(long_sql);
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("no such column: nope"), std::string::npos);
  EXPECT_NE(cut.status().message().find("...`"), std::string::npos);
  EXPECT_EQ(cut.status().message().find(std::string(100, 'y')), std::string::npos);

  // The connection still works after errors.
  auto ok = c->Query("SELECT name FROM p");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 1u);
}

TEST_F(SqliteTest, TransactionsCommitAndRollBack) {
  auto c = Open();
  auto other = Open();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(c->Begin().ok());
  ASSERT_TRUE(c->Exec("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(c->Rollback().ok());
  EXPECT_EQ((*c->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);

  Status s = InTransaction(*c, [&]() -> Status {
    MLPIPE_RETURN_IF_ERROR(c->Exec("INSERT INTO t VALUES (2)").status());
    return InvalidArgumentError("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*c->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);

  s = InTransaction(*c, [&]() { return c->Exec("INSERT INTO t VALUES (3)").status(); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto seen = other->Query("SELECT v FROM t");
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].Int(0), 3);
  EXPECT_TRUE(c->Rollback().ok());  // nothing open: a no-op
}

TEST_F(SqliteTest, BatchInsertsEveryRowAndRollsBackWithItsTransaction) {
  auto c = Open();
  ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT)").ok());
  std::vector<std::vector<SqlValue>> rows;
  for (int64_t i = 0; i < 10000; ++i)
    rows.push_back({i, std::string("v").append(std::to_string(i))});
  ASSERT_TRUE(InTransaction(*c, [&] {
                return c->ExecBatch("INSERT INTO t (k, s) VALUES (?, ?)", rows);
              }).ok());
  auto sum = c->Query("SELECT COUNT(*), SUM(k), MAX(s) FROM t");
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)[0].Int(0), 10000);
  EXPECT_EQ((*sum)[0].Int(1), 9999LL * 10000 / 2);
  EXPECT_EQ((*sum)[0].Text(2), "v9999");
  EXPECT_TRUE(c->ExecBatch("INSERT INTO t (k, s) VALUES (?, ?)", {}).ok());

  // A failing row in the middle: the whole transaction goes.
  std::vector<std::vector<SqlValue>> more = {{int64_t{20000}, std::string("a")},
                                             {int64_t{5}, std::string("dup")},
                                             {int64_t{20001}, std::string("b")}};
  Status s =
      InTransaction(*c, [&] { return c->ExecBatch("INSERT INTO t (k, s) VALUES (?, ?)", more); });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ((*c->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 10000);
}

TEST_F(SqliteTest, BeginWaitsForTheWriteLockThenFailsUnavailable) {
  auto a = Open();
  auto b = Open(/*timeout_ms=*/300);
  ASSERT_TRUE(a->ExecScript("CREATE TABLE t (v INTEGER)").ok());
  ASSERT_TRUE(a->Begin().ok());
  auto t0 = std::chrono::steady_clock::now();
  Status s = b->Begin();
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("locked"), std::string::npos) << s.message();
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));
  // Readers are not blocked by the writer (WAL).
  EXPECT_TRUE(b->Query("SELECT COUNT(*) FROM t").ok());

  // A waiter gets the lock once the holder commits.
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_TRUE(a->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(a->Commit().ok());
  });
  auto c = Open();
  Status got = c->Begin();
  release.join();
  ASSERT_TRUE(got.ok()) << got.ToString();
  EXPECT_EQ((*c->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 1);
  ASSERT_TRUE(c->Commit().ok());
}

TEST_F(SqliteTest, FileIsWalAndPassesIntegrityCheckWithTheSqliteTool) {
  {
    auto c = Open();
    ASSERT_TRUE(c->ExecScript("CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT)").ok());
    std::vector<std::vector<SqlValue>> rows;
    for (int64_t i = 0; i < 5000; ++i) rows.push_back({i, std::string(100, 'a' + i % 26)});
    ASSERT_TRUE(
        InTransaction(*c, [&] { return c->ExecBatch("INSERT INTO t VALUES (?, ?)", rows); }).ok());
  }
  EXPECT_EQ(Shell("sqlite3 " + path_ +
                  " 'PRAGMA journal_mode; PRAGMA integrity_check; SELECT COUNT(*) FROM t;'"),
            "wal\nok\n5000\n");
}

// ---- opening a store: migrations ----------------------------------------------

TEST_F(SqliteTest, MigrateIsIdempotent) {
  for (int i = 0; i < 3; ++i) {
    auto s = OpenMetadataStore(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  EXPECT_EQ(Shell("sqlite3 " + path_ + " 'SELECT version FROM schema_version ORDER BY version'"),
            "1\n2\n3\n");
  // The tables of migration 1 exist.
  EXPECT_EQ(Shell("sqlite3 " + path_ +
                  " \"SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name IN "
                  "('runs','metrics','latest_metrics','audit','aliases')\""),
            "5\n");
}

// A store written by an mlpipe at schema version 2 opens with this one: the
// migration swaps the metrics index and every point stays readable.
TEST_F(SqliteTest, UpgradesAVersion2StoreKeepingItsMetrics) {
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    const std::vector<std::string> migrations = SchemaMigrations(SqlDialect::kSqlite);
    ASSERT_GE(migrations.size(), 3u);
    ASSERT_TRUE(db->ExecScript("CREATE TABLE schema_version (version BIGINT NOT NULL PRIMARY "
                               "KEY, applied_us BIGINT NOT NULL)")
                    .ok());
    for (int v = 1; v <= 2; ++v) {
      ASSERT_TRUE(db->ExecScript(migrations[v - 1]).ok());
      ASSERT_TRUE(db->Exec("INSERT INTO schema_version VALUES (?, 0)", {int64_t{v}}).ok());
    }
    ASSERT_TRUE(db->ExecScript("INSERT INTO experiments (name, created_us) VALUES ('e', 1);"
                               "INSERT INTO runs (run_id, experiment_id, status, start_us) "
                               "VALUES ('r1', 1, 'RUNNING', 1);"
                               "INSERT INTO metrics VALUES ('r1', 'loss', 0.5, 2, 20);"
                               "INSERT INTO metrics VALUES ('r1', 'loss', 0.9, 1, 10);"
                               "INSERT INTO metrics VALUES ('r1', 'auc', 0.7, 1, 10);")
                    .ok());
  }
  auto store = OpenMetadataStore(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Shell("sqlite3 " + path_ +
                  " \"SELECT group_concat(version) FROM schema_version; SELECT name FROM "
                  "sqlite_master WHERE type='index' AND tbl_name='metrics' ORDER BY name\""),
            "1,2,3\nmetrics_by_run_id\n");
  ASSERT_TRUE((*store)->LogMetrics("r1", {{"loss", 0.1, 3, 30}}).ok());
  auto history = (*store)->GetMetricHistory("r1", "loss");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].value, 0.9);
  EXPECT_EQ((*history)[1].value, 0.5);
  EXPECT_EQ((*history)[2].value, 0.1);
}

TEST_F(SqliteTest, RefusesASchemaNewerThanTheBinary) {
  ASSERT_TRUE(OpenMetadataStore(path_).ok());
  Shell("sqlite3 " + path_ + " 'INSERT INTO schema_version VALUES (99, 0)'");
  auto s = OpenMetadataStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("99"), std::string::npos) << s.status().message();
}

TEST_F(SqliteTest, ConcurrentProcessesOpeningAFreshStoreAllSucceed) {
  constexpr int kProcs = 8;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcs; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto s = OpenMetadataStore(path_);
      if (!s.ok()) {
        fprintf(stderr, "child: %s\n", s.status().ToString().c_str());
        _exit(1);
      }
      auto e = (*s)->GetOrCreateExperiment("shared");
      _exit(e.ok() ? 0 : 2);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  EXPECT_EQ(Shell("sqlite3 " + path_ +
                  " 'SELECT COUNT(*) FROM schema_version; SELECT COUNT(*) FROM experiments; "
                  "PRAGMA integrity_check'"),
            "3\n1\nok\n");
}

TEST_F(SqliteTest, OpenMetadataStoreReportsAnUnopenablePath) {
  std::string blocker = dir_ + "/file";
  std::FILE* f = std::fopen(blocker.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  auto s = OpenMetadataStore(blocker + "/sub/meta.db");  // a folder under a plain file
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(blocker), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace mlpipe::store
