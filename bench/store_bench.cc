// The metadata store's benchmarks, on SQLite or PostgreSQL; bench/run_bench.py
// (suite "store") runs it and prints the figures against the targets.
//
//   store_bench batch  URI [REPEATS]         LogMetrics of one 1,000-point batch
//   store_bench points URI [BATCHES]         BATCHES batches of 1,000 points, total
//   store_bench search URI RUNS [REPEATS] [MLPIPE]
//       SearchRuns "metrics.roc_auc > 0.8 and params.model = 'gbdt'" ordered by
//       metrics.roc_auc DESC, limit 100, over a store of RUNS runs (built with
//       batched inserts when it holds another number of runs); with MLPIPE,
//       also the whole `mlpipe runs search` process.
//
// URI is a SQLite path or a postgresql:// URI; "pg" means
// $MLPIPE_TEST_POSTGRES_URI (scripts/with_postgres.sh sets it). Prints one JSON
// object; times are seconds. CPU seconds (user + system) of the writes are
// reported for this process ("client_cpu_s") and, on PostgreSQL, for the whole
// server ("server_cpu_s": the postmaster $MLPIPE_TEST_POSTGRES_PID, its live
// children and those it reaped), as bench/mlflow_store_peer.py reports them.
// Build with `ninja store_bench`.
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mlpipe/core/random.h"
#include "mlpipe/store/metadata_store.h"
#include "sql.h"

extern char** environ;

namespace mlpipe::store {
namespace {

constexpr const char* kFilter = "metrics.roc_auc > 0.8 and params.model = 'gbdt'";
constexpr const char* kOrder = "metrics.roc_auc DESC";

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double ProcessCpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The fields of /proc/PID/stat after the command name; empty if it is gone.
std::vector<std::string> ProcStat(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(in, line)) return {};
  std::istringstream rest(line.substr(line.rfind(')') + 1));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

// CPU seconds of the PostgreSQL server: the postmaster with the children it
// has reaped (a backend's time moves there when it exits) and its live
// children. Empty without $MLPIPE_TEST_POSTGRES_PID.
std::optional<double> ServerCpu() {
  const char* env = std::getenv("MLPIPE_TEST_POSTGRES_PID");
  if (env == nullptr || *env == '\0') return std::nullopt;
  const std::string pid = env;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  std::vector<std::string> own = ProcStat(pid);
  if (own.size() < 15) return std::nullopt;
  double ticks = std::stod(own[11]) + std::stod(own[12]) + std::stod(own[13]) + std::stod(own[14]);
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return std::nullopt;
  while (dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::vector<std::string> f = ProcStat(name);
    if (f.size() > 12 && f[1] == pid) ticks += std::stod(f[11]) + std::stod(f[12]);
  }
  closedir(dir);
  return ticks / tick;
}

// Adds the CPU seconds spent since `client0` / `server0` to `out`.
void AddCpu(nlohmann::json& out, double client0, std::optional<double> server0) {
  out["client_cpu_s"] = ProcessCpu() - client0;
  if (server0) {
    if (std::optional<double> now = ServerCpu()) out["server_cpu_s"] = *now - *server0;
  }
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

[[noreturn]] void Die(const Status& s, const char* what) {
  std::fprintf(stderr, "store_bench %s: %s\n", what, s.ToString().c_str());
  std::exit(3);
}

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) Die(r.status(), what);
  return *std::move(r);
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) Die(s, what);
}

std::vector<Metric> Batch(int64_t first_step) {
  std::vector<Metric> batch;
  batch.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    std::string key = "m";
    key.append(std::to_string(i % 20));
    batch.push_back({std::move(key), 0.001 * i, first_step + i / 20, 0});
  }
  return batch;
}

nlohmann::json BenchBatch(MetadataStore& meta, int repeats) {
  RunInfo run = Check(meta.CreateRun("bench_batch", {}, "bench"), "CreateRun");
  std::vector<std::vector<Metric>> batches;
  for (int r = 0; r < repeats; ++r) batches.push_back(Batch(r * 50));
  std::vector<double> times;
  const double cpu0 = ProcessCpu();
  const std::optional<double> server0 = ServerCpu();
  for (const auto& batch : batches) {
    const double t0 = Now();
    Check(meta.LogMetrics(run.run_id, batch), "LogMetrics");
    times.push_back(Now() - t0);
  }
  nlohmann::json out = {{"batch_s", times}, {"median_s", Median(times)}, {"repeats", repeats}};
  AddCpu(out, cpu0, server0);
  return out;
}

