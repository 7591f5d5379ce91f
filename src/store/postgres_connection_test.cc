// Tests of the PostgreSQL driver against a real server: they run when
// MLPIPE_TEST_POSTGRES_URI names one (scripts/with_postgres.sh, ctest
// store_postgres) and skip otherwise. Each test gets a fresh database; psql
// reads some results back as an independent check.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conformance_fixture.h"
#include "sql.h"

namespace mlpipe::store {
namespace {

class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* server = std::getenv("MLPIPE_TEST_POSTGRES_URI");
    if (server == nullptr || *server == '\0') {
      GTEST_SKIP() << "MLPIPE_TEST_POSTGRES_URI is not set; run under scripts/with_postgres.sh";
    }
    server_ = server;
    auto uri = OpenPostgresTestStore(server_, &cleanup_);
    ASSERT_TRUE(uri.ok()) << uri.status().ToString();
    uri_ = *uri;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    db_.reset();
    if (!cleanup_.empty()) DropPostgresTestStore(server_, cleanup_);
  }

  std::unique_ptr<SqlConnection> Open() {
    auto c = OpenPostgres(uri_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(*c) : nullptr;
  }

  int64_t Count(const std::string& table) {
    auto rows = db_->Query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && rows->size() == 1 ? (*rows)[0].Int(0) : -1;
  }

  // Runs `sql` with psql against the test database and returns its unaligned output.
  std::string Psql(const std::string& sql) {
    std::string cmd =
        "/usr/lib/postgresql/15/bin/psql -X -q -At -d '" + uri_ + "' -c \"" + sql + "\" 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return "popen failed";
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    pclose(p);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  std::string server_, uri_, cleanup_;
  std::unique_ptr<SqlConnection> db_;
};

TEST_F(PostgresConnectionTest, DialectIsPostgres) {
  EXPECT_EQ(db_->dialect(), SqlDialect::kPostgres);
}

TEST_F(PostgresConnectionTest, TypesRoundTrip) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE t (i8 BIGINT, i4 INTEGER, i2 SMALLINT, "
                              "f8 DOUBLE PRECISION, f4 REAL, num NUMERIC, s TEXT, b BOOLEAN)")
                  .ok());
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  const std::string text = "it's \"quoted\" \\ back\nslash ? $1 — ünïcødé";
  auto n =
      db_->Exec("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                {big, int64_t{-2147483648}, int64_t{-32768}, 0.1, 1.5, 2.25, text, int64_t{1}});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  ASSERT_TRUE(db_->Exec("INSERT INTO t (i8, f8) VALUES (?, ?)", {small, 5e-324}).ok());

  auto rows = db_->Query("SELECT i8, i4, i2, f8, f4, num, s, b FROM t ORDER BY i8 DESC");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  const SqlRow& r = (*rows)[0];
  ASSERT_EQ(r.values.size(), 8u);
  EXPECT_EQ(std::get<int64_t>(r.values[0]), big);
  EXPECT_EQ(std::get<int64_t>(r.values[1]), -2147483648);
  EXPECT_EQ(std::get<int64_t>(r.values[2]), -32768);
  EXPECT_EQ(std::get<double>(r.values[3]), 0.1);  // exact: shortest round-trip text both ways
  EXPECT_EQ(std::get<double>(r.values[4]), 1.5);
  EXPECT_EQ(std::get<double>(r.values[5]), 2.25);  // fractional NUMERIC reads as double
  EXPECT_EQ(std::get<std::string>(r.values[6]), text);
  EXPECT_EQ(std::get<int64_t>(r.values[7]), 1);  // BOOLEAN reads as 0/1, as in SQLite
  const SqlRow& r2 = (*rows)[1];
  EXPECT_EQ(std::get<int64_t>(r2.values[0]), small);
  EXPECT_EQ(std::get<double>(r2.values[3]), 5e-324);
  for (size_t i : {1, 2, 4, 5, 6, 7}) EXPECT_TRUE(r2.IsNull(i)) << "column " << i;

  // The server holds what we sent, read by an independent client.
  EXPECT_EQ(Psql("SELECT i8, f8 = 0.1, s = E'it''s \\\"quoted\\\" \\\\\\\\ back\\\\nslash ? "
                 "\\$1 — ünïcødé' FROM t WHERE i4 IS NOT NULL"),
            std::to_string(big) + "|t|t");
}

TEST_F(PostgresConnectionTest, SpecialDoublesRoundTrip) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE d (k BIGINT, v DOUBLE PRECISION)").ok());
  const std::vector<double> values = {std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      std::nan(""),
                                      -0.0,
                                      1e308,
                                      -123456.789e-300,
                                      1.0 / 3.0};
  std::vector<std::vector<SqlValue>> batch;
  for (size_t i = 0; i < values.size(); ++i) batch.push_back({int64_t(i), values[i]});
  ASSERT_TRUE(db_->ExecBatch("INSERT INTO d VALUES (?, ?)", batch).ok());
  auto rows = db_->Query("SELECT v FROM d ORDER BY k");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double got = std::get<double>((*rows)[i].values[0]);
    if (std::isnan(values[i])) {
      EXPECT_TRUE(std::isnan(got));
    } else {
      EXPECT_EQ(got, values[i]) << i;
      EXPECT_EQ(std::signbit(got), std::signbit(values[i])) << i;
    }
  }
  EXPECT_EQ(Psql("SELECT v FROM d WHERE k < 3 ORDER BY k"), "Infinity\n-Infinity\nNaN");
}

