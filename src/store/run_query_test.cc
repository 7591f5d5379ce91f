// CompileRunQuery tests: the compiled SQL runs against a real SQLite database
// (sqlite3 C API, the store's schema) holding a few dozen runs, and each
// query must select exactly the runs that a plain C++ predicate selects.
#include "run_query.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "schema.h"

namespace mlpipe::store {
namespace {

struct TestRun {
  std::string run_id, experiment, name, status, user, host, git_commit;
  int64_t start_us = 0, end_us = 0, seed = 0;
  std::map<std::string, std::string> params, tags;
  std::map<std::string, double> metrics;
};

// 2026-11-25T00:00:00Z, computed by libc rather than by the code under test.
int64_t UtcMicros(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1000000;
}

const int64_t kBase = UtcMicros(2026, 11, 25);
constexpr int64_t kHour = 3600LL * 1000000;

std::vector<TestRun> MakeRuns() {
  const char* experiments[] = {"exp-a", "exp-b", "Exp-C"};
  const char* statuses[] = {"RUNNING", "FINISHED", "FAILED", "KILLED", "FINISHED"};
  const char* users[] = {"alice", "bob", "Carol"};
  const char* models[] = {"gbdt", "rf", "logreg", "GBDT"};
  const char* depths[] = {"3", "5", "10", "auto", "2.5", " 7 "};
  const char* teams[] = {"risk", "Risk", "growth"};
  const char* notes[] = {"50% off", "a_b", "plain", "star*glob?[x]", "back\\slash"};
  std::vector<TestRun> runs;
  for (int i = 0; i < 40; ++i) {
    TestRun r;
    char id[16];
    std::snprintf(id, sizeof(id), "run-%02d", i);
    r.run_id = id;
    r.experiment = experiments[i % 3];
    r.name = std::string(i % 2 ? "train-" : "Tune_") + std::to_string(i);
    r.status = statuses[i % 5];
    r.user = users[i % 3];
    r.host = i % 4 ? "box1" : "box2";
    r.git_commit = i % 6 ? "abc123" : "def456";
    // Several runs share a start time so that ties fall back to run_id.
    r.start_us = kBase + (i / 2) * kHour;
    r.end_us = r.start_us + (i % 7) * 60 * 1000000LL;
    r.seed = i * 7;
    r.params["model"] = models[i % 4];
    if (i % 5 != 4) r.params["depth"] = depths[i % 6];
    r.params["lr"] = i % 3 == 0 ? "0.1" : "0.01";
    if (i % 8 == 0) r.params["my key"] = "spaced";
    if (i % 4 != 3) r.tags["team"] = teams[i % 3];
    r.tags["note"] = notes[i % 5];
    // Values include ties (i % 17), negatives and missing keys.
    if (i % 9 != 8) r.metrics["roc_auc"] = 0.5 + (i % 17) * 0.025;
    r.metrics["rmse"] = 100.0 + 13.0 * ((i * 7) % 11) - 50.0;
    if (i % 2 == 0) r.metrics["val-auc"] = (i % 10) / 10.0;
    runs.push_back(std::move(r));
  }
  return runs;
}

// A param or tag read as a number the way the compiler documents: optional
// spaces, sign, digits with an optional point, optional exponent.
std::optional<double> AsNumber(const std::string& s) {
  size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  if (b == std::string::npos) return std::nullopt;
  std::string t = s.substr(b, e - b + 1);
  if (t.find_first_not_of("0123456789.eE+-") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size()) return std::nullopt;
  return v;
}

// Where the compiled SQL runs: SQLite through its C API (always), and
// PostgreSQL through the store's driver when MLPIPE_TEST_POSTGRES_URI names a
// server (scripts/with_postgres.sh), in a schema of its own.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual SqlDialect dialect() const = 0;
  virtual void Exec(const std::string& sql, const std::vector<SqlValue>& params) = 0;
  // Runs a query and returns the first column of every row, or an error text.
  virtual std::vector<std::string> Column(const std::string& sql,
                                          const std::vector<SqlValue>& params,
                                          std::string* error) = 0;
};

class SqliteBackend : public Backend {
 public:
  SqliteBackend() {
    EXPECT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    for (const std::string& ddl : SchemaMigrations(SqlDialect::kSqlite)) {
      char* err = nullptr;
      EXPECT_EQ(sqlite3_exec(db_, ddl.c_str(), nullptr, nullptr, &err), SQLITE_OK)
          << (err ? err : "");
      sqlite3_free(err);
    }
  }
  ~SqliteBackend() override { sqlite3_close(db_); }
  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  void Exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = Prepare(sql, params);
    ASSERT_NE(st, nullptr) << sqlite3_errmsg(db_);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(st);
  }

