// `mlpipe run [--spec FILE] [--from STEP] [--until STEP] [--no-cache] [--set KEY=VALUE]...
// [--override protected:COL --reason TEXT]` and `mlpipe reproduce RUN_ID`: the project's
// pipeline (docs/run.md). The work is pipeline::RunPipeline / Reproduce; this
// file finds the spec, draws progress and prints the summary.
#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli_common.h"
#include "cli_store.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/pipeline/reproduce.h"
#include "mlpipe/pipeline/run.h"
#include "mlpipe/stats/format.h"
#include "mlpipe/store/project.h"

namespace mlpipe::cli {
namespace {

struct RunArgs {
  std::string spec, from, until, reason;
  bool no_cache = false;
  std::vector<std::string> settings, overrides;
};

// One line per step as it finishes; the train step's search draws its bars.
class StepPrinter : public pipeline::RunObserver {
 public:
  explicit StepPrinter(bool quiet) : quiet_(quiet), train_(NewTrainProgress()) {}
  void OnStepStart(const std::string&, size_t index, size_t total) override {
    index_ = index;
    total_ = total;
  }
  void OnStepDone(const pipeline::StepReport& r) override {
    if (quiet_) return;
    const char* state = r.state == pipeline::StepState::kCached ? "cached, skipped" : "ran";
    std::cerr << fmt::format("[{}/{}] {:<10} {:<15} {:>7.2f} s  {}\n", index_ + 1, total_, r.name,
                             state, r.seconds, r.key.substr(0, 12));
  }
  eval::TrainObserver* TrainProgress() override { return quiet_ ? nullptr : train_.get(); }

