// `mlpipe train --data FILE --target COL [--positive LABEL] [--models LIST]
// [--search SPEC] [--cv K] [--metric M[,M...]] [--protected COL]... [--test-size F]
// [--seed N] [-o OUT] [--predictions FILE]`: searches each model family with
// cross-validation on a training part, refits the best configuration of each,
// evaluates on a held-out test part and writes the best model (docs/train.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli_common.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/eval/confidence.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/fairness.h"
#include "mlpipe/eval/search.h"
#include "mlpipe/features/default_pipeline.h"
#include "mlpipe/table/read.h"

namespace mlpipe::cli {
namespace {

struct TrainArgs {
  std::string data, target, positive, models, search = "random:20", metric, out, predictions;
  std::vector<std::string> protected_columns;
  int cv = 5;
  double test_size = 0.2;
  uint64_t seed = 0;
  int bootstrap = 1000;
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool IsLinear(std::string_view family) {
  return family == "logreg" || family == "linear" || family == "ridge";
}

// Draws a bar of finished trials with the best CV score so far.
class ProgressObserver : public eval::TrialObserver {
 public:
  ProgressObserver(const std::string& family, size_t total)
      : bar_("search " + family, total, "trials") {}
  void OnTrialDone(const eval::Trial&, const eval::Trial* best, size_t, size_t) override {
    if (best != nullptr) bar_.SetNote(fmt::format("best {:.4f}", best->metrics[0].mean));
    bar_.Add(1);
  }

 private:
  core::Progress bar_;
};

struct Entry {
  eval::SearchResult search;
  eval::FittedModel fitted;
  models::Predictions test_pred;
  core::Json json;
};

Result<core::Json> TestMetrics(const TrainArgs& args, const eval::Target& truth,
                               const models::Predictions& pred,
                               const std::vector<std::string>& metrics) {
  core::Json out = core::Json::object();
  std::vector<double> scratch;
  eval::MetricInput in = eval::MakeMetricInput(truth, pred, scratch);
  stats::BootstrapOptions bo;
  bo.resamples = args.bootstrap;
  bo.seed = core::Rng::Derive(args.seed, 3);
  bo.pool = &core::ThreadPool::Shared();
  for (const auto& m : metrics) {
    MLPIPE_ASSIGN_OR_RETURN(eval::MetricCi ci, eval::BootstrapMetric(m, in, bo));
    out[m] = {{"value", ci.estimate},
              {"ci_low", ci.low},
              {"ci_high", ci.high},
              {"confidence", ci.confidence}};
  }
  return out;
}

Result<core::Json> Fairness(const table::Table& data, const std::vector<size_t>& test_rows,
                            const std::vector<std::string>& columns, const eval::Target& truth,
                            const models::Predictions& pred) {
  core::Json out = core::Json::object();
  if (truth.task != models::Task::kBinary) return out;
  for (const auto& name : columns) {
    MLPIPE_ASSIGN_OR_RETURN(const table::Column* col, data.GetColumn(name));
    table::Column test = col->Take(test_rows);
    eval::ProtectedColumn pc;
    pc.name = name;
    std::vector<int32_t> codes = eval::ColumnCodes(test, &pc.group_names);
    pc.codes = codes;
    MLPIPE_ASSIGN_OR_RETURN(eval::FairnessReport r,
                            eval::EvaluateFairness(truth.codes, pred.labels, pc));
    auto num = [](double v) { return std::isfinite(v) ? core::Json(v) : core::Json(); };
    out[name] = {{"demographic_parity_ratio", num(r.demographic_parity_ratio)},
                 {"equalized_odds_difference", num(r.equalized_odds_difference)},
                 {"groups", r.groups.size()}};
  }
  return out;
}

Status WritePredictions(core::Env* env, const std::string& path, const std::vector<size_t>& rows,
                        const eval::Target& truth, const models::Predictions& pred) {
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
  return env->WriteFileAtomic(path, csv);
}

std::string FairnessText(const core::Json& f) {
  std::string out;
  for (const auto& [name, v] : f.items()) {
    auto num = [](const core::Json& x) {
      return x.is_null() ? std::string("n/a") : fmt::format("{:.2f}", x.get<double>());
    };
    out += fmt::format("{}{}: DP {} EO {}", out.empty() ? "" : "; ", name,
                       num(v["demographic_parity_ratio"]), num(v["equalized_odds_difference"]));
  }
  return out.empty() ? "-" : out;
}

// "C=13.85 penalty=l2": numbers to 4 significant digits.
std::string ParamsText(const core::Json& params) {
  std::string out;
  for (const auto& [name, v] : params.items()) {
    out += (out.empty() ? "" : " ") + name + "=" +
           (v.is_string() ? v.get<std::string>() : fmt::format("{:.4g}", v.get<double>()));
  }
  return out;
}

void PrintLeaderboard(const core::Json& board, const std::string& metric) {
  std::cout << fmt::format("{:<3} {:<7} {:>19} {:>27} {:>8}  {:<40}  {}\n", "#", "family",
                           "cv " + metric, "test " + metric + " [95% CI]", "fit s", "fairness",
                           "params");
  int rank = 1;
  for (const auto& e : board) {
    const auto& cv = e["cv"][metric];
    const auto& test = e["test"][metric];
    std::cout << fmt::format(
        "{:<3} {:<7} {:>10.4f} ± {:<6.4f} {:>8.4f} [{:.4f}, {:.4f}] {:>8.3f}  {:<40}  {}\n", rank++,
        e["family"].get<std::string>(), cv["mean"].get<double>(), cv["std"].get<double>(),
        test["value"].get<double>(), test["ci_low"].get<double>(), test["ci_high"].get<double>(),
        e["fit_seconds"].get<double>(), FairnessText(e["fairness"]), ParamsText(e["params"]));
  }
}

Result<std::vector<std::string>> Families(const TrainArgs& args, models::Task task) {
  std::string list = args.models;
  if (list.empty()) list = task == models::Task::kRegression ? "ridge,gbdt,rf" : "logreg,gbdt,rf";
  std::vector<std::string> out = SplitList(list);
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

Status RunTrain(const CommandState& state, const TrainArgs& args) {
  core::Env* env = core::Env::Default();
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, args.data));
  auto target_col = data.GetColumn(args.target);
  if (!target_col.ok()) return InvalidArgumentError("--target: " + target_col.status().message());
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target, eval::EncodeTarget(**target_col, args.positive));
  MLPIPE_ASSIGN_OR_RETURN(std::vector<std::string> families, Families(args, target.task));
  MLPIPE_ASSIGN_OR_RETURN(eval::SearchSpec spec, eval::ParseSearchSpec(args.search));
  std::vector<std::string> metrics = SplitList(args.metric);
  if (metrics.empty()) metrics.push_back(eval::DefaultMetric(target.task));
  MLPIPE_RETURN_IF_ERROR(eval::CheckMetrics(metrics, target.task));
  std::vector<std::string> dropped = {args.target};
  for (const auto& p : args.protected_columns) {
    auto c = data.GetColumn(p);
    if (!c.ok()) return InvalidArgumentError("--protected: " + c.status().message());
    if (p == args.target) return InvalidArgumentError("--protected: '" + p + "' is the target");
    dropped.push_back(p);
  }
  const bool classify = target.task != models::Task::kRegression;
  MLPIPE_ASSIGN_OR_RETURN(
      eval::ThreeWaySplit split,
      eval::TrainValidationTestSplit(
          data.num_rows(),
          classify ? std::span<const int32_t>(target.codes) : std::span<const int32_t>(), 0,
          args.test_size, core::Rng::Derive(args.seed, 1)));
  const table::Table features = data.Drop(dropped);
  const table::Table train_x = features.Take(split.train), test_x = features.Take(split.test);
  const eval::Target train_y = target.Take(split.train), test_y = target.Take(split.test);
  const uint64_t fold_seed = core::Rng::Derive(args.seed, 2);
  auto folds = classify ? eval::StratifiedKFold(train_y.codes, args.cv, fold_seed)
                        : eval::KFold(train_y.labels.size(), args.cv, fold_seed);
  if (!folds.ok()) return folds.status().WithContext("--cv");