  std::vector<std::string> Column(const std::string& sql, const std::vector<SqlValue>& params,
                                  std::string* error) override {
    std::vector<std::string> out;
    sqlite3_stmt* st = Prepare(sql, params);
    if (st == nullptr) {
      *error = sqlite3_errmsg(db_);
      return out;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    }
    if (rc != SQLITE_DONE) *error = sqlite3_errmsg(db_);
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3_stmt* Prepare(const std::string& sql, const std::vector<SqlValue>& params) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return nullptr;
    if (sqlite3_bind_parameter_count(st) != static_cast<int>(params.size())) {
      ADD_FAILURE() << "placeholders " << sqlite3_bind_parameter_count(st) << " != params "
                    << params.size() << " in " << sql;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int k = static_cast<int>(i + 1);
      const SqlValue& v = params[i];
      if (std::holds_alternative<int64_t>(v)) {
        sqlite3_bind_int64(st, k, std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        sqlite3_bind_double(st, k, std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const std::string& s = std::get<std::string>(v);
        sqlite3_bind_text(st, k, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(st, k);
      }
    }
    return st;
  }

  sqlite3* db_ = nullptr;
};

const char* PostgresServerUri() {
  const char* uri = std::getenv("MLPIPE_TEST_POSTGRES_URI");
  return uri != nullptr && *uri != '\0' ? uri : nullptr;
}

class PostgresBackend : public Backend {
 public:
  PostgresBackend() {
    auto c = OpenPostgres(PostgresServerUri());
    if (!c.ok()) {
      ADD_FAILURE() << c.status().ToString();
      return;
    }
    conn_ = std::move(*c);
    schema_ = "run_query_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++);
    Status s = conn_->ExecScript("CREATE SCHEMA " + schema_ + "; SET search_path TO " + schema_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (const std::string& ddl : SchemaMigrations(SqlDialect::kPostgres)) {
      Status m = conn_->ExecScript(ddl);
      EXPECT_TRUE(m.ok()) << m.ToString();
    }
  }
  ~PostgresBackend() override {
    if (conn_) (void)conn_->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
  }
  SqlDialect dialect() const override { return SqlDialect::kPostgres; }

  void Exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    ASSERT_TRUE(conn_);
    Result<int64_t> n = conn_->Exec(sql, params);
    EXPECT_TRUE(n.ok()) << n.status().ToString() << "\n" << sql;
  }

  std::vector<std::string> Column(const std::string& sql, const std::vector<SqlValue>& params,
                                  std::string* error) override {
    std::vector<std::string> out;
    if (!conn_) {
      *error = "no connection";
      return out;
    }
    Result<std::vector<SqlRow>> rows = conn_->Query(sql, params);
    if (!rows.ok()) {
      *error = rows.status().ToString();
      return out;
    }
    for (const SqlRow& row : *rows) out.push_back(row.Text(0));
    return out;
  }

 private:
  static inline int counter_ = 0;
  std::unique_ptr<SqlConnection> conn_;
  std::string schema_;
};

std::vector<std::string> Backends() {
  std::vector<std::string> b = {"sqlite"};
  if (PostgresServerUri() != nullptr) b.push_back("postgres");
  return b;
}

class RunQueryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      db_ = std::make_unique<PostgresBackend>();
    } else {
      db_ = std::make_unique<SqliteBackend>();
    }
    runs_ = MakeRuns();
    std::map<std::string, int64_t> exp_ids;
    for (const TestRun& r : runs_) {
      if (!exp_ids.count(r.experiment)) {
        int64_t id = static_cast<int64_t>(exp_ids.size()) + 1;
        exp_ids[r.experiment] = id;
        db_->Exec("INSERT INTO experiments (id, name, created_us) VALUES (?, ?, 0)",
                  {id, r.experiment});
      }
      db_->Exec(
          "INSERT INTO runs (run_id, experiment_id, name, status, start_us, end_us, seed, host, "
          "user_name, git_commit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.run_id, exp_ids[r.experiment], r.name, r.status, r.start_us, r.end_us, r.seed, r.host,
           r.user, r.git_commit});
      for (const auto& [k, v] : r.params)
        db_->Exec("INSERT INTO params VALUES (?, ?, ?)", {r.run_id, k, v});
      for (const auto& [k, v] : r.tags)
        db_->Exec("INSERT INTO tags VALUES (?, ?, ?)", {r.run_id, k, v});
      for (const auto& [k, v] : r.metrics)
        db_->Exec("INSERT INTO latest_metrics VALUES (?, ?, ?, 0, 0)", {r.run_id, k, v});
    }
  }

  std::vector<std::string> Search(const std::string& filter,
                                  const std::vector<std::string>& order_by = {},
                                  int64_t limit = 1000000, int64_t offset = 0) {
    Result<CompiledRunQuery> q = CompileRunQuery(filter, order_by, db_->dialect());
    EXPECT_TRUE(q.ok()) << filter << ": " << q.status().ToString();
    if (!q.ok()) return {};
    std::string sql = "SELECT r.run_id FROM runs r JOIN experiments e ON e.id = r.experiment_id";
    sql.append(q->joins).append(" WHERE ").append(q->where).append(" ORDER BY ");
    sql.append(q->order_by).append(" LIMIT ? OFFSET ?");
    std::vector<SqlValue> params = q->join_params;
    params.insert(params.end(), q->where_params.begin(), q->where_params.end());
    params.emplace_back(limit);
    params.emplace_back(offset);
    std::string error;
    std::vector<std::string> ids = db_->Column(sql, params, &error);
    EXPECT_EQ(error, "") << filter << "\n" << sql;
    return ids;
  }

  // The runs selected by `pred`, in the default order (start DESC, run_id).
  std::vector<std::string> Expected(const std::function<bool(const TestRun&)>& pred) const {
    std::vector<const TestRun*> sel;
    for (const TestRun& r : runs_)
      if (pred(r)) sel.push_back(&r);
    std::sort(sel.begin(), sel.end(), [](const TestRun* a, const TestRun* b) {
      if (a->start_us != b->start_us) return a->start_us > b->start_us;
      return a->run_id < b->run_id;
    });
    std::vector<std::string> ids;
    for (const TestRun* r : sel) ids.push_back(r->run_id);
    return ids;
  }

  std::vector<TestRun> runs_;
  std::unique_ptr<Backend> db_;
};

