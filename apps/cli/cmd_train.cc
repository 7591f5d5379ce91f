// `mlpipe train --data FILE --target COL [--positive LABEL] [--models LIST]
// [--search SPEC] [--cv K] [--metric M[,M...]] [--protected COL]... [--test-size F]
// [--seed N] [-o OUT] [--predictions FILE] [--bundle FILE]`: searches each model family with
// cross-validation on a training part, refits the best configuration of each,
// evaluates on a held-out test part and writes the best model (docs/train.md).
// The work is pipeline::TrainAndRecord (mlpipe/pipeline/train_project.h); this
// file parses, draws the progress bars and prints.
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/output.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/pipeline/train_project.h"

namespace mlpipe::cli {
namespace {

struct TrainArgs {
  std::string data, target, positive, task, models, search = "random:20", metric, out, predictions;
  std::string bundle;  // --bundle FILE
  double threshold = 0.5;
  std::vector<std::string> protected_columns;
  int cv = 5;
  double test_size = 0.2;
  uint64_t seed = 0;
  int bootstrap = 1000;
  std::string experiment = "train";
  std::string data_name;
  bool no_track = false;
};

// The comma-separated items of `s`, empty ones kept (eval::Train ignores
// them); none for an empty string.
std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
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

Status RunTrain(const CommandState& state, const TrainArgs& args) {
  core::Env* env = core::Env::Default();
  if (core::IsStandardOutput(args.out))
    return InvalidArgumentError("-o/--out is a folder; '-' (standard output) cannot hold it");
  MLPIPE_ASSIGN_OR_RETURN(bool to_stdout,
                          core::ClaimsStandardOutput({args.predictions, args.bundle}));
  pipeline::TrainRequest request;
  eval::TrainOptions& options = request.options;
  options.data = args.data;
  options.target = args.target;
  options.positive = args.positive;
  options.task = args.task;
  options.families = SplitList(args.models);
  options.search = args.search;
  options.cv = args.cv;
  options.metrics = SplitList(args.metric);
  options.protected_columns = args.protected_columns;
  options.test_size = args.test_size;
  options.seed = args.seed;
  options.bootstrap = args.bootstrap;
  request.out_dir = args.out;
  request.predictions_path = args.predictions;
  request.bundle_path = args.bundle;
  request.threshold = args.threshold;
  request.experiment = args.experiment;
  request.data_name = args.data_name;
  request.command_line = state.command_line;
  // Inside a project (or with --project / --store) the training is recorded.
  std::optional<store::ProjectStores> stores;
  if (!args.no_track) {
    MLPIPE_ASSIGN_OR_RETURN(
        stores, pipeline::OpenTrackingStores(env, ".", state.global.project, state.global.store));
  }
  std::unique_ptr<eval::TrainObserver> observer = NewTrainProgress();
  MLPIPE_ASSIGN_OR_RETURN(
      pipeline::TrainOutcome outcome,
      pipeline::TrainAndRecord(env, request, stores ? &*stores : nullptr, observer.get()));
  const eval::TrainResult& result = outcome.result;
  if (to_stdout) {
    // Standard output holds the written output alone.
  } else if (state.global.json) {
    PrintJson(result.summary);
  } else if (!state.global.quiet) {
    const eval::Target& target = result.target;
    std::cout << fmt::format("{} target '{}', {} train / {} test rows, {}-fold CV, search {}\n\n",
                             models::TaskName(target.task), target.name, result.train_rows.size(),
                             result.test_rows.size(), args.cv, args.search);
    PrintLeaderboard(result.summary["leaderboard"], result.metrics[0]);
    if (!args.out.empty())
      std::cout << "\nwrote " << args.out << " (best: " << result.best().family << ")\n";
    if (!args.bundle.empty()) {
      std::cout << (args.out.empty() ? "\n" : "") << "wrote bundle " << args.bundle << " ("
                << FormatBytes(outcome.bundle.size()) << ")\n";
    }
    if (!outcome.run_id.empty()) {
      std::cout << "recorded run " << outcome.run_id << " (data " << outcome.data_version << ") in "
                << outcome.project_root << "\n";
    }
    std::cout << std::flush;
  }
  return Status::OK();
}

}  // namespace

namespace {

// Draws a bar per family of finished trials with the best CV score so far.
class ProgressObserver : public eval::TrainObserver {
 public:
  void OnFamilyStart(const std::string& family, size_t total) override {
    bar_ = std::make_unique<core::Progress>("search " + family, total, "trials");
  }
  void OnTrialDone(const eval::Trial&, const eval::Trial* best, size_t, size_t) override {
    if (best != nullptr) bar_->SetNote(fmt::format("best {:.4f}", best->metrics[0].mean));
    bar_->Add(1);
  }
  void OnFamilyDone(const std::string&) override { bar_.reset(); }

 private:
  std::unique_ptr<core::Progress> bar_;
};

}  // namespace

std::unique_ptr<eval::TrainObserver> NewTrainProgress() {
  return std::make_unique<ProgressObserver>();
}

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
  cmd->add_option("--task", args->task,
                  "binary | multiclass | regression (default: inferred from the target; "
                  "docs/train.md)");
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
  cmd->add_option("--test-size", args->test_size, "Share of rows held out for the test part")
      ->check(OpenUnitInterval());
  cmd->add_option("--seed", args->seed, "Seed of every random choice")->check(UnsignedInteger());
  cmd->add_option("-o,--out", args->out, "Write the best model folder here");
  cmd->add_option("--predictions", args->predictions,
                  "Write the best model's test-row predictions here (CSV)");
  cmd->add_option("--bundle", args->bundle,
                  "Write the best model's bundle here (docs/bundle.md); recorded as the run's "
                  "artifact model.mlpb inside a project");
  cmd->add_option("--threshold", args->threshold,
                  "Decision threshold of a binary bundle: positive when P(positive) > it");
  cmd->add_option("--bootstrap", args->bootstrap, "Bootstrap resamples for test-metric CIs");
  cmd->add_option("--experiment", args->experiment,
                  "Experiment the run is recorded under (inside a project)");
  cmd->add_option("--data-name", args->data_name,
                  "Data set name the file is versioned under (default: the file's stem)");
  cmd->add_flag("--no-track", args->no_track,
                "Do not record a run, even inside a project (folder with mlpipe.yaml or .mlpipe/)");
  AddThreadsOption(cmd);
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