  core::ThreadPool& pool = core::ThreadPool::Shared();
  core::Json board = core::Json::array();
  std::vector<Entry> entries;
  for (const auto& family : families) {
    features::DefaultPipelineOptions po;
    po.scale = IsLinear(family);
    po.seed = args.seed;
    const table::Column y = train_y.AsColumn();
    MLPIPE_ASSIGN_OR_RETURN(features::FeaturePipeline pipeline,
                            features::InferDefaultPipeline(train_x, &y, po));
    eval::SearchProblem problem{&train_x, &train_y, pipeline.ToJson(), *folds, metrics};
    MLPIPE_ASSIGN_OR_RETURN(eval::SearchSpace space, eval::DefaultSearchSpace(family));
    ProgressObserver observer(family, eval::CountTrials(spec, space));
    eval::SearchOptions so{spec, args.seed, &pool, static_cast<int>(pool.size()), &observer};
    Entry e;
    MLPIPE_ASSIGN_OR_RETURN(e.search, eval::RunSearch(problem, space, so));
    const eval::Trial& best = e.search.best_trial();
    MLPIPE_ASSIGN_OR_RETURN(
        e.fitted, eval::FitFinal(train_x, train_y, problem.pipeline_spec, family, best.params,
                                 args.seed, static_cast<int>(pool.size())));
    MLPIPE_ASSIGN_OR_RETURN(table::DenseMatrix tx, e.fitted.pipeline.ToMatrix(test_x));
    MLPIPE_ASSIGN_OR_RETURN(e.test_pred, e.fitted.model->Predict(tx));
    core::Json cv = core::Json::object();
    for (const auto& m : best.metrics) cv[m.name] = {{"mean", m.mean}, {"std", m.std}};
    MLPIPE_ASSIGN_OR_RETURN(core::Json test, TestMetrics(args, test_y, e.test_pred, metrics));
    MLPIPE_ASSIGN_OR_RETURN(
        core::Json fair, Fairness(data, split.test, args.protected_columns, test_y, e.test_pred));
    e.json = {{"family", family},
              {"params", eval::ParamsToJson(best.params)},
              {"cv", cv},
              {"test", test},
              {"fairness", fair},
              {"trials", e.search.trials.size()},
              {"fit_seconds", e.fitted.fit_seconds}};
    double search_fit = 0;
    for (const auto& t : e.search.trials) search_fit += t.fit_seconds;
    e.json["search_fit_seconds"] = search_fit;
    entries.push_back(std::move(e));
  }
  MLPIPE_ASSIGN_OR_RETURN(const eval::MetricDef* def, eval::FindMetric(metrics[0]));
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto cv_of = [&](size_t i) { return entries[i].search.best_trial().metrics[0].mean; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return def->higher_is_better ? cv_of(a) > cv_of(b) : cv_of(a) < cv_of(b);
  });
  for (size_t i : order) board.push_back(entries[i].json);
  const Entry& winner = entries[order[0]];