std::optional<double> Metric(const TestRun& r, const std::string& k) {
  auto it = r.metrics.find(k);
  if (it == r.metrics.end()) return std::nullopt;
  return it->second;
}
std::optional<std::string> Get(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  if (it == m.end()) return std::nullopt;
  return it->second;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST_P(RunQueryTest, FiltersSelectExactlyTheExpectedRuns) {
  using R = const TestRun&;
  struct Case {
    std::string filter;
    std::function<bool(R)> pred;
  };
  auto m = [](R r, const char* k) { return Metric(r, k); };
  auto p = [](R r, const char* k) { return Get(r.params, k); };
  auto t = [](R r, const char* k) { return Get(r.tags, k); };
  auto pnum = [&](R r, const char* k) -> std::optional<double> {
    auto v = p(r, k);
    return v ? AsNumber(*v) : std::nullopt;
  };
  const std::vector<Case> cases = {
      {"", [](R) { return true; }},
      {"   ", [](R) { return true; }},
      {"metrics.roc_auc > 0.8", [&](R r) { return m(r, "roc_auc") > 0.8; }},
      {"metrics.roc_auc >= 0.8", [&](R r) { return m(r, "roc_auc") >= 0.8; }},
      {"metrics.roc_auc <= 0.6", [&](R r) { return m(r, "roc_auc") && *m(r, "roc_auc") <= 0.6; }},
      {"metrics.roc_auc < .6", [&](R r) { return m(r, "roc_auc") && *m(r, "roc_auc") < 0.6; }},
      {"metrics.roc_auc = 0.75", [&](R r) { return m(r, "roc_auc") == 0.75; }},
      {"metrics.roc_auc != 0.75", [&](R r) { return m(r, "roc_auc") && *m(r, "roc_auc") != 0.75; }},
      {"metrics.roc_auc <> 0.75", [&](R r) { return m(r, "roc_auc") && *m(r, "roc_auc") != 0.75; }},
      {"not metrics.roc_auc = 0.75", [&](R r) { return m(r, "roc_auc") != 0.75; }},
      {"metrics.rmse < -5", [&](R r) { return *m(r, "rmse") < -5; }},
      {"metrics.rmse > 1e2", [&](R r) { return *m(r, "rmse") > 100; }},
      {"metrics.val-auc >= 0.4", [&](R r) { return m(r, "val-auc") >= 0.4; }},
      {"metrics.`val-auc` in (0, 0.2)",
       [&](R r) { return m(r, "val-auc") == 0.0 || m(r, "val-auc") == 0.2; }},
      {"metrics.missing > 0", [](R) { return false; }},
      {"params.model = 'gbdt'", [&](R r) { return p(r, "model") == "gbdt"; }},
      {"params.model != 'gbdt'", [&](R r) { return p(r, "model") != "gbdt"; }},
      {"params.model IN ('gbdt', 'rf')",
       [&](R r) { return p(r, "model") == "gbdt" || p(r, "model") == "rf"; }},
      {"params.model NOT IN ('gbdt', 'rf')",
       [&](R r) { return p(r, "model") != "gbdt" && p(r, "model") != "rf"; }},
      {"not params.model in ('gbdt')", [&](R r) { return p(r, "model") != "gbdt"; }},
      {"params.model LIKE 'g%'", [&](R r) { return p(r, "model") == "gbdt"; }},
      {"params.model ILIKE 'g%'",
       [&](R r) { return p(r, "model") == "gbdt" || p(r, "model") == "GBDT"; }},
      {"params.model NOT ILIKE 'G%'",
       [&](R r) { return p(r, "model") != "gbdt" && p(r, "model") != "GBDT"; }},
      {"params.model like '_f'", [&](R r) { return p(r, "model") == "rf"; }},
      // Numeric comparison of params: "10" > 4 although "10" < "4" as text;
      // "auto" is not a number and never matches.
      {"params.depth > 4", [&](R r) { return pnum(r, "depth") > 4.0; }},
      {"params.depth >= 2.5 and params.depth < 7",
       [&](R r) { return pnum(r, "depth") >= 2.5 && pnum(r, "depth") < 7.0; }},
      {"params.depth = 7", [&](R r) { return pnum(r, "depth") == 7.0; }},
      {"params.depth in (3, 10)",
       [&](R r) { return pnum(r, "depth") == 3.0 || pnum(r, "depth") == 10.0; }},
      {"params.depth = '10'", [&](R r) { return p(r, "depth") == "10"; }},
      {"params.depth < '4'", [&](R r) { return p(r, "depth") && *p(r, "depth") < "4"; }},
      {"params.depth != 3", [&](R r) { return pnum(r, "depth") && *pnum(r, "depth") != 3.0; }},
      {"params.lr = 0.1", [&](R r) { return pnum(r, "lr") == 0.1; }},
      {"params.\"my key\" = 'spaced'", [&](R r) { return p(r, "my key") == "spaced"; }},
      {"params.`my key` = 'spaced'", [&](R r) { return p(r, "my key") == "spaced"; }},
      {"tags.team = 'risk'", [&](R r) { return t(r, "team") == "risk"; }},
      {"tags.team ilike 'RISK'",
       [&](R r) { return t(r, "team") && Lower(*t(r, "team")) == "risk"; }},
      {"tags.team like 'risk'", [&](R r) { return t(r, "team") == "risk"; }},
      {"tags.note like '50\\% off'", [&](R r) { return t(r, "note") == "50% off"; }},
      {"tags.note like '%\\_%'", [&](R r) { return t(r, "note") == "a_b"; }},
      {"tags.note like 'star*glob?[x]'", [&](R r) { return t(r, "note") == "star*glob?[x]"; }},
      {"tags.note like 'star%'", [&](R r) { return t(r, "note") == "star*glob?[x]"; }},
      {"tags.note ilike 'STAR*GLOB?[X]'", [&](R r) { return t(r, "note") == "star*glob?[x]"; }},
      {"tags.note = 'back\\slash'", [&](R r) { return t(r, "note") == "back\\slash"; }},
      {"tags.team = 'it''s'", [](R) { return false; }},
      {"tags.team = 'risk' or not (attributes.status = 'FAILED')",
       [&](R r) { return t(r, "team") == "risk" || r.status != "FAILED"; }},
      {"metrics.roc_auc > 0.8 and params.model = 'gbdt'",
       [&](R r) { return m(r, "roc_auc") > 0.8 && p(r, "model") == "gbdt"; }},
      {"params.model IN ('gbdt', 'rf') and metrics.rmse <= 50",
       [&](R r) {
         return (p(r, "model") == "gbdt" || p(r, "model") == "rf") && *m(r, "rmse") <= 50;
       }},
      // and binds tighter than or; parentheses override.
      {"tags.team = 'growth' or params.model = 'rf' and metrics.rmse > 50",
       [&](R r) {
         return t(r, "team") == "growth" || (p(r, "model") == "rf" && *m(r, "rmse") > 50);
       }},
      {"(tags.team = 'growth' or params.model = 'rf') and metrics.rmse > 50",
       [&](R r) {
         return (t(r, "team") == "growth" || p(r, "model") == "rf") && *m(r, "rmse") > 50;
       }},
      {"NOT NOT tags.team = 'growth'", [&](R r) { return t(r, "team") == "growth"; }},
      {"attributes.status = 'finished'", [](R r) { return r.status == "FINISHED"; }},
      {"status != 'Finished'", [](R r) { return r.status != "FINISHED"; }},
      {"status in ('failed', 'KILLED')",
       [](R r) { return r.status == "FAILED" || r.status == "KILLED"; }},
      {"status like 'f%'", [](R r) { return r.status[0] == 'F'; }},
      {"attributes.experiment = 'exp-a'", [](R r) { return r.experiment == "exp-a"; }},
      {"experiment ilike 'exp-c'", [](R r) { return r.experiment == "Exp-C"; }},
      {"experiment like 'exp-%'", [](R r) { return r.experiment.rfind("exp-", 0) == 0; }},
      {"user = 'Carol'", [](R r) { return r.user == "Carol"; }},
      {"user = 'carol'", [](R) { return false; }},
      {"host = 'box2' and git_commit = 'def456'",
       [](R r) { return r.host == "box2" && r.git_commit == "def456"; }},
      {"name like 'Tune\\_%'", [](R r) { return r.name.rfind("Tune_", 0) == 0; }},
      {"run_id in ('run-03', 'run-07', 'nope')",
       [](R r) { return r.run_id == "run-03" || r.run_id == "run-07"; }},
      {"attributes.run_id > 'run-35'", [](R r) { return r.run_id > "run-35"; }},
      {"seed >= 200", [](R r) { return r.seed >= 200; }},
      {"seed = 14", [](R r) { return r.seed == 14; }},
      {"start_time >= '2026-11-26'", [](R r) { return r.start_us >= UtcMicros(2026, 11, 26); }},
      {"start_time < '2026-11-25T10:00:00Z'",
       [](R r) { return r.start_us < UtcMicros(2026, 11, 25, 10); }},
      {"start_time <= '2026-11-25 10:00'",
       [](R r) { return r.start_us <= UtcMicros(2026, 11, 25, 10); }},
      {"start_time > '2026-11-25T12:00:00+02:00'",
       [](R r) { return r.start_us > UtcMicros(2026, 11, 25, 10); }},
      {"start_time = '2026-11-25T05:00:00.000000Z'",
       [](R r) { return r.start_us == UtcMicros(2026, 11, 25, 5); }},
      {"start_time >= '2026-11-25T05:00:00.5Z'",
       [](R r) { return r.start_us > UtcMicros(2026, 11, 25, 5); }},
      {"start_time < '2026-11-25T04:59:59.999999Z'",
       [](R r) { return r.start_us < UtcMicros(2026, 11, 25, 5); }},
      {"start_time > " + std::to_string(kBase + 15 * kHour),
       [](R r) { return r.start_us > kBase + 15 * kHour; }},
      {"end_time >= " + std::to_string(kBase + 19 * kHour + 300 * 1000000LL),
       [](R r) { return r.end_us >= kBase + 19 * kHour + 300 * 1000000LL; }},
      {"METRICS.roc_auc > 0.9 AND Params.model = 'gbdt' Or TAGS.team = 'Risk'",
       [&](R r) {
         return (m(r, "roc_auc") > 0.9 && p(r, "model") == "gbdt") || t(r, "team") == "Risk";
       }},
      {"metric.rmse > 80 and param.model = 'rf' and tag.team = 'risk'",
       [&](R r) { return *m(r, "rmse") > 80 && p(r, "model") == "rf" && t(r, "team") == "risk"; }},
  };
  int checked = 0;
  for (const Case& c : cases) {
    if (!c.pred) continue;
    std::vector<std::string> expected = Expected(c.pred);
    EXPECT_EQ(Search(c.filter), expected) << c.filter;
    ++checked;
  }
  EXPECT_GT(checked, 60);
  // The data is varied enough that most queries select some runs but not all.
  int partial = 0;
  for (const Case& c : cases) {
    if (!c.pred) continue;
    size_t n = Expected(c.pred).size();
    if (n > 0 && n < runs_.size()) ++partial;
  }
  EXPECT_GT(partial, 55);
}

TEST_P(RunQueryTest, UserTextNeverEntersTheSql) {
  const std::string evil = "x' OR 1=1 --";
  Result<CompiledRunQuery> q =
      CompileRunQuery("params.model = 'x'' OR 1=1 --' or tags.\"a'b\" = 'c'",
                      {"params.\"k'); DROP TABLE runs; --\" desc"}, SqlDialect::kSqlite);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->where.find("1=1"), std::string::npos) << q->where;
  EXPECT_EQ(q->joins.find("DROP"), std::string::npos);
  EXPECT_EQ(q->where_params[1], SqlValue(evil));
  EXPECT_EQ(q->join_params[0], SqlValue(std::string("k'); DROP TABLE runs; --")));
  EXPECT_TRUE(Search("params.model = 'x'' OR 1=1 --'").empty());
  // Every placeholder has exactly one parameter.
  size_t marks = std::count(q->where.begin(), q->where.end(), '?');
  EXPECT_EQ(marks, q->where_params.size());
  EXPECT_EQ(std::count(q->joins.begin(), q->joins.end(), '?'),
            static_cast<long>(q->join_params.size()));
}