TEST_F(PostgresConnectionTest, AggregatesReadAsSqliteWould) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE a (v BIGINT)").ok());
  ASSERT_TRUE(
      db_->ExecBatch("INSERT INTO a VALUES (?)", {{int64_t{1}}, {int64_t{2}}, {int64_t{4}}}).ok());
  auto rows = db_->Query("SELECT COUNT(*), SUM(v), AVG(v), MAX(v), SUM(v) / 2.0 FROM a");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const SqlRow& r = (*rows)[0];
  EXPECT_EQ(std::get<int64_t>(r.values[0]), 3);
  EXPECT_EQ(std::get<int64_t>(r.values[1]), 7);  // NUMERIC in PostgreSQL, integral: int64
  EXPECT_DOUBLE_EQ(std::get<double>(r.values[2]), 7.0 / 3.0);
  EXPECT_EQ(std::get<int64_t>(r.values[3]), 4);
  EXPECT_EQ(std::get<double>(r.values[4]), 3.5);
}

TEST_F(PostgresConnectionTest, NullBindsAndReads) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE n (k BIGINT, s TEXT, d DOUBLE PRECISION)").ok());
  ASSERT_TRUE(
      db_->Exec("INSERT INTO n VALUES (?, ?, ?)", {int64_t{1}, std::monostate{}, std::monostate{}})
          .ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO n VALUES (?, ?, ?)", {int64_t{2}, std::string(), 0.0}).ok());
  auto rows = db_->Query("SELECT s, d, s IS NULL FROM n ORDER BY k");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_TRUE((*rows)[0].IsNull(0));
  EXPECT_TRUE((*rows)[0].IsNull(1));
  EXPECT_EQ((*rows)[0].Int(2), 1);
  EXPECT_FALSE((*rows)[1].IsNull(0));  // the empty string is not NULL
  EXPECT_EQ(std::get<std::string>((*rows)[1].values[0]), "");
  EXPECT_EQ((*rows)[1].Int(2), 0);
  EXPECT_EQ(Psql("SELECT COUNT(*) FROM n WHERE s IS NULL"), "1");
  // NULL compared with = matches nothing, as SQL says.
  auto none = db_->Query("SELECT k FROM n WHERE s = ?", {std::monostate{}});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(PostgresConnectionTest, PlaceholdersInsideQuotesAndCommentsAreLeftAlone) {
  auto rows = db_->Query(
      "SELECT '?' AS a, ? AS b, 'it''s ?' AS c, \"x?\".v, ? /* ? */ -- ?\n"
      "FROM (SELECT 1 AS v) AS \"x?\"",
      {std::string("one"), int64_t{2}});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const SqlRow& r = (*rows)[0];
  EXPECT_EQ(r.Text(0), "?");
  EXPECT_EQ(r.Text(1), "one");
  EXPECT_EQ(r.Text(2), "it's ?");
  EXPECT_EQ(r.Int(3), 1);
  EXPECT_EQ(r.Text(4), "2");
}

TEST_F(PostgresConnectionTest, WrongNumberOfValuesIsInvalidArgument) {
  auto r = db_->Query("SELECT ?, ?", {int64_t{1}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("2 placeholders but 1"), std::string::npos)
      << r.status().message();
}

TEST_F(PostgresConnectionTest, ErrorsCarryServerMessageAndStatement) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE p (k BIGINT PRIMARY KEY, v TEXT NOT NULL);"
                              "CREATE TABLE c (k BIGINT REFERENCES p(k))")
                  .ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{1}, std::string("a")}).ok());

  auto dup = db_->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{1}, std::string("b")});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("duplicate key"), std::string::npos)
      << dup.status().message();
  EXPECT_NE(dup.status().message().find("INSERT INTO p VALUES"), std::string::npos)
      << dup.status().message();

  auto fk = db_->Exec("INSERT INTO c VALUES (?)", {int64_t{9}});
  ASSERT_FALSE(fk.ok());
  EXPECT_EQ(fk.status().code(), StatusCode::kFailedPrecondition) << fk.status().ToString();

  auto nn = db_->Exec("INSERT INTO p VALUES (?, ?)", {int64_t{2}, std::monostate{}});
  ASSERT_FALSE(nn.ok());
  EXPECT_EQ(nn.status().code(), StatusCode::kInvalidArgument) << nn.status().ToString();

  auto missing = db_->Query("SELECT * FROM no_such_table");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInternal);
  EXPECT_NE(missing.status().message().find("no_such_table"), std::string::npos)
      << missing.status().message();

  auto syntax = db_->ExecScript("SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.message().find("syntax error"), std::string::npos) << syntax.message();

  auto bad_data = db_->Query("SELECT CAST(? AS BIGINT)", {std::string("twelve")});
  ASSERT_FALSE(bad_data.ok());
  EXPECT_EQ(bad_data.status().code(), StatusCode::kInvalidArgument) << bad_data.status().ToString();

  // The connection is still usable after every error.
  EXPECT_EQ(Count("p"), 1);
}

