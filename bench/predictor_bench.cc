// The Predictor's scoring paths on a binary GBDT of 100 trees of depth 6 over
// 20 input columns (16 numeric with 2% missing, an integer, 3 categoricals)
// with features (median impute, one-hot, standard scale):
// - single-row latency through the row path (PredictRowValues, and
//   PredictRow from a JSON object), through the old columnar path (the row as
//   a one-row table through FeaturePipeline::ToMatrix and the model), and the
//   model's compiled trees alone on ready features;
// - batch rows/s of Predict on 200,000 rows, on 1 and 2 threads;
// and, in the same run, XGBoost's own single-row prediction from Python
// (python3-xgboost, Booster.inplace_predict on one row, nthread 1) of the same
// trees on the same feature rows (bench/xgb_row_peer.py); ratios are printed.
//
//   build/bin/predictor_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/random.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::bundle {
namespace {

constexpr size_t kRows = 20000;
constexpr size_t kBatchRows = 200000;

template <typename T>
T OrDie(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

struct Setup {
  table::Table data;  // kRows, schema columns + "y"
  table::Table batch;
  std::unique_ptr<Predictor> predictor;
  features::FeaturePipeline pipeline;  // for the old columnar path
  std::vector<core::Json> json_rows;
  std::vector<std::vector<RowValue>> value_rows;
  table::DenseMatrix features;  // the model's features of every row
  core::Json xgb_model;
};

table::Table MakeData(size_t rows, uint64_t seed) {
  core::Rng rng(seed);
  table::Table t;
  std::vector<double> y(rows, 0.0);
  std::vector<std::vector<double>> num(16, std::vector<double>(rows));
  for (size_t c = 0; c < 16; ++c) {
    std::vector<uint8_t> valid(rows, 1);
    for (size_t r = 0; r < rows; ++r) {
      num[c][r] = rng.Normal() * (c + 1) + static_cast<double>(c);
      valid[r] = rng.Uniform() < 0.02 ? 0 : 1;
    }
    (void)t.AddColumn(table::Column::Float64(fmt::format("x{}", c), num[c], valid));
  }
  std::vector<int64_t> n(rows);
  std::vector<std::string> a(rows), b(rows), d(rows);
  for (size_t r = 0; r < rows; ++r) {
    n[r] = static_cast<int64_t>(rng.Below(100));
    a[r] = fmt::format("a{}", rng.Below(10));
    b[r] = fmt::format("b{}", rng.Below(30));
    d[r] = fmt::format("d{}", rng.Below(5));
    const double z = std::sin(num[0][r]) * num[1][r] / 2 + num[2][r] * 0.3 - num[3][r] / 4 +
                     (a[r] == "a3" ? 1.5 : 0) + (d[r] == "d1" ? -1 : 0) + 0.01 * n[r] +
                     rng.Normal();
    y[r] = z > 1 ? 1 : 0;
  }
  (void)t.AddColumn(table::Column::Int64("n", n));
  (void)t.AddColumn(table::Column::CategoricalFromStrings("a", a));
  (void)t.AddColumn(table::Column::CategoricalFromStrings("b", b));
  (void)t.AddColumn(table::Column::CategoricalFromStrings("d", d));
  (void)t.AddColumn(table::Column::Float64("y", y));
  return t;
}

const Setup& GetSetup() {
  static Setup* s = [] {
    auto* setup = new Setup();
    setup->data = MakeData(kRows, 7);
    auto pipeline = OrDie(features::FeaturePipeline::FromJson(core::Json::parse(R"j([
      {"name": "impute", "strategy": "median"},
      {"name": "one_hot", "columns": ["a", "b", "d"], "handle_unknown": "ignore"},
      {"name": "scale"}
    ])j")));
    OrDie(pipeline.FitTransform(setup->data, setup->data.FindColumn("y")));
    table::DenseMatrix x = OrDie(pipeline.ToMatrix(setup->data));
    std::vector<float> y(kRows);
    for (size_t r = 0; r < kRows; ++r)
      y[r] = static_cast<float>(setup->data.column(20).float64s()[r]);
    models::Dataset train{&x, y, {}};
    models::FitOptions o;
    o.task = models::Task::kBinary;
    o.seed = 1;
    o.nthread = 2;
    o.params = {{"n_estimators", 100.0}, {"max_depth", 6.0}, {"min_child_weight", 0.0}};
    auto model = OrDie(models::FitModel("gbdt", train, o));
    ModelBundle b;
    b.task = models::Task::kBinary;
    b.target = "y";
    b.family = "gbdt";
    b.classes = {"0", "1"};
    b.positive = "1";
    for (size_t c = 0; c < 20; ++c) {
      profile::ColumnSchema cs;
      cs.name = setup->data.column(c).name();
      cs.type = setup->data.column(c).type();
      b.schema.columns.push_back(cs);
    }
    b.features = pipeline.ToJson();
    b.model = OrDie(model->Save());
    setup->xgb_model = OrDie(core::ParseJson(b.model, "model"))["model"];
    setup->pipeline = OrDie(features::FeaturePipeline::FromJson(b.features));
    setup->predictor = OrDie(Predictor::Create(std::move(b)));
    if (!setup->predictor->row_path()) std::exit(1);
    setup->features = std::move(x);
    const core::Json lists = TableToJsonRows(OrDie(setup->predictor->Conform(setup->data)));
    for (size_t r = 0; r < kRows; ++r) {
      core::Json row = core::Json::object();
      for (size_t c = 0; c < 20; ++c) row[setup->data.column(c).name()] = lists[r][c];
      setup->json_rows.push_back(std::move(row));
    }
    for (const auto& row : setup->json_rows) {
      std::vector<RowValue> v;
      for (size_t c = 0; c < 20; ++c) {
        const core::Json& j = row[setup->data.column(c).name()];
        if (j.is_null()) {
          v.emplace_back(std::monostate());
        } else if (j.is_string()) {
          v.emplace_back(std::string_view(j.get_ref<const std::string&>()));
        } else if (j.is_number_integer()) {
          v.emplace_back(j.get<int64_t>());
        } else {
          v.emplace_back(j.get<double>());
        }
      }
      setup->value_rows.push_back(std::move(v));
    }
    std::vector<size_t> idx(kBatchRows);
    for (size_t i = 0; i < kBatchRows; ++i) idx[i] = (i * 7919) % kRows;
    setup->batch = setup->data.Take(idx);
    return setup;
  }();
  return *s;
}

void BM_RowPathValues(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t r = 0;
  double out[2];
  int32_t label = 0;
  for (auto _ : state) {
    Status st = s.predictor->PredictRowValues(s.value_rows[r], out, &label);
    if (!st.ok()) state.SkipWithError(st.ToString().c_str());
    benchmark::DoNotOptimize(out);
    r = r + 1 == kRows ? 0 : r + 1;
  }
}
BENCHMARK(BM_RowPathValues);

void BM_RowPathJson(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t r = 0;
  for (auto _ : state) {
    auto sc = s.predictor->PredictRow(s.json_rows[r]);
    if (!sc.ok()) state.SkipWithError(sc.status().ToString().c_str());
    benchmark::DoNotOptimize(sc);
    r = r + 1 == kRows ? 0 : r + 1;
  }
}
BENCHMARK(BM_RowPathJson);

// What PredictRow did before the row path: the JSON row as a one-row table,
// conformed, through the columnar pipeline and the model's batch Predict.
void BM_ColumnarRowJson(benchmark::State& state) {
  const Setup& s = GetSetup();
  const auto& schema = s.predictor->bundle().schema;
  size_t r = 0;
  for (auto _ : state) {
    core::Json values = core::Json::array();
    for (const auto& c : schema.columns) values.push_back(s.json_rows[r][c.name]);
    auto t = OrDie(TableFromJsonRows(schema, core::Json::array({values}), "row"));
    auto x = OrDie(s.pipeline.ToMatrix(OrDie(s.predictor->Conform(t))));
    auto p = OrDie(s.predictor->model().Predict(x));
    benchmark::DoNotOptimize(p);
    r = r + 1 == kRows ? 0 : r + 1;
  }
}
BENCHMARK(BM_ColumnarRowJson);

// The model alone on ready features: the compiled trees and the sigmoid.
void BM_ModelOnlyRow(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t r = 0;
  double out[2];
  for (auto _ : state) {
    Status st = s.predictor->model().PredictRow(s.features.row(r), out);
    benchmark::DoNotOptimize(out);
    benchmark::DoNotOptimize(st);
    r = r + 1 == kRows ? 0 : r + 1;
  }
}
BENCHMARK(BM_ModelOnlyRow);

void BM_Batch(benchmark::State& state) {
  const Setup& s = GetSetup();
  const size_t threads = static_cast<size_t>(state.range(0));
  core::ThreadPool pool(threads);
  for (auto _ : state) {
    auto sc = s.predictor->Predict(s.batch, threads > 1 ? &pool : nullptr);
    if (!sc.ok()) state.SkipWithError(sc.status().ToString().c_str());
    benchmark::DoNotOptimize(sc);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatchRows));
}
BENCHMARK(BM_Batch)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// Keeps each benchmark's real time per iteration in nanoseconds (the median
// when repeated) and its rows/s.
class Collect : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> ns, items;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      const bool repeated = run.repetitions > 1;
      if (repeated && run.aggregate_name != "median") continue;
      std::string name = run.run_name.str();
      const double unit = run.time_unit == benchmark::kMillisecond ? 1e6 : 1.0;
      ns[name] = run.GetAdjustedRealTime() * unit;
      auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) items[name] = it->second;
    }
  }
};

}  // namespace
}  // namespace mlpipe::bundle

