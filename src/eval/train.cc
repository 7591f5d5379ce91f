// Training and comparison of model families (docs/train.md).
#include "mlpipe/eval/train.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include <fmt/format.h>

#include "mlpipe/core/log.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/random.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/eval/confidence.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/features/default_pipeline.h"
#include "mlpipe/models/family_table.h"

namespace mlpipe::eval {
namespace {

bool IsLinear(std::string_view family) {
  return family == "logreg" || family == "linear" || family == "ridge";
}

Result<core::Json> TestMetrics(const TrainOptions& options, const Target& truth,
                               const models::Predictions& pred,
                               const std::vector<std::string>& metrics) {
  core::Json out = core::Json::object();
  std::vector<double> scratch;
  MetricInput in = MakeMetricInput(truth, pred, scratch);
  stats::BootstrapOptions bo;
  bo.resamples = options.bootstrap;
  bo.seed = core::Rng::Derive(options.seed, 3);
  bo.pool = &core::ThreadPool::Shared();
  for (const auto& m : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(MetricCi ci, BootstrapMetric(m, in, bo));
    out[m] = {{"value", ci.estimate},
              {"ci_low", ci.low},
              {"ci_high", ci.high},
              {"confidence", ci.confidence}};
  }
  return out;
}

Result<core::Json> Fairness(const table::Table& data, const std::vector<size_t>& test_rows,
                            const std::vector<std::string>& columns, const Target& truth,
                            const models::Predictions& pred) {
  core::Json out = core::Json::object();
  if (truth.task != models::Task::kBinary) return out;
  for (const auto& name : columns) {
    MLPIPE_ASSIGN_OR_RETURN(const table::Column* col, data.GetColumn(name));
    ProtectedColumn pc;
    pc.name = name;
    std::vector<int32_t> codes = ProtectedGroupCodes(*col, test_rows, &pc.group_names);
    pc.codes = codes;
    MLPIPE_ASSIGN_OR_RETURN(FairnessReport r, EvaluateFairness(truth.codes, pred.labels, pc));
    auto num = [](double v) { return std::isfinite(v) ? core::Json(v) : core::Json(); };
    out[name] = {{"demographic_parity_ratio", num(r.demographic_parity_ratio)},
                 {"equalized_odds_difference", num(r.equalized_odds_difference)},
                 {"groups", r.groups.size()}};
  }
  return out;
}

// The families to search: the given ones (each known and supporting `task`)
// or the task's default list. Messages name the CLI flag, as they always have.
Result<std::vector<std::string>> Families(const TrainOptions& options, models::Task task) {
  std::vector<std::string> out;
  for (const auto& f : options.families) {
    if (!f.empty()) out.push_back(f);
  }
  if (options.families.empty()) {
    out = task == models::Task::kRegression ? std::vector<std::string>{"ridge", "gbdt", "rf"}
                                            : std::vector<std::string>{"logreg", "gbdt", "rf"};
  }
  if (out.empty()) return InvalidArgumentError("--models: no family given");
  for (const auto& name : out) {
    auto f = models::FindModelFamily(name);
    if (!f.ok()) return InvalidArgumentError("--models: " + f.status().message());
    if (!(*f)->Supports(task)) {
      return InvalidArgumentError(fmt::format("--models: family '{}' does not support {} targets",
                                              name, models::TaskName(task)));
    }
  }
  return out;
}

// The caller's split, checked, or a seeded (stratified) one.
Result<ThreeWaySplit> SplitRows(size_t rows, const Target& target, const TrainOptions& options) {
  if (options.train_rows.empty() && options.test_rows.empty()) {
    const bool classify = target.task != models::Task::kRegression;
    return TrainValidationTestSplit(
        rows, classify ? std::span<const int32_t>(target.codes) : std::span<const int32_t>(), 0,
        options.test_size, core::Rng::Derive(options.seed, 1));
  }
  std::vector<char> seen(rows, 0);
  for (const auto* part : {&options.train_rows, &options.test_rows}) {
    if (part->empty()) return InvalidArgumentError("split: a part of the given split is empty");
    for (size_t i = 0; i < part->size(); ++i) {
      const size_t r = (*part)[i];
      if (r >= rows || seen[r] || (i > 0 && r <= (*part)[i - 1])) {
        return InvalidArgumentError(fmt::format(
            "split: row {} is out of range, repeated or out of order (rows: {})", r, rows));
      }
      seen[r] = 1;
    }
  }
  ThreeWaySplit split;
  split.train = options.train_rows;
  split.test = options.test_rows;
  return split;
}

// Infinite feature values are refused (docs/train.md): no model can use them
// and no imputation should guess what they stand for.
Status CheckFinite(const table::Table& features, const TrainOptions& options) {
  for (const auto& c : features.columns()) {
    if (c.type() != table::DataType::kFloat64) continue;
    const auto& v = c.float64s();
    size_t count = 0, first = 0;
    for (size_t r = 0; r < v.size(); ++r) {
      if (c.IsValid(r) && std::isinf(v[r]) && count++ == 0) first = r;
    }
    if (count == 0) continue;
    const std::string where =
        options.describe_row ? options.describe_row(first) : fmt::format("data row {}", first);
    return InvalidArgumentError(fmt::format(
        "{}: column '{}' is {} ({} infinite values in the column); training refuses infinite "
        "values: replace them, or leave them empty to be imputed",
        where, c.name(), v[first] > 0 ? "inf" : "-inf", count));
  }
  return Status::OK();
}

}  // namespace

Result<core::Json> DefaultFeatureSpec(const table::Table& train_x, const Target& train_y,
                                      const std::string& family, uint64_t seed) {
  features::DefaultPipelineOptions po;
  po.scale = IsLinear(family);
  po.impute_all = IsLinear(family);  // trees route missing values; linear models cannot
  po.seed = seed;
  const table::Column y = train_y.AsColumn();
  MLPIPE_ASSIGN_OR_RETURN(features::FeaturePipeline pipeline,
                          features::InferDefaultPipeline(train_x, &y, po));
  return pipeline.ToJson();
}

Status TrainOptions::Validate() const {
  if (target.empty()) return InvalidArgumentError("target: no target column given");
  MLPIPE_RETURN_IF_ERROR(ParseSearchSpec(search).status());
  if (cv < 2) return InvalidArgumentError(fmt::format("cv: must be at least 2, got {}", cv));
  if (!(test_size > 0 && test_size < 1)) {
    return InvalidArgumentError(
        fmt::format("test_size: must be in (0, 1) (a test part is needed), got {}", test_size));
  }
  if (bootstrap < 1) {
    return InvalidArgumentError(fmt::format("bootstrap: must be at least 1, got {}", bootstrap));
  }
  return Status::OK();
}

Result<TrainResult> Train(const table::Table& data, const TrainOptions& options,
                          TrainObserver* observer) {
  // Bad options fail before any work starts.
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  TrainResult result;
  auto target_col = data.GetColumn(options.target);
  if (!target_col.ok()) return InvalidArgumentError("--target: " + target_col.status().message());
  MLPIPE_ASSIGN_OR_RETURN(result.target,
                          EncodeTarget(**target_col, options.positive, options.task));
  const Target& target = result.target;
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> families, Families(options, target.task));
  MLPIPE_ASSIGN_OR_RETURN(SearchSpec spec, ParseSearchSpec(options.search));
  std::vector<std::string>& metrics = result.metrics;
  for (const auto& m : options.metrics) {
    if (!m.empty()) metrics.push_back(m);
  }
  if (metrics.empty()) metrics.push_back(DefaultMetric(target.task));
  MLPIPE_RETURN_IF_ERROR(CheckMetrics(metrics, target.task));
  std::vector<std::string> dropped = {options.target};
  for (const auto& p : options.protected_columns) {
    auto c = data.GetColumn(p);
    if (!c.ok()) return InvalidArgumentError("--protected: " + c.status().message());
    if (p == options.target) {
      return InvalidArgumentError("--protected: '" + p + "' is the target");
    }
    const auto& kept = options.protected_features;
    if (std::find(kept.begin(), kept.end(), p) == kept.end()) dropped.push_back(p);
  }
  for (const auto& p : options.protected_features) {
    const auto& prot = options.protected_columns;
    if (std::find(prot.begin(), prot.end(), p) == prot.end()) {
      return InvalidArgumentError("protected_features: '" + p + "' is not a protected column");
    }
  }
  const bool classify = target.task != models::Task::kRegression;
  MLPIPE_ASSIGN_OR_RETURN(ThreeWaySplit split, SplitRows(data.num_rows(), target, options));
  const table::Table features = data.Drop(dropped);
  MLPIPE_RETURN_IF_ERROR(CheckFinite(features, options));
  const table::Table train_x = features.Take(split.train), test_x = features.Take(split.test);
  const Target train_y = target.Take(split.train);
  result.test_target = target.Take(split.test);
  const Target& test_y = result.test_target;
  const uint64_t fold_seed = core::Rng::Derive(options.seed, 2);
  auto folds = classify ? StratifiedKFold(train_y.codes, options.cv, fold_seed, &train_y.classes)
                        : KFold(train_y.labels.size(), options.cv, fold_seed);
  if (!folds.ok()) return folds.status().WithContext("--cv");