TEST(RunQueryShape, Sqlite) {
  Result<CompiledRunQuery> q = CompileRunQuery("metrics.auc > 0.8", {}, SqlDialect::kSqlite);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->where,
            "(r.run_id IN (SELECT x.run_id FROM latest_metrics x WHERE x.key = ? AND "
            "x.value > ?))");
  ASSERT_EQ(q->where_params.size(), 2u);
  EXPECT_EQ(q->where_params[0], SqlValue(std::string("auc")));
  EXPECT_EQ(q->where_params[1], SqlValue(0.8));
  EXPECT_EQ(q->joins, "");
  EXPECT_EQ(q->order_by, "r.start_us DESC, r.run_id");

  Result<CompiledRunQuery> empty = CompileRunQuery("", {}, SqlDialect::kSqlite);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->where, "1=1");
  EXPECT_TRUE(empty->where_params.empty());

  Result<CompiledRunQuery> time =
      CompileRunQuery("start_time > '2026-11-26T10:00:00Z'", {}, SqlDialect::kSqlite);
  ASSERT_TRUE(time.ok());
  EXPECT_EQ(time->where, "(r.start_us > ?)");
  EXPECT_EQ(time->where_params[0], SqlValue(UtcMicros(2026, 11, 26, 10)));

  Result<CompiledRunQuery> ord = CompileRunQuery(
      "", {"metrics.auc DESC", "params.model", "start_time desc"}, SqlDialect::kSqlite);
  ASSERT_TRUE(ord.ok());
  EXPECT_EQ(ord->joins,
            " LEFT JOIN latest_metrics o0 ON o0.run_id = r.run_id AND o0.key = ?"
            " LEFT JOIN params o1 ON o1.run_id = r.run_id AND o1.key = ?");
  EXPECT_EQ(ord->join_params, (std::vector<SqlValue>{std::string("auc"), std::string("model")}));
  EXPECT_EQ(ord->order_by,
            "(o0.value IS NULL), o0.value DESC, (o1.value IS NULL), o1.value ASC, "
            "r.start_us DESC, r.run_id");
}