TEST_F(PostgresConnectionTest, RetryableServerErrorsAreUnavailable) {
  for (const char* state : {"40001", "40P01"}) {
    std::string sql = "DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '";
    sql.append(state).append("'; END $$");
    Status s = db_->ExecScript(sql);
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << state << ": " << s.ToString();
    ASSERT_TRUE(db_->Begin().ok());
    auto r = db_->Exec(sql);
    EXPECT_EQ(r.status().code(), StatusCode::kUnavailable)
        << state << ": " << r.status().ToString();
    EXPECT_TRUE(db_->Rollback().ok());
  }
}

TEST_F(PostgresConnectionTest, UnreachableServerIsUnavailable) {
  auto c = OpenPostgres("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kUnavailable) << c.status().ToString();
}

TEST_F(PostgresConnectionTest, ExecReturnsAffectedRows) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE u (k BIGINT, v TEXT)").ok());
  ASSERT_TRUE(db_->ExecBatch("INSERT INTO u VALUES (?, ?)", {{int64_t{1}, std::string("a")},
                                                             {int64_t{2}, std::string("a")},
                                                             {int64_t{3}, std::string("b")}})
                  .ok());
  auto n = db_->Exec("UPDATE u SET v = ? WHERE v = ?", {std::string("c"), std::string("a")});
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  auto d = db_->Exec("DELETE FROM u WHERE k > ?", {int64_t{5}});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, 0);
  EXPECT_EQ(Psql("SELECT string_agg(v, ',' ORDER BY k) FROM u"), "c,c,b");
}