  core::ThreadPool& pool = core::ThreadPool::Shared();
  std::vector<TrainEntry> entries;
  // One family's failure on this data (bad input for it, e.g. a value a
  // linear model cannot take) is recorded and the others go on; only when
  // every family fails does Train fail. Other errors end the training.
  core::Json failed = core::Json::array();
  Status first_failure;
  for (const auto& family : families) {
    MLPIPE_ASSIGN_OR_RETURN(SearchSpace space, DefaultSearchSpace(family));
    if (auto o = options.search_overrides.find(family); o != options.search_overrides.end()) {
      MLPIPE_RETURN_IF_ERROR(ApplyOverrides(space, o->second));
    }
    if (observer != nullptr) observer->OnFamilyStart(family, CountTrials(spec, space));
    Status st = [&]() -> Status {
      core::Json pipeline_spec;
      if (auto given = options.pipelines.find(family); given != options.pipelines.end()) {
        pipeline_spec = given->second;
      } else {
        MLPIPE_ASSIGN_OR_RETURN(pipeline_spec,
                                DefaultFeatureSpec(train_x, train_y, family, options.seed));
      }
      SearchProblem problem{&train_x, &train_y, pipeline_spec, *folds, metrics};
      SearchOptions so{spec, options.seed, &pool, static_cast<int>(pool.size()), observer};
      TrainEntry e;
      e.family = family;
      MLPIPE_ASSIGN_OR_RETURN(e.search, RunSearch(problem, space, so));
      const Trial& best = e.search.best_trial();
      MLPIPE_ASSIGN_OR_RETURN(e.fitted,
                              FitFinal(train_x, train_y, problem.pipeline_spec, family, best.params,
                                       options.seed, static_cast<int>(pool.size())));
      MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix tx, e.fitted.pipeline.ToMatrix(test_x));
      MLPIPE_ASSIGN_OR_RETURN(e.test_predictions, e.fitted.model->Predict(tx));
      core::Json cv = core::Json::object();
      for (const auto& m : best.metrics) cv[m.name] = {{"mean", m.mean}, {"std", m.std}};
      MLPIPE_ASSIGN_OR_RETURN(core::Json test,
                              TestMetrics(options, test_y, e.test_predictions, metrics));
      MLPIPE_ASSIGN_OR_RETURN(core::Json fair, Fairness(data, split.test, options.protected_columns,
                                                        test_y, e.test_predictions));
      e.json = {{"family", family},
                {"params", ParamsToJson(best.params)},
                {"cv", cv},
                {"test", test},
                {"fairness", fair},
                {"trials", e.search.trials.size()},
                {"fit_seconds", e.fitted.fit_seconds}};
      double search_fit = 0;
      for (const auto& t : e.search.trials) search_fit += t.fit_seconds;
      e.json["search_fit_seconds"] = search_fit;
      entries.push_back(std::move(e));
      return Status::OK();
    }();
    if (!st.ok()) {
      if (st.code() != StatusCode::kInvalidArgument) return st;
      if (first_failure.ok()) first_failure = st;
      core::LogWarning("family {} failed and is left out: {}", family, st.message());
      failed.push_back({{"family", family}, {"error", st.message()}});
    }
    if (observer != nullptr) observer->OnFamilyDone(family);
  }
  if (entries.empty()) {
    return first_failure.WithContext(families.size() == 1 ? "the only family failed"
                                                          : "every family failed");
  }
  MLPIPE_ASSIGN_OR_RETURN(const MetricDef* def, FindMetric(metrics[0]));
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto cv_of = [&](size_t i) { return entries[i].search.best_trial().metrics[0].mean; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return def->higher_is_better ? cv_of(a) > cv_of(b) : cv_of(a) < cv_of(b);
  });
  core::Json board = core::Json::array();
  for (size_t i : order) {
    board.push_back(entries[i].json);
    result.leaderboard.push_back(std::move(entries[i]));
  }

  result.summary = {{"name", "train_metrics"},
                    {"format_version", 1},
                    {"data", options.data},
                    {"target",
                     {{"name", target.name},
                      {"task", models::TaskName(target.task)},
                      {"classes", target.classes}}},
                    {"metrics", metrics},
                    {"search", options.search},
                    {"cv", options.cv},
                    {"seed", options.seed},
                    {"rows", {{"train", split.train.size()}, {"test", split.test.size()}}},
                    {"protected", options.protected_columns},
                    {"best", result.best().json},
                    {"leaderboard", board}};
  if (!failed.empty()) result.summary["failed"] = failed;
  result.train_rows = std::move(split.train);
  result.test_rows = std::move(split.test);
  return result;
}