int main(int argc, char** argv) {
  using mlpipe::bundle::GetSetup;
  benchmark::Initialize(&argc, argv);
  mlpipe::bundle::Collect reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  // The peer, on the same trees and the same feature rows.
  const auto& s = GetSetup();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mlpipe_predictor_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "model.json") << s.xgb_model.dump();
  std::ofstream(dir / "x.f32", std::ios::binary)
      .write(reinterpret_cast<const char*>(s.features.values.data()),
             static_cast<std::streamsize>(s.features.values.size() * sizeof(float)));
  const std::string cmd = "/usr/bin/python3 " + std::string(MLPIPE_SOURCE_DIR) +
                          "/bench/xgb_row_peer.py " + (dir / "model.json").string() + " " +
                          (dir / "x.f32").string() + " " + std::to_string(s.features.cols);
  double xgb_us = std::nan("");
  if (FILE* f = popen(cmd.c_str(), "r")) {
    if (std::fscanf(f, "%lf", &xgb_us) != 1) xgb_us = std::nan("");
    pclose(f);
  }
  std::filesystem::remove_all(dir);
  auto us = [&](const char* n) { return reporter.ns[n] / 1000.0; };
  std::printf(
      "\nsingle row (us): row path %.3f, row path from JSON %.3f, old columnar path %.3f, "
      "model alone %.3f, XGBoost inplace_predict from Python %.3f\n",
      us("BM_RowPathValues"), us("BM_RowPathJson"), us("BM_ColumnarRowJson"), us("BM_ModelOnlyRow"),
      xgb_us);
  std::printf(
      "ratios: old columnar / row path %.1fx; XGBoost Python / row path %.1fx; "
      "XGBoost Python / row path from JSON %.1fx\n",
      us("BM_ColumnarRowJson") / us("BM_RowPathValues"), xgb_us / us("BM_RowPathValues"),
      xgb_us / us("BM_RowPathJson"));
  const double r1 = reporter.items["BM_Batch/1/real_time"];
  const double r2 = reporter.items["BM_Batch/2/real_time"];
  std::printf("batch rows/s: 1 thread %.0f, 2 threads %.0f (x%.2f)\n", r1, r2, r2 / r1);
  benchmark::Shutdown();
  return 0;
}