TEST(RunQueryShape, Postgres) {
  Result<CompiledRunQuery> q =
      CompileRunQuery("params.model ilike 'G%' and tags.t like 'a\\_%' and params.depth > 3",
                      {"params.model"}, SqlDialect::kPostgres);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_NE(q->where.find("x.value ILIKE ?"), std::string::npos) << q->where;
  EXPECT_NE(q->where.find("x.value LIKE ?"), std::string::npos) << q->where;
  EXPECT_EQ(q->where.find("GLOB"), std::string::npos);
  EXPECT_NE(q->where.find("CAST(x.value AS DOUBLE PRECISION)"), std::string::npos);
  EXPECT_NE(q->order_by.find("o0.value COLLATE \"C\" ASC"), std::string::npos) << q->order_by;
  // PostgreSQL keeps LIKE's own backslash escapes: the pattern is passed as written.
  EXPECT_EQ(q->where_params[3], SqlValue(std::string("a\\_%")));
  // The driver rewrites `?` into $n: no `?` may appear except placeholders.
  EXPECT_EQ(static_cast<size_t>(std::count(q->where.begin(), q->where.end(), '?')),
            q->where_params.size());
}

// The deepest nesting accepted runs on the backend, as do long chains of
// conditions (SQLite refuses expressions deeper than 1000).
TEST_P(RunQueryTest, DeepestAcceptedQueryRuns) {
  std::string filter = std::string(32, '(') + "seed >= 0" + std::string(32, ')');
  EXPECT_EQ(Search(filter), Expected([](const TestRun& r) { return r.seed >= 0; }));
  std::string nots;
  for (int i = 0; i < 32; ++i) nots += "not ";
  EXPECT_EQ(Search(nots + "seed >= 0"), Expected([](const TestRun& r) { return r.seed >= 0; }));
  std::string chain = std::string(31, '(') + "params.x = 'a'";
  for (int i = 0; i < 498; ++i) chain += " or params.x = -1";
  chain += " or not seed < 0" + std::string(31, ')');
  EXPECT_EQ(Search(chain), Expected([](const TestRun& r) { return r.seed >= 0; }));
}