  core::Json summary = {{"name", "train_metrics"},
                        {"format_version", 1},
                        {"data", args.data},
                        {"target",
                         {{"name", target.name},
                          {"task", models::TaskName(target.task)},
                          {"classes", target.classes}}},
                        {"metrics", metrics},
                        {"search", args.search},
                        {"cv", args.cv},
                        {"seed", args.seed},
                        {"rows", {{"train", split.train.size()}, {"test", split.test.size()}}},
                        {"protected", args.protected_columns},
                        {"best", winner.json},
                        {"leaderboard", board}};
  if (!args.out.empty()) {
    MLPIPE_RETURN_IF_ERROR(env->CreateDirs(args.out));
    MLPIPE_ASSIGN_OR_RETURN(std::string model, winner.fitted.model->Save());
    MLPIPE_RETURN_IF_ERROR(env->WriteFileAtomic(core::JoinPath(args.out, "model.json"), model));
    MLPIPE_RETURN_IF_ERROR(env->WriteFileAtomic(core::JoinPath(args.out, "features.json"),
                                                core::DumpPretty(winner.fitted.pipeline.ToJson())));
    MLPIPE_RETURN_IF_ERROR(
        env->WriteFileAtomic(core::JoinPath(args.out, "metrics.json"), core::DumpPretty(summary)));
  }
  if (!args.predictions.empty()) {
    MLPIPE_RETURN_IF_ERROR(
        WritePredictions(env, args.predictions, split.test, test_y, winner.test_pred));
  }
  if (state.global.json) {
    PrintJson(summary);
  } else if (!state.global.quiet) {
    std::cout << fmt::format("{} target '{}', {} train / {} test rows, {}-fold CV, search {}\n\n",
                             models::TaskName(target.task), target.name, split.train.size(),
                             split.test.size(), args.cv, args.search);
    PrintLeaderboard(board, metrics[0]);
    if (!args.out.empty())
      std::cout << "\nwrote " << args.out << " (best: " << winner.json["family"].get<std::string>()
                << ")\n";
    std::cout << std::flush;
  }
  return Status::OK();
}

}  // namespace

void AddTrainCommand(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* cmd = parent.add_subcommand(
      "train",
      "Search model families with cross-validation, evaluate the best of each on a held-out "
      "test part and write the best model (docs/train.md)");
  cmd->add_option("--data", args->data, "Data file (.csv, .tsv, .arff, .jsonl)")->required();
  cmd->add_option("--target", args->target, "Target column")->required();
  cmd->add_option("--positive", args->positive,
                  "Positive class of a binary target (default: the minority class)");
  cmd->add_option("--models", args->models,
                  "Comma-separated families (default: logreg,gbdt,rf; ridge,gbdt,rf for "
                  "regression)");
  cmd->add_option("--search", args->search, "grid | random:N | halving:N");
  cmd->add_option("--cv", args->cv, "Cross-validation folds");
  cmd->add_option("--metric", args->metric,
                  "Metric(s) to report, comma-separated; the first is optimised (default: "
                  "roc_auc, accuracy or rmse by task)");
  cmd->add_option("--protected", args->protected_columns,
                  "Protected column: removed from the features, used for fairness (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--test-size", args->test_size, "Share of rows held out for the test part");
  cmd->add_option("--seed", args->seed, "Seed of every random choice");
  cmd->add_option("-o,--out", args->out, "Write the best model folder here");
  cmd->add_option("--predictions", args->predictions,
                  "Write the best model's test-row predictions here (CSV)");
  cmd->add_option("--bootstrap", args->bootstrap, "Bootstrap resamples for test-metric CIs");
  cmd->add_flag("--json", state.global.json, "Print the leaderboard as JSON");
  cmd->callback([&state, args] {
    if (state.global.json) {
      core::OutputMode mode = core::GetOutputMode();
      mode.json = true;
      core::SetOutputMode(mode);
    }
    Status s = RunTrain(state, *args);
    state.exit_code = s.ok() ? kExitOk : ReportError(state, s);
  });
}

}  // namespace mlpipe::cli
