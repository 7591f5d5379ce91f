// Cross-validation scoring: metric checks, folds prepared with features fitted
// inside each fold, and the CV score of one configuration.
#include "mlpipe/eval/cv.h"

#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "mlpipe/core/random.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::eval {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Metrics defined for binary problems only.
bool BinaryOnly(std::string_view name) {
  return name == "average_precision" || name == "brier" || name == "ks";
}

bool Fits(const MetricDef& def, models::Task task) {
  switch (task) {
    case models::Task::kRegression:
      return def.kind == MetricKind::kRegression;
    case models::Task::kMulticlass:
      return def.kind == MetricKind::kClassification && !BinaryOnly(def.name);
    case models::Task::kBinary:
      return def.kind == MetricKind::kClassification;
  }
  return false;
}

Result<PreparedFold> PrepareOne(const table::Table& features, const Target& target,
                                const core::Json& pipeline_spec, const Fold& fold,
                                double row_fraction, uint64_t seed) {
  std::vector<size_t> train = fold.train;
  if (row_fraction < 1) {
    core::Rng rng(seed);
    rng.Shuffle(train);
    size_t keep = std::max<size_t>(
        2, static_cast<size_t>(std::ceil(row_fraction * static_cast<double>(train.size()))));
    train.resize(std::min(keep, train.size()));
    std::sort(train.begin(), train.end());
  }
  PreparedFold out;
  out.train_y = target.Take(train);
  out.valid_y = target.Take(fold.validation);
  MLPIPE_ASSIGN_OR_RETURN(features::FeaturePipeline pipeline,
                          features::FeaturePipeline::FromJson(pipeline_spec));
  const table::Column y = out.train_y.AsColumn();
  MLPIPE_ASSIGN_OR_RETURN(table::Table fitted, pipeline.FitTransform(features.Take(train), &y));
  MLPIPE_ASSIGN_OR_RETURN(out.train_x, features::FeaturePipeline::TableToMatrix(fitted));
  MLPIPE_ASSIGN_OR_RETURN(out.valid_x, pipeline.ToMatrix(features.Take(fold.validation)));
  return out;
}

}  // namespace

Result<std::vector<PreparedFold>> PrepareFolds(const table::Table& features, const Target& target,
                                               const core::Json& pipeline_spec,
                                               const std::vector<Fold>& folds, double row_fraction,
                                               uint64_t seed, core::ThreadPool* pool) {
  if (!(row_fraction > 0 && row_fraction <= 1)) {
    return InvalidArgumentError(fmt::format("cv: row fraction {} is not in (0, 1]", row_fraction));
  }
  std::vector<Result<PreparedFold>> results(folds.size(), Status(StatusCode::kInternal, "unset"));
  auto run = [&](size_t begin, size_t end) {
    for (size_t f = begin; f < end; ++f) {
      results[f] = PrepareOne(features, target, pipeline_spec, folds[f], row_fraction,
                              core::Rng::Derive(seed, f));
    }
  };
  if (pool != nullptr && folds.size() > 1) {
    pool->ParallelFor(folds.size(), run, folds.size());
  } else {
    run(0, folds.size());
  }
  std::vector<PreparedFold> out;
  for (size_t f = 0; f < folds.size(); ++f) {
    if (!results[f].ok()) return results[f].status().WithContext(fmt::format("fold {}", f + 1));
    out.push_back(std::move(results[f]).value());
  }
  return out;
}

std::vector<std::string> MetricsForTask(models::Task task) {
  std::vector<std::string> names;
  for (const MetricDef& def : Metrics()) {
    if (Fits(def, task)) names.emplace_back(def.name);
  }
  return names;
}

Status CheckMetrics(const std::vector<std::string>& metrics, models::Task task) {
  if (metrics.empty()) return InvalidArgumentError("metric: no metric given");
  for (const std::string& name : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(const MetricDef* def, FindMetric(name));
    if (!Fits(*def, task)) {
      return InvalidArgumentError(
          fmt::format("metric: '{}' ({}) does not fit a {} target; valid for {}: {}", name,
                      MetricKindName(def->kind), models::TaskName(task), models::TaskName(task),
                      JoinNames(MetricsForTask(task))));
    }
  }
  return Status::OK();
}

