// The embedded C API's scoring speed (bench/run_bench.py suite "capi").
//
// Builds a bundle of a GBDT of 100 trees of depth 6 (no early stopping) on
// synthetic data — 18 numeric columns (2% missing) and 2 categorical ones of
// 6 levels, binary target — through eval::Train and bundle::BuildBundle, then
// scores it through libmlpipe.so as an embedding program does:
//   - single-row latency, features included: one row per call through
//     mlpipe_predict_json (JSON text parsed, conformed, pipeline, trees) and
//     through mlpipe_predict_matrix (one row of doubles + strings); rows are
//     cycled over 1,000 distinct ones; per-call p50/p99 and the mean;
//   - batch throughput: mlpipe_predict_matrix on 100,000 rows in one call, and
//     on 1 and 2 threads each scoring its own 100,000-row batch on one handle.
//
//   capi_bench [--json] [--seconds S]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "mlpipe/bundle/build.h"
#include "mlpipe/bundle/bundle.h"
#include "mlpipe/c_api.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/random.h"
#include "mlpipe/eval/train.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kTrainRows = 20000;
constexpr size_t kNumeric = 18;
constexpr size_t kCategorical = 2;
constexpr size_t kLevels = 6;

template <typename T>
T OrDie(mlpipe::Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void Check(int rc, const char* what) {
  if (rc != MLPIPE_OK) {
    std::fprintf(stderr, "%s: %s\n", what, mlpipe_last_error());
    std::exit(1);
  }
}

// Synthetic rows: numeric x0..x17 (NaN = missing), categorical c0, c1.
struct Rows {
  size_t n = 0;
  std::vector<double> numeric;      // n x kNumeric
  std::vector<std::string> levels;  // n x kCategorical
};

Rows MakeRows(size_t n, uint64_t seed) {
  mlpipe::core::Rng rng(seed);
  Rows r;
  r.n = n;
  r.numeric.resize(n * kNumeric);
  r.levels.resize(n * kCategorical);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < kNumeric; ++j) {
      r.numeric[i * kNumeric + j] = rng.Uniform() < 0.02 ? NAN : rng.Normal();
    }
    for (size_t j = 0; j < kCategorical; ++j) {
      char level[8];
      std::snprintf(level, sizeof level, "L%zu",
                    static_cast<size_t>(rng.Uniform() * kLevels) % kLevels);
      r.levels[i * kCategorical + j].assign(level, std::strlen(level));
    }
  }
  return r;
}

// "x3", "c1": the synthetic columns' names.
std::string Name(char prefix, size_t j) {
  std::string name(1, prefix);
  name += std::to_string(j);
  return name;
}

std::string BuildBundleFile() {
  Rows r = MakeRows(kTrainRows, 7);
  mlpipe::table::Table t;
  mlpipe::core::Rng rng(11);
  for (size_t j = 0; j < kNumeric; ++j) {
    std::vector<double> v(r.n);
    std::vector<uint8_t> valid(r.n, 1);
    for (size_t i = 0; i < r.n; ++i) {
      v[i] = r.numeric[i * kNumeric + j];
      if (std::isnan(v[i])) v[i] = 0, valid[i] = 0;
    }
    (void)t.AddColumn(mlpipe::table::Column::Float64(Name('x', j), v, valid));
  }
  for (size_t j = 0; j < kCategorical; ++j) {
    std::vector<std::string> v(r.n);
    for (size_t i = 0; i < r.n; ++i) v[i] = r.levels[i * kCategorical + j];
    (void)t.AddColumn(mlpipe::table::Column::CategoricalFromStrings(Name('c', j), v));
  }
  std::vector<std::string> y(r.n);
  for (size_t i = 0; i < r.n; ++i) {
    auto x = [&](size_t j) {
      const double v = r.numeric[i * kNumeric + j];
      return std::isnan(v) ? 0.0 : v;
    };
    const double s = std::sin(x(0)) * x(1) + x(2) * x(3) - std::fabs(x(4)) +
                     (r.levels[i * kCategorical] == "L2" ? 1.0 : 0.0) + 0.5 * rng.Normal();
    y[i] = s > 0 ? "yes" : "no";
  }
  (void)t.AddColumn(mlpipe::table::Column::CategoricalFromStrings("y", y));

  mlpipe::eval::TrainOptions o;
  o.target = "y";
  o.families = {"gbdt"};
  o.search = "random:1";
  o.cv = 2;
  o.bootstrap = 1;
  o.seed = 3;
  o.search_overrides["gbdt"] = {{"n_estimators", true, 100, 100, {}},
                                {"max_depth", true, 6, 6, {}}};
  const auto result = OrDie(mlpipe::eval::Train(t, o));
  std::fprintf(stderr, "model params: %s\n", result.best().json["params"].dump().c_str());
  const auto bundle = OrDie(mlpipe::bundle::BuildBundle(result, t, {}));
  std::string path = "/tmp/capi_bench_";
  path += std::to_string(::getpid());
  path += ".mlpb";
  const auto s = mlpipe::bundle::WriteBundleFile(mlpipe::core::Env::Default(), path, bundle);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    std::exit(1);
  }
  return path;
}