 private:
  bool quiet_;
  size_t index_ = 0, total_ = 0;
  std::unique_ptr<eval::TrainObserver> train_;
};

std::string Ci(const core::Json& j) {
  auto number = [&](const char* key) -> std::optional<double> {
    if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
    return j[key].get<double>();
  };
  return stats::FormatEstimate(number("value"), number("ci_low"), number("ci_high"));
}

void PrintSummary(const pipeline::RunOutcome& out) {
  const core::Json& s = out.summary;
  std::cout << "\nrun " << out.run_id << "\n";
  if (s.contains("ingest")) {
    const auto& i = s["ingest"];
    std::cout << fmt::format("data      {} ({} rows, sha256 {})\n",
                             i["dataset_ref"].get<std::string>(), i["rows"].get<int64_t>(),
                             i["sha256"].get<std::string>().substr(0, 12));
  }
  if (s.contains("validate")) {
    std::cout << "validate  " << s["validate"]["detail"].get<std::string>() << "\n";
  }
  if (s.contains("governance")) {
    for (const auto& p : s["governance"]["proxies"]) {
      std::cout << fmt::format("proxy     '{}' is associated with protected '{}' ({} = {:.3f})\n",
                               p["feature"].get<std::string>(), p["protected"].get<std::string>(),
                               p["method"].get<std::string>(), p["value"].get<double>());
    }
    for (const auto& u : s["governance"]["protected_uses"]) {
      if (u["overridden"].get<bool>()) {
        std::cout << fmt::format("override  protected '{}' used {}: {}\n",
                                 u["protected"].get<std::string>(), u["how"].get<std::string>(),
                                 u["reason"].get<std::string>());
      }
    }
  }
  if (s.contains("train")) {
    const auto& t = s["train"];
    const std::string metric = t["metrics"][0].get<std::string>();
    std::cout << fmt::format("\n{:<8} {:>18} {:>27}  {}\n", "family", "cv " + metric,
                             "test " + metric + " [95% CI]", "params");
    for (const auto& e : t["leaderboard"]) {
      std::string params;
      for (const auto& [k, v] : e["params"].items()) {
        params += fmt::format(
            "{}{}={}", params.empty() ? "" : " ", k,
            v.is_number() ? fmt::format("{:.4g}", v.get<double>()) : v.get<std::string>());
      }
      std::cout << fmt::format("{:<8} {:>9.4f} ± {:<6.4f} {:>27}  {}\n",
                               e["family"].get<std::string>(),
                               e["cv"][metric]["mean"].get<double>(),
                               e["cv"][metric]["std"].get<double>(), Ci(e["test"][metric]), params);
    }
    std::cout << fmt::format("best      {} ({} trials)\n", t["best"].get<std::string>(),
                             t["trials"].get<int64_t>());
  }
  if (s.contains("evaluate")) {
    const auto& e = s["evaluate"];
    std::cout << "\nKPIs on the test part (" << e["test_rows"].get<int64_t>() << " rows)\n";
    for (const auto& k : e["kpis"]) {
      std::string verdict = "-";
      if (!k["constraints"].empty()) {
        verdict = fmt::format("{} {}", k["passed"].get<bool>() ? "PASS" : "FAIL",
                              k["constraints"][0].get<std::string>());
      }
      std::cout << fmt::format("  {:<26} {:<28} {}\n", k["metric"].get<std::string>(), Ci(k),
                               verdict);
    }
    if (e.contains("latency")) {
      const auto& l = e["latency"];
      std::cout << fmt::format("  {:<26} {:<28} {} p99 <= {} ms\n", "latency p99 (1 row)",
                               fmt::format("{:.3f} ms", l["p99_ms"].get<double>()),
                               l["passed"].get<bool>() ? "PASS" : "FAIL",
                               l["budget_ms"].get<double>());
    }
    if (!e["fairness"].empty()) std::cout << "fairness on the test part\n";
    for (const auto& f : e["fairness"]) {
      std::cout << fmt::format("  {:<16} {:<26} {:<28} {}\n", f["column"].get<std::string>(),
                               f["metric"].get<std::string>(), Ci(f),
                               f["passed"].get<bool>() ? "PASS" : "FAIL");
    }
  }
  if (s.contains("compare")) {
    std::cout << "\nchampion  " << s["compare"]["evidence"].get<std::string>() << "\n";
  }
  if (s.contains("register")) {
    std::cout << "registered " << s["register"]["model_ref"].get<std::string>()
              << (s["register"]["reused"].get<bool>() ? " (already registered)" : "") << "\n";
  }
  if (s.contains("gates")) {
    std::cout << "gates\n";
    for (const auto& g : s["gates"]["gates"]) {
      std::cout << fmt::format("  {:<4} {:<40} {}\n", g["passed"].get<bool>() ? "PASS" : "FAIL",
                               g["name"].get<std::string>(), g["evidence"].get<std::string>());
    }
  }
  if (s.contains("reports") && !s["reports"].empty()) {
    std::cout << "reports\n";
    for (const auto& [name, path] : s["reports"].items()) {
      std::cout << "  " << path.get<std::string>() << "\n";
    }
  }
  std::cout << std::flush;
}

core::Json OutcomeJson(const pipeline::RunOutcome& out) {
  core::Json steps = core::Json::array();
  for (const auto& r : out.steps) {
    const char* state = r.state == pipeline::StepState::kRan      ? "ran"
                        : r.state == pipeline::StepState::kCached ? "cached"
                                                                  : "not_run";
    steps.push_back({{"name", r.name},
                     {"state", state},
                     {"key", r.key},
                     {"seconds", r.seconds},
                     {"outputs", r.outputs}});
  }
  core::Json j = out.summary;
  j["steps"] = steps;
  j["stopped"] = out.stopped.ok() ? core::Json() : core::Json(out.stopped.message());
  return j;
}

// The stores of the project holding `spec_path` (its folder), unless --project says otherwise.
Result<store::ProjectStores> StoresFor(const CommandState& state, const std::string& spec_path) {
  CommandState s = state;
  if (s.global.project.empty()) s.global.project = core::DirName(spec_path);
  return OpenStores(s);
}

Result<std::string> SpecPath(const CommandState& state, const std::string& flag) {
  if (!flag.empty()) return flag;
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectLocation loc,
                          store::LocateProject(".", state.global.project, state.global.store));
  const std::string path = core::JoinPath(loc.root, "mlpipe.yaml");
  if (!core::Env::Default()->FileExists(path)) {
    return NotFoundError(fmt::format(
        "no mlpipe.yaml in {} (give --spec FILE, or create one with `mlpipe init`)", loc.root));
  }
  return path;
}

Result<std::vector<governance::ProtectedOverride>> Overrides(const RunArgs& args) {
  std::vector<governance::ProtectedOverride> out;
  for (const auto& o : args.overrides) {
    const std::string prefix = "protected:";
    if (o.rfind(prefix, 0) != 0 || o.size() == prefix.size()) {
      return InvalidArgumentError("--override " + o + ": expected protected:COLUMN");
    }
    out.push_back({o.substr(prefix.size()), args.reason});
  }
  if (out.empty() && !args.reason.empty()) {
    return InvalidArgumentError("--reason is only meaningful with --override protected:COLUMN");
  }
  return out;
}

void RunRun(CommandState& state, const RunArgs& args) {
  core::Env* env = core::Env::Default();
  pipeline::RunOutcome out;
  Status s = [&]() -> Status {
    MLPIPE_ASSIGN_OR_RETURN(std::string path, SpecPath(state, args.spec));
    MLPIPE_ASSIGN_OR_RETURN(std::string file_text, env->ReadFile(path));
    std::vector<pipeline::SpecError> errors;
    std::string text;
    pipeline::ProjectSpec spec =
        pipeline::ParseSpec(file_text, path, args.settings, &errors, &text);
    if (!errors.empty()) return InvalidArgumentError(pipeline::FormatSpecErrors(path, errors));
    MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, StoresFor(state, path));
    pipeline::RunOptions options;
    options.from = args.from;
    options.until = args.until;
    options.no_cache = args.no_cache;
    MLPIPE_ASSIGN_OR_RETURN(options.overrides, Overrides(args));
    options.actor = store::CurrentActor();
    options.command_line = state.command_line;
    options.spec_text = text;
    options.integration = FreshProcessCheck(stores.objects.get());
    if (std::string removed = pipeline::GovernanceRemovals(spec, options.overrides);
        !removed.empty()) {
      std::cerr << removed << "\n";
    }
    StepPrinter printer(state.global.quiet || state.global.json);
    options.observer = &printer;
    MLPIPE_ASSIGN_OR_RETURN(out, pipeline::RunPipeline(env, stores, spec, options));
    return Status::OK();
  }();
  if (!s.ok()) {
    state.exit_code = ReportError(state, s);
    return;
  }
  if (state.global.json) {
    PrintJson(OutcomeJson(out));
  } else if (!state.global.quiet) {
    PrintSummary(out);
  }
  if (!out.stopped.ok()) {
    if (!state.global.json) std::cerr << "error: " << out.stopped.message() << "\n";
    state.exit_code = kExitProblemFound;
  } else if (out.summary.contains("gates") && !out.gates_passed) {
    if (!state.global.json) {
      std::string failing;
      for (const auto& g : out.summary["gates"]["failing"]) {
        failing += (failing.empty() ? "" : "; ") + g.get<std::string>();
      }
      std::cerr << "error: deployment gates failed: " << failing << "\n";
    }
    state.exit_code = kExitProblemFound;
  }
}