std::string DefaultMetric(models::Task task) {
  switch (task) {
    case models::Task::kBinary:
      return "roc_auc";
    case models::Task::kMulticlass:
      return "accuracy";
    case models::Task::kRegression:
      return "rmse";
  }
  return "rmse";
}

MetricInput MakeMetricInput(const Target& truth, const models::Predictions& predicted,
                            std::vector<double>& scratch) {
  MetricInput in;
  if (truth.task == models::Task::kRegression) {
    in.y_true = truth.values;
    in.y_pred = predicted.values;
    return in;
  }
  in.labels = truth.codes;
  in.predicted = predicted.labels;
  in.num_classes = truth.num_classes();
  if (truth.task == models::Task::kBinary) {
    scratch.resize(predicted.rows);
    for (size_t i = 0; i < predicted.rows; ++i) scratch[i] = predicted.probabilities[i * 2 + 1];
    in.probabilities = scratch;
  } else {
    in.probabilities = predicted.probabilities;
  }
  return in;
}

Result<double> ScorePredictions(std::string_view metric, const Target& truth,
                                const models::Predictions& predicted) {
  MLPIPE_ASSIGN_OR_RETURN(const MetricDef* def, FindMetric(metric));
  std::vector<double> scratch;
  return ComputeMetric(*def, MakeMetricInput(truth, predicted, scratch));
}

Result<FoldScore> ScoreFold(const PreparedFold& fold, std::string_view family,
                            const models::HyperParams& params,
                            const std::vector<std::string>& metrics, uint64_t seed, int nthread) {
  models::Dataset train{&fold.train_x, fold.train_y.labels, {}};
  models::FitOptions options;
  options.task = fold.train_y.task;
  options.num_classes =
      fold.train_y.task == models::Task::kRegression ? 0 : fold.train_y.num_classes();
  options.params = params;
  options.seed = seed;
  options.nthread = nthread;
  options.for_scoring = true;  // predicts this fold's rows, then is dropped
  FoldScore out;
  auto start = std::chrono::steady_clock::now();
  MLPIPE_ASSIGN_OR_RETURN(auto model, models::FitModel(family, train, options));
  out.fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MLPIPE_ASSIGN_OR_RETURN(models::Predictions pred, model->Predict(fold.valid_x));
  for (const std::string& m : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(double v, ScorePredictions(m, fold.valid_y, pred));
    out.values.push_back(v);
  }
  return out;
}

Result<CvScores> SummarizeFolds(const std::vector<std::string>& metrics,
                                const std::vector<Result<FoldScore>>& folds) {
  CvScores out;
  for (const auto& m : metrics) out.metrics.push_back({m, 0, 0, {}});
  for (size_t f = 0; f < folds.size(); ++f) {
    if (!folds[f].ok()) return folds[f].status().WithContext(fmt::format("fold {}", f + 1));
    out.fit_seconds += folds[f]->fit_seconds;
    for (size_t i = 0; i < metrics.size(); ++i) out.metrics[i].folds.push_back(folds[f]->values[i]);
  }
  for (auto& m : out.metrics) {
    double n = static_cast<double>(m.folds.size());
    m.mean = std::accumulate(m.folds.begin(), m.folds.end(), 0.0) / n;
    double ss = 0;
    for (double v : m.folds) ss += (v - m.mean) * (v - m.mean);
    m.std = m.folds.size() > 1 ? std::sqrt(ss / (n - 1)) : 0;
  }
  return out;
}

Result<CvScores> CrossValidate(const std::vector<PreparedFold>& folds, std::string_view family,
                               const models::HyperParams& params,
                               const std::vector<std::string>& metrics, uint64_t seed,
                               int nthread) {
  std::vector<Result<FoldScore>> scores;
  for (const PreparedFold& fold : folds) {
    scores.push_back(ScoreFold(fold, family, params, metrics, seed, nthread));
    if (!scores.back().ok()) break;
  }
  return SummarizeFolds(metrics, scores);
}

}  // namespace mlpipe::eval