nlohmann::json BenchPoints(MetadataStore& meta, int batches) {
  RunInfo run = Check(meta.CreateRun("bench_points", {}, "bench"), "CreateRun");
  std::vector<std::vector<Metric>> all;
  for (int b = 0; b < batches; ++b) all.push_back(Batch(b * 50));
  const double cpu0 = ProcessCpu();
  const std::optional<double> server0 = ServerCpu();
  const double t0 = Now();
  for (const auto& batch : all) Check(meta.LogMetrics(run.run_id, batch), "LogMetrics");
  const double total = Now() - t0;
  nlohmann::json out = {{"points", static_cast<int64_t>(batches) * 1000}, {"total_s", total}};
  AddCpu(out, cpu0, server0);
  return out;
}

// Fills the store with `runs` finished runs, each with three params and three
// metrics, straight through SqlConnection in transactions of 10,000 runs: the
// tracking API would add two audit entries per run and take minutes.
void BuildRuns(SqlConnection& db, int64_t runs) {
  core::Rng rng(7);
  Check(db.Exec("INSERT INTO experiments (name, created_us) VALUES ('search', 1)").status(),
        "insert experiment");
  const int64_t exp_id =
      Check(db.Query("SELECT id FROM experiments WHERE name = 'search'"), "experiment")[0].Int(0);
  const char* models[] = {"gbdt", "logreg", "rf", "ridge"};
  for (int64_t first = 0; first < runs; first += 10000) {
    std::vector<std::vector<SqlValue>> run_rows, param_rows, metric_rows;
    for (int64_t i = first; i < std::min(runs, first + 10000); ++i) {
      char id[33];
      std::snprintf(id, sizeof(id), "%032llx", static_cast<unsigned long long>(i + 1));
      const int64_t start = 1700000000000000LL + i * 1000;
      run_rows.push_back({std::string(id), exp_id, std::string("FINISHED"), start, start + 500});
      param_rows.push_back(
          {std::string(id), std::string("model"), std::string(models[rng.Below(4)])});
      param_rows.push_back(
          {std::string(id), std::string("max_depth"), std::to_string(2 + rng.Below(8))});
      param_rows.push_back({std::string(id), std::string("seed"), std::to_string(i)});
      metric_rows.push_back(
          {std::string(id), std::string("roc_auc"), 0.5 + 0.5 * rng.Uniform(), int64_t{0}, start});
      metric_rows.push_back(
          {std::string(id), std::string("accuracy"), rng.Uniform(), int64_t{0}, start});
      metric_rows.push_back(
          {std::string(id), std::string("log_loss"), rng.Uniform(), int64_t{0}, start});
    }
    Check(InTransaction(
              db,
              [&]() -> Status {
                MLPIPE_RETURN_IF_ERROR(db.ExecBatch(
                    "INSERT INTO runs (run_id, experiment_id, status, start_us, end_us) "
                    "VALUES (?, ?, ?, ?, ?)",
                    run_rows));
                MLPIPE_RETURN_IF_ERROR(db.ExecBatch(
                    "INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", param_rows));
                MLPIPE_RETURN_IF_ERROR(
                    db.ExecBatch("INSERT INTO metrics (run_id, key, value, step, timestamp_us) "
                                 "VALUES (?, ?, ?, ?, ?)",
                                 metric_rows));
                return db.ExecBatch(
                    "INSERT INTO latest_metrics (run_id, key, value, step, "
                    "timestamp_us) VALUES (?, ?, ?, ?, ?)",
                    metric_rows);
              }),
          "insert runs");
  }
  // Fresh statistics (and on PostgreSQL the visibility map that index-only
  // scans need), as autovacuum gives a store that has lived a while.
  Check(db.ExecScript(db.dialect() == SqlDialect::kPostgres ? "VACUUM ANALYZE" : "ANALYZE"),
        "ANALYZE");
}