TEST_F(PostgresConnectionTest, RollbackDiscardsAndCommitPublishes) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE x (k BIGINT PRIMARY KEY)").ok());
  auto other = Open();
  ASSERT_NE(other, nullptr);

  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO x VALUES (?)", {int64_t{1}}).ok());
  EXPECT_EQ(Count("x"), 1);  // our own transaction sees its row
  auto seen = other->Query("SELECT COUNT(*) FROM x");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ((*seen)[0].Int(0), 0);  // another connection does not
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_EQ(Count("x"), 0);

  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO x VALUES (?)", {int64_t{2}}).ok());
  ASSERT_TRUE(db_->Commit().ok());
  seen = other->Query("SELECT COUNT(*) FROM x");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ((*seen)[0].Int(0), 1);
  EXPECT_EQ(Psql("SELECT k FROM x"), "2");

  // InTransaction rolls back when the body fails.
  Status s = InTransaction(*db_, [&]() -> Status {
    if (auto r = db_->Exec("INSERT INTO x VALUES (?)", {int64_t{3}}); !r.ok()) return r.status();
    return db_->Exec("INSERT INTO x VALUES (?)", {int64_t{2}}).status();  // duplicate
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(Count("x"), 1);
  EXPECT_EQ(Psql("SELECT COUNT(*) FROM x"), "1");
}

TEST_F(PostgresConnectionTest, TransactionMisuseIsReported) {
  EXPECT_EQ(db_->Commit().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(db_->Rollback().ok());  // nothing open: a no-op, as in the SQLite driver
  ASSERT_TRUE(db_->Begin().ok());
  EXPECT_EQ(db_->Begin().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(db_->Rollback().ok());
}

TEST_F(PostgresConnectionTest, FailedStatementAbortsTransactionUntilRollback) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE y (k BIGINT PRIMARY KEY)").ok());
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO y VALUES (?)", {int64_t{1}}).ok());
  EXPECT_FALSE(db_->Exec("INSERT INTO y VALUES (?)", {int64_t{1}}).ok());
  // PostgreSQL refuses further statements in an aborted transaction...
  EXPECT_FALSE(db_->Exec("INSERT INTO y VALUES (?)", {int64_t{2}}).ok());
  // ...and COMMIT, which PostgreSQL would turn into a silent ROLLBACK, fails
  // with the first error.
  Status commit = db_->Commit();
  EXPECT_EQ(commit.code(), StatusCode::kAlreadyExists) << commit.ToString();
  EXPECT_NE(commit.message().find("rolled back"), std::string::npos) << commit.message();
  EXPECT_EQ(Count("y"), 0);
  // The connection and its cached statements still work afterwards.
  ASSERT_TRUE(db_->Exec("INSERT INTO y VALUES (?)", {int64_t{2}}).ok());
  EXPECT_EQ(Count("y"), 1);
}

TEST_F(PostgresConnectionTest, ExecScriptIsAtomic) {
  Status s = db_->ExecScript("CREATE TABLE s1 (k BIGINT); CREATE TABLE s1 (k BIGINT)");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("already exists"), std::string::npos) << s.message();
  EXPECT_EQ(Psql("SELECT COUNT(*) FROM pg_tables WHERE tablename = 's1'"), "0");
  ASSERT_TRUE(
      db_->ExecScript("CREATE TABLE s2 (k BIGINT);\nINSERT INTO s2 VALUES (1), (2);\n").ok());
  EXPECT_EQ(Count("s2"), 2);
}

TEST_F(PostgresConnectionTest, BatchInsertCountsAndIsAtomic) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE b (k BIGINT PRIMARY KEY, v DOUBLE PRECISION, "
                              "s TEXT)")
                  .ok());
  std::vector<std::vector<SqlValue>> rows;
  int64_t sum = 0;
  for (int64_t i = 0; i < 2000; ++i) {
    rows.push_back({i, i * 0.5, "row " + std::to_string(i)});
    sum += i;
  }
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(db_->ExecBatch("INSERT INTO b VALUES (?, ?, ?)", rows).ok());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  RecordProperty("batch_2000_rows_ms", static_cast<int>(ms));
  EXPECT_EQ(Psql("SELECT COUNT(*), SUM(k), SUM(v), MAX(s) FROM b"),
            "2000|" + std::to_string(sum) + "|" + std::to_string(sum / 2) + "|row 999");

  // Outside a transaction a failing batch leaves nothing behind.
  std::vector<std::vector<SqlValue>> dup = {{int64_t{5000}, 1.0, std::string("new")},
                                            {int64_t{7}, 1.0, std::string("dup")}};
  Status s = db_->ExecBatch("INSERT INTO b VALUES (?, ?, ?)", dup);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(Count("b"), 2000);

  // Inside a transaction the batch joins it.
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(
      db_->ExecBatch("INSERT INTO b VALUES (?, ?, ?)", {{int64_t{6000}, 0.0, std::string("t")}})
          .ok());
  ASSERT_TRUE(db_->Rollback().ok());
  EXPECT_EQ(Count("b"), 2000);

  // A row with the wrong number of values is caught before anything runs.
  EXPECT_EQ(db_->ExecBatch("INSERT INTO b VALUES (?, ?, ?)", {{int64_t{1}}}).code(),
            StatusCode::kInvalidArgument);
}