TEST_P(RunQueryTest, OrderingAndPaging) {
  auto by = [&](const std::function<bool(const TestRun&, const TestRun&)>& less) {
    std::vector<const TestRun*> v;
    for (const TestRun& r : runs_) v.push_back(&r);
    std::stable_sort(v.begin(), v.end(), [&](const TestRun* a, const TestRun* b) {
      if (less(*a, *b)) return true;
      if (less(*b, *a)) return false;
      return a->run_id < b->run_id;
    });
    std::vector<std::string> ids;
    for (const TestRun* r : v) ids.push_back(r->run_id);
    return ids;
  };
  // Missing values sort last in both directions.
  auto metric_order = [](bool desc) {
    return [desc](const TestRun& a, const TestRun& b) {
      auto x = Metric(a, "roc_auc"), y = Metric(b, "roc_auc");
      if (x.has_value() != y.has_value()) return x.has_value();
      if (!x) return false;
      return desc ? *x > *y : *x < *y;
    };
  };
  EXPECT_EQ(Search("", {"metrics.roc_auc DESC"}), by(metric_order(true)));
  EXPECT_EQ(Search("", {"metrics.roc_auc"}), by(metric_order(false)));
  EXPECT_EQ(Search("", {"metrics.roc_auc asc"}), by(metric_order(false)));
  // Two keys, as one entry with a comma and as two entries.
  auto two = [](const TestRun& a, const TestRun& b) {
    auto x = Get(a.params, "model"), y = Get(b.params, "model");
    if (*x != *y) return *x < *y;
    return a.start_us > b.start_us;
  };
  EXPECT_EQ(Search("", {"params.model", "start_time DESC"}), by(two));
  EXPECT_EQ(Search("", {"params.model ASC, attributes.start_time DESC"}), by(two));
  auto tag_desc = [](const TestRun& a, const TestRun& b) {
    auto x = Get(a.tags, "team"), y = Get(b.tags, "team");
    if (x.has_value() != y.has_value()) return x.has_value();
    return x && *x > *y;
  };
  EXPECT_EQ(Search("", {"tags.team DESC"}), by(tag_desc));
  EXPECT_EQ(Search("", {"experiment", "seed desc"}), by([](const TestRun& a, const TestRun& b) {
              if (a.experiment != b.experiment) return a.experiment < b.experiment;
              return a.seed > b.seed;
            }));
  // A filter and an order on the same key, and order keys with no filter on them.
  std::vector<std::string> filtered = Search("metrics.rmse > 40", {"metrics.val-auc desc"});
  std::vector<std::string> expect_filtered;
  for (const std::string& id : by([](const TestRun&a, const TestRun&b) {
         auto x = Metric(a, "val-auc"), y = Metric(b, "val-auc");
         if (x.has_value() != y.has_value()) return x.has_value();
         return x && *x > *y;
       })) {
    const TestRun& r =
        *std::find_if(runs_.begin(), runs_.end(), [&](const TestRun& t) { return t.run_id == id; });
    if (r.metrics.at("rmse") > 40) expect_filtered.push_back(id);
  }
  EXPECT_EQ(filtered, expect_filtered);

  // Pages of 7 put back together give the whole ordered list, with no
  // duplicates or gaps even where the sort key ties.
  std::vector<std::string> all = Search("", {"metrics.roc_auc DESC"});
  ASSERT_EQ(all.size(), runs_.size());
  std::vector<std::string> paged;
  for (int64_t off = 0; off < 50; off += 7) {
    std::vector<std::string> page = Search("", {"metrics.roc_auc DESC"}, 7, off);
    EXPECT_LE(page.size(), 7u);
    paged.insert(paged.end(), page.begin(), page.end());
  }
  EXPECT_EQ(paged, all);
  std::vector<std::string> everything = Expected([](const TestRun&) { return true; });
  EXPECT_EQ(Search("", {}, 5, 0),
            std::vector<std::string>(everything.begin(), everything.begin() + 5));
  EXPECT_EQ(Search("", {}, 5, 38),
            std::vector<std::string>(everything.begin() + 38, everything.end()));
}

