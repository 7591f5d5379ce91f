// Single-row latency of the compiled TreeEnsemblePredictor against XGBoost's
// own in-place prediction (XGBoosterPredictFromDense, one row, nthread 1), on
// a gbdt of 100 trees of depth 6 trained on synthetic data (20 features, 2% of
// values missing). Both predict the margin; rows are cycled so that the
// branch predictor cannot learn one path.
//
//   build/bin/tree_predictor_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "mlpipe/core/random.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/models/tree_predictor.h"
#include "xgb_booster.h"

namespace mlpipe::models {
namespace {

constexpr size_t kRows = 20000;
constexpr size_t kCols = 20;

struct Setup {
  table::DenseMatrix x;
  std::unique_ptr<TreeEnsemblePredictor> predictor;
  std::unique_ptr<XgbBooster> booster;
};

template <typename T>
T OrDie(Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

const Setup& GetSetup() {
  static Setup* s = [] {
    auto* setup = new Setup();
    core::Rng rng(42);
    setup->x = table::DenseMatrix(kRows, kCols);
    std::vector<float> y(kRows);
    for (size_t r = 0; r < kRows; ++r) {
      for (size_t c = 0; c < kCols; ++c) setup->x.at(r, c) = static_cast<float>(rng.Normal());
      const float* v = setup->x.row(r);
      y[r] = static_cast<float>(std::sin(v[0]) * v[1] + v[2] * v[3] - std::fabs(v[4]) +
                                0.5 * v[5] * v[6] * v[7] + 0.1 * rng.Normal());
      for (size_t c = 0; c < kCols; ++c) {
        if (rng.Uniform() < 0.02) setup->x.at(r, c) = std::numeric_limits<float>::quiet_NaN();
      }
    }
    Dataset train{&setup->x, y, {}};
    FitOptions o;
    o.task = Task::kRegression;
    o.seed = 1;
    o.nthread = 2;
    o.params = {{"n_estimators", 100.0}, {"max_depth", 6.0}, {"min_child_weight", 0.0}};
    std::unique_ptr<Model> m = OrDie(FitModel("gbdt", train, o));
    core::Json j = OrDie(core::ParseJson(OrDie(m->Save()), "model"))["model"];
    setup->predictor =
        std::make_unique<TreeEnsemblePredictor>(OrDie(TreeEnsemblePredictor::FromXgboostJson(j)));
    setup->booster = std::make_unique<XgbBooster>(OrDie(XgbBooster::Load(j.dump())));
    if (!setup->booster->SetParam("nthread", "1").ok()) std::exit(1);
    return setup;
  }();
  return *s;
}

void BM_CompiledPredictorRow(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t r = 0;
  float margin = 0;
  for (auto _ : state) {
    s.predictor->PredictMargin(s.x.row(r), &margin);
    benchmark::DoNotOptimize(margin);
    r = r + 1 == kRows ? 0 : r + 1;
  }
  state.counters["trees"] = static_cast<double>(s.predictor->num_trees());
}
BENCHMARK(BM_CompiledPredictorRow);

void BM_XgboostInplaceRow(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t r = 0;
  for (auto _ : state) {
    auto out = s.booster->PredictDenseNoCopy(s.x.row(r), 1, kCols, XgbPredictType::kMargin);
    if (!out.ok()) state.SkipWithError(out.status().ToString().c_str());
    benchmark::DoNotOptimize(*out);
    r = r + 1 == kRows ? 0 : r + 1;
  }
}
BENCHMARK(BM_XgboostInplaceRow);

// Checks, once, that both give the same margins on these rows.
void BM_AgreementCheck(benchmark::State& state) {
  const Setup& s = GetSetup();
  size_t mismatches = 0;
  for (auto _ : state) {
    auto all = s.booster->PredictDense(s.x.values.data(), kRows, kCols, XgbPredictType::kMargin);
    for (size_t r = 0; r < kRows; ++r) {
      float m = 0;
      s.predictor->PredictMargin(s.x.row(r), &m);
      mismatches += m != (*all)[r];
    }
  }
  state.counters["mismatches"] = static_cast<double>(mismatches);
}
BENCHMARK(BM_AgreementCheck)->Iterations(1);

}  // namespace
}  // namespace mlpipe::models

BENCHMARK_MAIN();