void RunReproduce(CommandState& state, const std::string& run_id) {
  core::Env* env = core::Env::Default();
  pipeline::ReproduceReport report;
  Status s = [&]() -> Status {
    MLPIPE_ASSIGN_OR_RETURN(store::ProjectStores stores, OpenStores(state));
    pipeline::RunOptions options;
    options.actor = store::CurrentActor();
    options.command_line = state.command_line;
    StepPrinter printer(state.global.quiet || state.global.json);
    options.observer = &printer;
    MLPIPE_ASSIGN_OR_RETURN(report, pipeline::Reproduce(env, stores, run_id, options));
    return Status::OK();
  }();
  if (!s.ok()) {
    state.exit_code = ReportError(state, s);
    return;
  }
  if (state.global.json) {
    core::Json files = core::Json::array();
    for (const auto& f : report.files) {
      files.push_back({{"step", f.step},
                       {"file", f.file},
                       {"recorded", f.recorded},
                       {"reproduced", f.reproduced},
                       {"same", f.same()}});
    }
    PrintJson({{"run_id", report.run_id},
               {"new_run_id", report.new_run_id},
               {"data_version", report.data_version},
               {"recorded_commit", report.recorded_commit},
               {"current_commit", report.current_commit},
               {"recorded_version", report.recorded_version},
               {"current_version", report.current_version},
               {"files", files},
               {"bundle_identical", report.bundle_identical}});
  } else if (!state.global.quiet) {
    std::cout << fmt::format("\nreproduced run {} as {} on {}\n", report.run_id, report.new_run_id,
                             report.data_version);
    if (report.recorded_commit != report.current_commit || report.current_dirty) {
      std::cout << fmt::format("code      recorded {} , now {}{}\n",
                               report.recorded_commit.empty() ? "(none)" : report.recorded_commit,
                               report.current_commit.empty() ? "(none)" : report.current_commit,
                               report.current_dirty ? " (modified)" : "");
    }
    if (report.recorded_version != report.current_version) {
      std::cout << fmt::format("mlpipe    recorded {}, now {}\n", report.recorded_version,
                               report.current_version);
    }
    for (const auto& f : report.files) {
      std::cout << fmt::format("  {:<10} {:<18} {}\n", f.step, f.file,
                               f.same()               ? "identical"
                               : f.recorded.empty()   ? "not recorded"
                               : f.reproduced.empty() ? "not reproduced"
                                                      : "DIFFERS");
    }
    std::cout << (report.bundle_identical ? "the model bundle is byte-identical\n"
                                          : "the model bundle DIFFERS\n")
              << std::flush;
  }
  if (!report.bundle_identical) state.exit_code = kExitProblemFound;
}

}  // namespace