// Large batches travel as chunks of EXECUTE statements with quoted literals:
// every kind of value must arrive exactly as the per-row path delivers it.
TEST_F(PostgresConnectionTest, LargeBatchRoundTripsAwkwardValues) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE aw (k BIGINT PRIMARY KEY, i BIGINT, d DOUBLE "
                              "PRECISION, s TEXT)")
                  .ok());
  const std::vector<std::string> texts = {"",
                                          "'",
                                          "''",
                                          "\\",
                                          "a\\'b",
                                          "x; DROP TABLE aw; --",
                                          "$1 ? $$ $q$",
                                          "line\nbreak\ttab",
                                          "ünïcødé ✓ 𝄞",
                                          "E'\\x41'"};
  const std::vector<double> doubles = {0.1,
                                       -0.0,
                                       1e308,
                                       5e-324,
                                       std::numeric_limits<double>::infinity(),
                                       -std::numeric_limits<double>::infinity(),
                                       1.0 / 3.0};
  std::vector<std::vector<SqlValue>> rows;
  for (int64_t k = 0; k < 300; ++k) {
    SqlValue i = k % 7 == 0 ? SqlValue(std::monostate{})
                            : SqlValue(k % 2 == 0 ? std::numeric_limits<int64_t>::min() + k
                                                  : std::numeric_limits<int64_t>::max() - k);
    SqlValue d = k % 11 == 0 ? SqlValue(std::monostate{}) : SqlValue(doubles[k % doubles.size()]);
    SqlValue t = k % 13 == 0 ? SqlValue(std::monostate{}) : SqlValue(texts[k % texts.size()]);
    rows.push_back({k, i, d, t});
  }
  ASSERT_TRUE(db_->ExecBatch("INSERT INTO aw VALUES (?, ?, ?, ?)", rows).ok());
  auto got = db_->Query("SELECT k, i, d, s FROM aw ORDER BY k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < 4; ++c) {
      const SqlValue& want = rows[r][c];
      const SqlValue& have = (*got)[r].values[c];
      ASSERT_EQ(want.index(), have.index()) << "row " << r << " column " << c;
      if (const auto* w = std::get_if<double>(&want)) {
        EXPECT_EQ(*w, std::get<double>(have)) << "row " << r;
        EXPECT_EQ(std::signbit(*w), std::signbit(std::get<double>(have))) << "row " << r;
      } else {
        EXPECT_TRUE(want == have) << "row " << r << " column " << c;
      }
    }
  }
  // An independent reader agrees on the text bytes (md5 of every value, in order).
  std::string concat;
  for (const auto& row : rows) {
    if (const auto* t = std::get_if<std::string>(&row[3])) concat.append(*t).append("|");
  }
  auto md5 = db_->Query("SELECT md5(?)", {concat});
  ASSERT_TRUE(md5.ok());
  EXPECT_EQ(Psql("SELECT md5(string_agg(s || '|', '' ORDER BY k)) FROM aw"), (*md5)[0].Text(0));

  // A failing row anywhere in a large batch leaves nothing behind.
  std::vector<std::vector<SqlValue>> more;
  for (int64_t k = 1000; k < 1100; ++k) more.push_back({k, k, 0.5, std::string("m")});
  more.push_back({int64_t{5}, int64_t{0}, 0.0, std::string("dup")});
  Status s = db_->ExecBatch("INSERT INTO aw VALUES (?, ?, ?, ?)", more);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_NE(s.message().find("INSERT INTO aw"), std::string::npos) << s.message();
  EXPECT_EQ(Count("aw"), 300);
}