// Runs `argv` with stdout to /dev/null; returns its wall time.
double TimeProcess(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  const double t0 = Now();
  pid_t pid;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "store_bench: cannot start %s\n", args[0]);
    std::exit(3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const double t = Now() - t0;
  posix_spawn_file_actions_destroy(&fa);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "store_bench: %s exited with status %d\n", args[0], status);
    std::exit(3);
  }
  return t;
}

nlohmann::json BenchSearch(const std::string& uri, int64_t runs, int repeats,
                           const std::string& mlpipe) {
  const bool pg = uri.rfind("postgresql://", 0) == 0;
  nlohmann::json out;
  {
    // Migrate first (an empty store), then count what is there.
    auto meta = Check(OpenMetadataStore(uri), "open store");
    auto db = Check(pg ? OpenPostgres(uri) : OpenSqlite(uri), "open connection");
    const int64_t have = Check(db->Query("SELECT COUNT(*) FROM runs"), "count runs")[0].Int(0);
    if (have != runs) {
      if (have != 0) {
        std::fprintf(stderr, "store_bench: %s holds %lld runs, not %lld; remove it first\n",
                     uri.c_str(), static_cast<long long>(have), static_cast<long long>(runs));
        std::exit(2);
      }
      const double t0 = Now();
      BuildRuns(*db, runs);
      out["build_s"] = Now() - t0;
    }
  }
  auto meta = Check(OpenMetadataStore(uri), "open store");
  RunQuery q;
  q.filter = kFilter;
  q.order_by = {kOrder};
  q.limit = 100;
  std::vector<double> times;
  int64_t total = 0;
  for (int r = 0; r < repeats + 1; ++r) {  // the first one warms the cache
    const double t0 = Now();
    RunPage page = Check(meta->SearchRuns(q), "SearchRuns");
    if (r > 0) times.push_back(Now() - t0);
    total = page.total;
    if (page.runs.size() != 100) {
      std::fprintf(stderr, "store_bench: the search returned %zu runs\n", page.runs.size());
      std::exit(3);
    }
  }
  out["runs"] = runs;
  out["matches"] = total;
  out["search_s"] = times;
  out["median_search_s"] = Median(times);
  if (!mlpipe.empty()) {
    std::vector<double> cli;
    for (int r = 0; r < std::max(3, repeats / 2); ++r) {
      cli.push_back(TimeProcess({mlpipe, "-q", "--store", uri, "runs", "search", kFilter,
                                 "--order-by", kOrder, "--limit", "100"}));
    }
    out["cli_s"] = cli;
    out["median_cli_s"] = Median(cli);
  }
  return out;
}

std::string ResolveUri(std::string uri) {
  if (uri != "pg") return uri;
  const char* env = std::getenv("MLPIPE_TEST_POSTGRES_URI");
  if (env == nullptr || *env == '\0') {
    std::fprintf(stderr,
                 "store_bench: 'pg' needs MLPIPE_TEST_POSTGRES_URI "
                 "(run under scripts/with_postgres.sh)\n");
    std::exit(2);
  }
  return env;
}

int Main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: store_bench batch URI [REPEATS]\n"
                 "       store_bench points URI [BATCHES]\n"
                 "       store_bench search URI RUNS [REPEATS] [MLPIPE]\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::string uri = ResolveUri(argv[2]);
  nlohmann::json out;
  if (mode == "batch") {
    auto meta = Check(OpenMetadataStore(uri), "open store");
    out = BenchBatch(*meta, argc > 3 ? std::atoi(argv[3]) : 50);
  } else if (mode == "points") {
    auto meta = Check(OpenMetadataStore(uri), "open store");
    out = BenchPoints(*meta, argc > 3 ? std::atoi(argv[3]) : 1000);
  } else if (mode == "search" && argc >= 4) {
    out = BenchSearch(uri, std::atoll(argv[3]), argc > 4 ? std::atoi(argv[4]) : 20,
                      argc > 5 ? argv[5] : "");
  } else {
    std::fprintf(stderr, "store_bench: unknown mode '%s'\n", mode.c_str());
    return 2;
  }
  out["mode"] = mode;
  out["backend"] = uri.rfind("postgresql://", 0) == 0 ? "postgresql" : "sqlite";
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace mlpipe::store

int main(int argc, char** argv) { return mlpipe::store::Main(argc, argv); }