void AddRunCommands(CLI::App& parent, CommandState& state) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = parent.add_subcommand(
      "run",
      "Run the project's pipeline (mlpipe.yaml): ingest, validate, profile, governance, split, "
      "features, train, evaluate, compare, register, gates; unchanged steps are cached "
      "(docs/run.md)");
  run->add_option("--spec", args->spec,
                  "The project spec (default: mlpipe.yaml of the nearest project)");
  run->add_option("--from", args->from, "First step to run; earlier ones must be cached");
  run->add_option("--until", args->until, "Last step to run");
  run->add_flag("--no-cache", args->no_cache, "Run every step even when its result is cached");
  run->add_option("--set", args->settings,
                  "Override a spec value, e.g. --set search.trials=5 (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--override", args->overrides,
                  "protected:COLUMN — let a protected column reach the model (needs --reason; "
                  "audited)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_option("--reason", args->reason, "Why the override is justified (audited)");
  AddThreadsOption(run);
  run->callback([&state, args] { RunRun(state, *args); });

  auto run_id = std::make_shared<std::string>();
  CLI::App* reproduce = parent.add_subcommand(
      "reproduce",
      "Re-run a recorded pipeline run from its recorded spec, data version and seed, and check "
      "that the model bundle is byte-identical (docs/run.md)");
  reproduce->add_option("RUN_ID", *run_id, "The run to reproduce (see mlpipe runs list)")
      ->required();
  reproduce->callback([&state, run_id] { RunReproduce(state, *run_id); });
}

}  // namespace mlpipe::cli