// Begin() serializes writers like SQLite's BEGIN IMMEDIATE: concurrent
// read-then-append transactions (the audit chain, version numbers) never
// collide, and the sequence has no gaps and no duplicates.
TEST_F(PostgresConnectionTest, ConcurrentTransactionsAreSerialized) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE chain (seq BIGINT PRIMARY KEY, who BIGINT)").ok());
  constexpr int kThreads = 4;
  constexpr int kAppends = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto c = OpenPostgres(uri_);
      if (!c.ok()) {
        ++failures;
        return;
      }
      SqlConnection& conn = **c;
      for (int i = 0; i < kAppends; ++i) {
        Status s = InTransaction(conn, [&]() -> Status {
          auto head = conn.Query("SELECT COALESCE(MAX(seq), 0) FROM chain");
          if (!head.ok()) return head.status();
          std::this_thread::yield();  // widen the window a lost update would need
          return conn.Exec("INSERT INTO chain VALUES (?, ?)", {(*head)[0].Int(0) + 1, int64_t{t}})
              .status();
        });
        if (!s.ok()) {
          ADD_FAILURE() << s.ToString();
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Psql("SELECT COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT who) FROM chain"),
            std::to_string(kThreads * kAppends) + "|1|" + std::to_string(kThreads * kAppends) +
                "|" + std::to_string(kThreads));
}

TEST_F(PostgresConnectionTest, BeginWaitsForAnotherWriter) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE w (k BIGINT)").ok());
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(db_->Begin().ok());
  std::atomic<bool> began{false};
  std::thread t([&] {
    Status s = other->Begin();
    began = true;
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto rows = other->Query("SELECT COUNT(*) FROM w");
    EXPECT_TRUE(rows.ok());
    if (rows.ok()) {
      EXPECT_EQ((*rows)[0].Int(0), 1);  // sees the first writer's commit
    }
    EXPECT_TRUE(other->Commit().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(began.load());  // still waiting for our write lock
  ASSERT_TRUE(db_->Exec("INSERT INTO w VALUES (1)").ok());
  ASSERT_TRUE(db_->Commit().ok());
  t.join();
  EXPECT_TRUE(began.load());
}

TEST_F(PostgresConnectionTest, BeginGivesUpWithUnavailableAfterTheLockTimeout) {
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->ExecScript("SET lock_timeout = '200ms'").ok());  // default: 30 s
  ASSERT_TRUE(db_->Begin().ok());
  Status s = other->Begin();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("lock timeout"), std::string::npos) << s.message();
  ASSERT_TRUE(db_->Commit().ok());
  // Once the writer is gone the lock is free again.
  ASSERT_TRUE(other->Begin().ok());
  EXPECT_TRUE(other->Commit().ok());
}

TEST_F(PostgresConnectionTest, PreparedStatementsAreReusedAcrossTransactions) {
  ASSERT_TRUE(db_->ExecScript("CREATE TABLE r (k BIGINT)").ok());
  for (int64_t i = 0; i < 20; ++i) {
    if (i % 2 == 0) {
      ASSERT_TRUE(db_->Begin().ok());
    }
    ASSERT_TRUE(db_->Exec("INSERT INTO r VALUES (?)", {i}).ok());
    if (i % 2 == 1) {
      ASSERT_TRUE(db_->Commit().ok());
    }
  }
  EXPECT_EQ(Count("r"), 20);
  // The driver prepared the INSERT once, on this session.
  auto rows = db_->Query(
      "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO r%'");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)[0].Int(0), 1);
}

}  // namespace
}  // namespace mlpipe::store