Status WriteTrainOutput(core::Env* env, const std::string& dir, const TrainResult& result) {
  const TrainEntry& best = result.best();
  MLPIPE_RETURN_IF_ERROR(env->CreateDirs(dir));
  MLPIPE_ASSIGN_OR_RETURN(std::string model, best.fitted.model->Save());
  MLPIPE_RETURN_IF_ERROR(env->WriteFileAtomic(core::JoinPath(dir, "model.json"), model));
  MLPIPE_RETURN_IF_ERROR(env->WriteFileAtomic(core::JoinPath(dir, "features.json"),
                                              core::DumpPretty(best.fitted.pipeline.ToJson())));
  return env->WriteFileAtomic(core::JoinPath(dir, "metrics.json"),
                              core::DumpPretty(result.summary));
}

Status WritePredictions(core::Env* env, const std::string& path, const TrainResult& result) {
  const std::vector<size_t>& rows = result.test_rows;
  const Target& truth = result.test_target;
  const models::Predictions& pred = result.best().test_predictions;
  std::string csv = "row,label";
  const bool reg = truth.task == models::Task::kRegression;
  if (reg) {
    csv += ",prediction\n";
  } else if (truth.task == models::Task::kBinary) {
    csv += ",predicted,score\n";
  } else {
    csv += ",predicted";
    for (const auto& c : truth.classes) csv += ",prob_" + c;
    csv += "\n";
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (reg) {
      csv += fmt::format("{},{:.17g},{:.17g}\n", rows[i], truth.values[i], pred.values[i]);
      continue;
    }
    csv += fmt::format("{},{},{}", rows[i], truth.classes[truth.codes[i]],
                       truth.classes[pred.labels[i]]);
    if (truth.task == models::Task::kBinary) {
      csv += fmt::format(",{:.17g}", pred.probabilities[i * 2 + 1]);
    } else {
      for (size_t c = 0; c < pred.num_classes; ++c) {
        csv += fmt::format(",{:.17g}", pred.probabilities[i * pred.num_classes + c]);
      }
    }
    csv += "\n";
  }
  return core::WriteOutput(env, path, csv);
}

}  // namespace mlpipe::eval