std::string JsonRow(const Rows& r, size_t i) {
  std::string out = "{";
  char buf[64];
  for (size_t j = 0; j < kNumeric; ++j) {
    const double v = r.numeric[i * kNumeric + j];
    if (std::isnan(v)) {
      std::snprintf(buf, sizeof buf, "\"x%zu\":null,", j);
    } else {
      std::snprintf(buf, sizeof buf, "\"x%zu\":%.17g,", j, v);
    }
    out += buf;
  }
  for (size_t j = 0; j < kCategorical; ++j) {
    char key[32];
    std::snprintf(key, sizeof key, "\"c%zu\":\"", j);
    out += key;
    out += r.levels[i * kCategorical + j];
    out += j + 1 < kCategorical ? "\"," : "\"}";
  }
  return out;
}

struct Latency {
  double p50_us, p99_us, mean_us;
  double cpu_us;  // this thread's CPU time per call: steadier than wall time on a loaded machine
};

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

template <typename Fn>
Latency Measure(double seconds, Fn&& call) {
  std::vector<double> us;
  us.reserve(1 << 20);
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  const double cpu0 = ThreadCpuSeconds();
  for (size_t i = 0; Clock::now() < end; ++i) {
    const auto t0 = Clock::now();
    call(i);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  const double cpu_us = (ThreadCpuSeconds() - cpu0) * 1e6 / us.size();
  double sum = 0;
  for (double v : us) sum += v;
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[us.size() * 99 / 100], sum / us.size(), cpu_us};
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  double seconds = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = std::atof(argv[++i]);
  }
  const std::string path = BuildBundleFile();
  mlpipe_model* m = nullptr;
  Check(mlpipe_model_load_file(path.c_str(), &m), "load");
  std::remove(path.c_str());

  // 1,000 distinct rows for the single-row calls.
  const Rows rows = MakeRows(1000, 99);
  std::vector<std::string> json_rows(rows.n);
  std::vector<const char*> cats(rows.n * kCategorical);
  for (size_t i = 0; i < rows.n; ++i) {
    json_rows[i] = JsonRow(rows, i);
    for (size_t j = 0; j < kCategorical; ++j) {
      cats[i * kCategorical + j] = rows.levels[i * kCategorical + j].c_str();
    }
  }
  int label = 0;
  double p[2];
  const Latency lj = Measure(seconds, [&](size_t i) {
    Check(
        mlpipe_predict_json(m, json_rows[i % rows.n].c_str(), nullptr, &label, 1, p, 2, nullptr, 0),
        "predict_json");
  });
  const Latency lm = Measure(seconds, [&](size_t i) {
    const size_t r = i % rows.n;
    Check(mlpipe_predict_matrix(m, 1, &rows.numeric[r * kNumeric], kNumeric,
                                &cats[r * kCategorical], kCategorical, &label, 1, p, 2, nullptr, 0),
          "predict_matrix");
  });

  // Batch: 100,000 rows per call; 1 thread, then 2 threads on one handle.
  constexpr size_t kBatch = 100000;
  const Rows batch = MakeRows(kBatch, 123);
  std::vector<const char*> bcats(kBatch * kCategorical);
  for (size_t i = 0; i < bcats.size(); ++i) bcats[i] = batch.levels[i].c_str();
  auto score_batch = [&] {
    std::vector<int> labels(kBatch);
    std::vector<double> probs(kBatch * 2);
    Check(
        mlpipe_predict_matrix(m, kBatch, batch.numeric.data(), kNumeric, bcats.data(), kCategorical,
                              labels.data(), kBatch, probs.data(), probs.size(), nullptr, 0),
        "predict_matrix batch");
  };
  auto rate = [&](int threads) {
    std::vector<double> per;
    for (int rep = 0; rep < 5; ++rep) {
      const auto t0 = Clock::now();
      std::vector<std::thread> ts;
      for (int t = 0; t < threads; ++t) ts.emplace_back(score_batch);
      for (auto& t : ts) t.join();
      per.push_back(threads * kBatch / std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::sort(per.begin(), per.end());
    return per[per.size() / 2];
  };
  score_batch();  // warm up
  const double r1 = rate(1), r2 = rate(2);
  // One batch's CPU time on this thread: rows per CPU second.
  const double cpu0 = ThreadCpuSeconds();
  score_batch();
  const double r1_cpu = kBatch / (ThreadCpuSeconds() - cpu0);
  mlpipe_model_free(m);

  if (json) {
    std::printf(
        "{\"json_row\":{\"p50_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,\"cpu_us\":%.3f},"
        "\"matrix_row\":{\"p50_us\":%.3f,\"p99_us\":%.3f,\"mean_us\":%.3f,\"cpu_us\":%.3f},"
        "\"batch_rows_per_s_1_thread\":%.0f,\"batch_rows_per_s_2_threads\":%.0f,"
        "\"batch_rows_per_cpu_s\":%.0f}\n",
        lj.p50_us, lj.p99_us, lj.mean_us, lj.cpu_us, lm.p50_us, lm.p99_us, lm.mean_us, lm.cpu_us,
        r1, r2, r1_cpu);
  } else {
    std::printf("single row, JSON entry:   p50 %.2f us  p99 %.2f us  mean %.2f us  CPU %.2f us\n",
                lj.p50_us, lj.p99_us, lj.mean_us, lj.cpu_us);
    std::printf("single row, matrix entry: p50 %.2f us  p99 %.2f us  mean %.2f us  CPU %.2f us\n",
                lm.p50_us, lm.p99_us, lm.mean_us, lm.cpu_us);
    std::printf(
        "batch of %zu rows, matrix entry: %.0f rows/s on 1 thread, %.0f rows/s on 2, "
        "%.0f rows per CPU second\n",
        kBatch, r1, r2, r1_cpu);
  }
  return 0;
}