INSTANTIATE_TEST_SUITE_P(Backends, RunQueryTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

struct ErrorCase {
  std::string filter;
  size_t column;
  std::string fragment;
};

TEST(RunQueryErrors, NameTheColumn) {
  const std::vector<ErrorCase> cases = {
      {"metrics.roc_auc >", 18, "expected a value after '>', found end of query"},
      {"metrics.roc_auc > 0.8 and params.model = ", 42, "expected a value after '='"},
      {"params.model = 'gbdt", 16, "unterminated string"},
      {"params.\"model = 'x'", 8, "unterminated quoted name"},
      {"attributes.colour = 'red'", 1, "unknown attribute 'colour'"},
      {"colour = 'red'", 1, "valid: run_id, experiment, name, status, start_time"},
      {"foo.bar = 1", 1, "unknown prefix 'foo'"},
      {"metrics.auc = 'high'", 15, "metric metrics.auc is compared with a number"},
      {"metrics.auc in (1, 'x')", 20, "compared with a number"},
      {"metrics.auc like '0.%'", 13, "LIKE applies to params, tags and text attributes"},
      {"start_time ilike '2026%'", 12, "ILIKE applies to"},
      {"params.model in ()", 18, "empty IN list"},
      {"params.model in 'a'", 17, "expected '(' after IN"},
      {"params.model in ('a' 'b')", 22, "expected ',' or ')'"},
      {"params.model = 'a' garbage", 20, "unexpected 'garbage' after a complete condition"},
      {"params.model = 'a')", 19, "unexpected ')'"},
      {"(params.model = 'a'", 20, "expected ')' to close the '(' at column 1"},
      {"params.model = \"gbdt\"", 16, "strings take single quotes"},
      {"params.model 'a'", 14, "expected an operator"},
      {"params.model ! 'a'", 14, "did you mean '!='"},
      {"params.model = 'a' and", 23, "expected a metric, param, tag or attribute"},
      {"and x = 1", 1, "expected a metric, param, tag or attribute"},
      {"params. = 'a'", 1, "expected a name after 'params.'"},
      {"status = 'DONE'", 10, "unknown status 'DONE'"},
      {"start_time > '2026-13-01'", 14, "is not a time"},
      {"start_time > '2026-02-30'", 14, "is not a time"},
      {"start_time > 'yesterday'", 14, "ISO-8601"},
      {"seed = 'x'", 8, "attribute seed is compared with a number"},
      {"metrics.auc > 1.2.3", 15, "malformed number"},
      {"metrics.auc > 12abc", 15, "malformed number"},
      {"params.x not = 'a'", 14, "expected IN, LIKE or ILIKE after NOT"},
      {"params.x like 5", 15, "LIKE needs a quoted pattern"},
      {"params.x = 'a' ; drop", 16, "unexpected character ';'"},
  };
  for (const ErrorCase& c : cases) {
    Result<CompiledRunQuery> q = CompileRunQuery(c.filter, {}, SqlDialect::kSqlite);
    ASSERT_FALSE(q.ok()) << c.filter;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << c.filter;
    std::string prefix = "query: column " + std::to_string(c.column) + ": ";
    EXPECT_EQ(q.status().message().rfind(prefix, 0), 0u)
        << c.filter << " -> " << q.status().message();
    EXPECT_NE(q.status().message().find(c.fragment), std::string::npos)
        << c.filter << " -> " << q.status().message();
  }
}

// Regression: 10,000 nested parentheses overflowed the stack; 500 made
// SQLite fail ("internal error"). Out-of-range literals matched every run.
TEST(RunQueryErrors, HostileQueriesAreBadInput) {
  auto error_of = [](const std::string& filter) {
    Result<CompiledRunQuery> q = CompileRunQuery(filter, {}, SqlDialect::kSqlite);
    EXPECT_FALSE(q.ok()) << filter.substr(0, 80);
    if (q.ok()) return std::string();
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    return q.status().message();
  };
  for (size_t n : {33, 500, 10000, 1000000}) {
    EXPECT_EQ(error_of(std::string(n, '(') + "seed = 1" + std::string(n, ')')),
              "query: column 33: the query nests 'not' and parentheses deeper than 32 levels");
    std::string nots;
    for (size_t i = 0; i < n; ++i) nots += "not ";
    EXPECT_EQ(error_of(nots + "seed = 1"),
              "query: column 129: the query nests 'not' and parentheses deeper than 32 levels");
  }
  std::string chain = "seed = 1";
  for (int i = 0; i < 500; ++i) chain += " or seed = 1";
  EXPECT_EQ(error_of(chain), "query: column 6001: the query has more than 500 conditions");
  EXPECT_EQ(error_of("start_time > 9223372036854775807"),
            "query: column 14: time 9223372036854775807 for start_time is out of range "
            "(microseconds since the epoch must lie within a signed 64-bit integer)");
  EXPECT_NE(error_of("end_time < -1e19").find("column 12: time -1e19 for end_time is out of range"),
            std::string::npos);
  EXPECT_NE(error_of("start_time in (1, 1e300)").find("column 19: time 1e300"), std::string::npos);
  EXPECT_EQ(error_of("metrics.auc < 1e999"),
            "query: column 15: number 1e999 is out of range (beyond a double, about 1.8e308)");
  EXPECT_NE(error_of("params.x = -2e400").find("column 12: number -2e400 is out of range"),
            std::string::npos);
  // In range: the largest time below 2^63 and a large but finite number.
  EXPECT_TRUE(CompileRunQuery("start_time < 9223372036854774784 and metrics.a < 1e308", {},
                              SqlDialect::kSqlite)
                  .ok());
}

TEST(RunQueryErrors, OrderByNamesTheEntry) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"metrics.auc UP", "order-by: 'metrics.auc UP': column 13: expected ASC, DESC or ','"},
      {"colour", "order-by: 'colour': column 1: unknown attribute 'colour'"},
      {"foo.bar desc", "order-by: 'foo.bar desc': column 1: unknown prefix 'foo'"},
      {"metrics.auc desc desc", "order-by: 'metrics.auc desc desc': column 18:"},
      {"'x'", "order-by: ''x'': column 1: expected a metric, param, tag or attribute"},
  };
  for (const auto& [entry, expected] : cases) {
    Result<CompiledRunQuery> q = CompileRunQuery("", {"start_time", entry}, SqlDialect::kSqlite);
    ASSERT_FALSE(q.ok()) << entry;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(q.status().message().rfind(expected, 0), 0u) << q.status().message();
  }
  // An empty entry is ignored rather than an error.
  EXPECT_TRUE(CompileRunQuery("", {""}, SqlDialect::kSqlite).ok());
}

}  // namespace
}  // namespace mlpipe::store
