// One model family's fit time on a numeric matrix, for the side-by-side
// comparison with the Python packages in bench/py_fit.py (same matrix, same
// hyperparameters). Prints one JSON object: the fit times (wall and CPU
// seconds of this process) of every repeat and the mean predicted value on the
// training rows, so that the two sides can be checked to have fitted the same
// model. --nthread sizes the fit and the shared thread pool (matrix reading).
//
//   fit_bench --matrix M.csv --family gbdt --task binary --params '{"n_estimators":200}'
//             [--repeats 5] [--nthread 2]
//
// The matrix is a CSV of numbers with a header; the column named "label" is
// the target (class index 0/1 for binary), every other column a feature.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "mlpipe/core/env.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/table/csv.h"

namespace {

using mlpipe::models::FitOptions;

int Fail(const std::string& msg) {
  std::cerr << "fit_bench: " << msg << "\n";
  return 2;
}

double ProcessCpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::string matrix_path, family = "gbdt", task_name = "binary", params_json = "{}";
  int repeats = 5, nthread = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--matrix")
      matrix_path = v;
    else if (a == "--family")
      family = v;
    else if (a == "--task")
      task_name = v;
    else if (a == "--params")
      params_json = v;
    else if (a == "--repeats")
      repeats = std::atoi(v.c_str());
    else if (a == "--nthread")
      nthread = std::atoi(v.c_str());
    else
      return Fail("unknown option " + a);
  }
  if (matrix_path.empty()) return Fail("--matrix is required");
  if (nthread < 1) return Fail("--nthread must be >= 1");
  if (auto s = mlpipe::core::ThreadPool::SetSharedThreads(static_cast<size_t>(nthread)); !s.ok()) {
    return Fail(s.ToString());
  }

  auto table = mlpipe::table::ReadCsv(mlpipe::core::Env::Default(), matrix_path);
  if (!table.ok()) return Fail(table.status().ToString());
  const int label_col = table->ColumnIndex("label");
  if (label_col < 0) return Fail(matrix_path + ": no column named 'label'");

  const size_t rows = table->num_rows();
  mlpipe::table::DenseMatrix x(rows, table->num_columns() - 1);
  std::vector<float> y(rows);
  size_t c_out = 0;
  for (size_t c = 0; c < table->num_columns(); ++c) {
    const auto& col = table->column(c);
    for (size_t r = 0; r < rows; ++r) {
      const float v = col.IsValid(r) ? static_cast<float>(col.NumericAt(r)) : NAN;
      if (static_cast<int>(c) == label_col) {
        y[r] = v;
      } else {
        x.at(r, c_out) = v;
      }
    }
    if (static_cast<int>(c) != label_col) x.names[c_out++] = col.name();
  }

  auto task = mlpipe::models::ParseTask(task_name);
  if (!task.ok()) return Fail(task.status().ToString());
  FitOptions options;
  options.task = *task;
  options.nthread = nthread;
  options.seed = 1;
  const nlohmann::json params = nlohmann::json::parse(params_json, nullptr, false);
  if (!params.is_object()) return Fail("--params must be a JSON object");
  for (const auto& [k, v] : params.items()) {
    if (v.is_number())
      options.params[k] = v.get<double>();
    else
      options.params[k] = v.get<std::string>();
  }
  mlpipe::models::Dataset train{&x, y, {}};

  nlohmann::json out;
  out["fit_s"] = nlohmann::json::array();
  out["fit_cpu_s"] = nlohmann::json::array();
  double mean_pred = 0;
  for (int i = 0; i < repeats; ++i) {
    const double cpu0 = ProcessCpu();
    const auto t0 = std::chrono::steady_clock::now();
    auto model = mlpipe::models::FitModel(family, train, options);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!model.ok()) return Fail(model.status().ToString());
    out["fit_s"].push_back(s);
    out["fit_cpu_s"].push_back(ProcessCpu() - cpu0);
    if (i == 0) {
      auto pred = (*model)->Predict(x);
      if (!pred.ok()) return Fail(pred.status().ToString());
      double sum = 0;
      for (size_t r = 0; r < rows; ++r) {
        sum += *task == mlpipe::models::Task::kRegression ? pred->values[r]
                                                          : pred->probabilities[r * 2 + 1];
      }
      mean_pred = sum / static_cast<double>(rows);
    }
  }
  out["mean_prediction"] = mean_pred;
  out["rows"] = rows;
  out["features"] = x.cols;
  std::cout << out.dump() << "\n";
  return 0;
}
