// Times a feature pipeline (impute median with indicators, one_hot, standard
// scaling, then the float matrix) on a synthetic 1M x 20 table:
// 15 float64 columns with 5% missing and 5 categorical columns of 8 values.
//   features_bench [rows]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "mlpipe/core/random.h"
#include "mlpipe/features/pipeline.h"

using namespace mlpipe;  // NOLINT

int main(int argc, char** argv) {
  const size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  core::Rng rng(1);
  table::Table t;
  std::vector<std::string> num, cat;
  for (int c = 0; c < 15; ++c) {
    std::vector<double> v(rows);
    std::vector<uint8_t> valid(rows);
    for (size_t i = 0; i < rows; ++i) {
      v[i] = rng.Normal() * (c + 1) + c;
      valid[i] = rng.Uniform() >= 0.05;
    }
    num.push_back(fmt::format("x{}", c));
    (void)t.AddColumn(table::Column::Float64(num.back(), std::move(v), std::move(valid)));
  }
  std::vector<std::string> cats;
  for (int k = 0; k < 8; ++k) cats.push_back(fmt::format("v{}", k));
  for (int c = 0; c < 5; ++c) {
    std::vector<int32_t> codes(rows);
    for (size_t i = 0; i < rows; ++i) codes[i] = static_cast<int32_t>(rng.Below(8));
    cat.push_back(fmt::format("c{}", c));
    (void)t.AddColumn(table::Column::Categorical(cat.back(), std::move(codes), cats));
  }
  core::Json spec = core::Json::array(
      {{{"name", "impute"}, {"columns", num}, {"strategy", "median"}, {"add_indicator", true}},
       {{"name", "one_hot"}, {"columns", cat}, {"handle_unknown", "ignore"}},
       {{"name", "scale"}, {"columns", num}}});
  auto p = features::FeaturePipeline::FromJson(spec);
  if (!p.ok()) return 1;
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  // CPU time (all threads) beside wall time: on a shared machine the wall
  // time includes waiting for a core.
  auto cpu = [] { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
  const double c0 = cpu();
  auto t0 = Clock::now();
  auto fitted = p->FitTransform(t, nullptr);
  auto t1 = Clock::now();
  const double c1 = cpu();
  auto out = p->Transform(t);
  auto t2 = Clock::now();
  const double c2 = cpu();
  auto m = features::FeaturePipeline::TableToMatrix(*out);
  auto t3 = Clock::now();
  const double c3 = cpu();
  if (!fitted.ok() || !out.ok() || !m.ok()) {
    std::fprintf(stderr, "%s\n",
                 (!fitted.ok() ? fitted.status() : out.status()).ToString().c_str());
    return 1;
  }
  std::printf("%zu rows x 20 columns -> %zu features\n", rows, m->cols);
  std::printf("wall: FitTransform %.1f ms, Transform %.1f ms, ToMatrix %.1f ms\n", ms(t0, t1),
              ms(t1, t2), ms(t2, t3));
  std::printf("cpu:  FitTransform %.1f ms, Transform %.1f ms, ToMatrix %.1f ms\n", c1 - c0, c2 - c1,
              c3 - c2);
  return 0;
}
