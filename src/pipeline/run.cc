// The runner: steps in order, each cached under the SHA-256 of its key, each
// recorded as a lineage execution, the whole invocation as one tracking run.
#include "mlpipe/pipeline/run.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlpipe/core/sha256.h"
#include "mlpipe/store/tracking.h"
#include "mlpipe/table/read.h"
#include "steps.h"

namespace mlpipe::pipeline {
namespace {

using internal::Step;
using internal::StepContext;
using internal::StepFiles;

constexpr char kCacheKind[] = "step-cache";

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Result<size_t> StepIndex(const std::string& name, const char* flag, size_t fallback) {
  if (name.empty()) return fallback;
  const auto& names = StepNames();
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    return InvalidArgumentError(
        fmt::format("{}: unknown step '{}' (steps: {})", flag, name, fmt::join(names, ", ")));
  }
  return static_cast<size_t>(it - names.begin());
}

struct Cached {
  core::Json manifest;
  std::string hash;  // of the manifest object
};

// The manifest a cached key points to, when it and every file it lists are
// still stored.
std::optional<Cached> LookUp(StepContext& ctx, const std::string& key) {
  auto graph = ctx.meta().Lineage(kCacheKind, key, true);
  if (!graph.ok() || graph->artifacts.empty() || graph->artifacts[0].hash.empty()) {
    return std::nullopt;
  }
  auto text = ctx.objects().Get(graph->artifacts[0].hash);
  if (!text.ok()) return std::nullopt;
  auto manifest = core::ParseJson(*text, "step manifest");
  if (!manifest.ok() || !manifest->contains("outputs")) return std::nullopt;
  for (const auto& [name, hash] : (*manifest)["outputs"].items()) {
    if (!ctx.objects().Contains(hash.get<std::string>())) return std::nullopt;
  }
  return Cached{std::move(*manifest), graph->artifacts[0].hash};
}

// The lineage node of one step output: named after the run that produced it.
Result<store::ArtifactNode> OutputNode(StepContext& ctx, const StepReport& r,
                                       const std::string& file, const std::string& hash) {
  const std::string producer = r.summary.value("_run_id", ctx.run_id);
  return ctx.meta().PutArtifact("object", fmt::format("{}/{}/{}", producer, r.name, file), hash);
}

Status RecordExecution(StepContext& ctx, const Step& step, const StepReport& r, int64_t start_us) {
  std::vector<store::LineageEdge> edges;
  for (const auto& dep : step.deps) {
    MLPIPE_ASSIGN_OR_RETURN(const StepReport* d, ctx.Step(dep));
    for (const auto& [file, hash] : d->outputs) {
      MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node, OutputNode(ctx, *d, file, hash));
      edges.push_back({0, node.id, store::EventDirection::kInput, dep + "/" + file});
    }
  }
  for (const auto& [file, hash] : r.outputs) {
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node, OutputNode(ctx, r, file, hash));
    edges.push_back({0, node.id, store::EventDirection::kOutput, file});
  }
  // Data and model versions are lineage nodes of their own kinds.
  if (r.summary.contains("dataset_ref")) {
    const std::string ref = r.summary["dataset_ref"].get<std::string>();
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node, ctx.meta().PutArtifact("dataset", ref, ""));
    edges.push_back({0, node.id, store::EventDirection::kOutput, "data"});
  }
  if (r.summary.contains("model_ref")) {
    const std::string ref = r.summary["model_ref"].get<std::string>();
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node, ctx.meta().PutArtifact("model", ref, ""));
    edges.push_back({0, node.id, store::EventDirection::kOutput, "model"});
  }
  store::Execution e;
  e.type = step.name;
  e.run_id = ctx.run_id;
  e.properties_json =
      core::Json(
          {{"key", r.key}, {"cached", r.state == StepState::kCached}, {"manifest", r.manifest}})
          .dump();
  e.start_us = start_us;
  e.end_us = ctx.env->NowMicros();
  return ctx.meta().RecordExecution(e, edges).status();
}

// Runs `step` (or finds it cached) and stores what it produced.
Result<StepReport> Execute(StepContext& ctx, const Step& step, bool use_cache, bool must_be_cached,
                           Status* stop) {
  const auto t0 = std::chrono::steady_clock::now();
  StepReport r;
  r.name = step.name;
  MLPIPE_ASSIGN_OR_RETURN(core::Json params, step.key(ctx));
  const core::Json material = {{"step", step.name},
                               {"mlpipe", MLPIPE_VERSION},
                               {"params", params},
                               {"inputs", ctx.Inputs(step.deps)}};
  r.key = core::Sha256Hex(material.dump());
  if (use_cache || must_be_cached) {
    if (auto cached = LookUp(ctx, r.key)) {
      r.state = StepState::kCached;
      r.summary = cached->manifest["summary"];
      r.outputs = cached->manifest["outputs"].get<std::map<std::string, std::string>>();
      r.manifest = cached->hash;
      r.seconds = Since(t0);
      return r;
    }
    if (must_be_cached) {
      return FailedPreconditionError(fmt::format(
          "--from: step '{}' has no cached result for the current data and spec; run the "
          "steps before it first (mlpipe run --until {})",
          step.name, step.name));
    }
  }
  MLPIPE_ASSIGN_OR_RETURN(StepFiles produced, step.run(ctx));
  r.state = StepState::kRan;
  r.summary = std::move(produced.summary);
  r.summary["_run_id"] = ctx.run_id;
  for (const auto& [name, bytes] : produced.files) {
    MLPIPE_ASSIGN_OR_RETURN(store::PutResult put, ctx.objects().PutBytes(bytes));
    r.outputs[name] = put.hash;
  }
  for (const auto& [name, hash] : produced.stored) r.outputs[name] = hash;
  if (!produced.stop.ok()) {
    *stop = produced.stop;
  } else {
    // Only a step that completed is cached.
    const core::Json manifest = {{"format_version", 1},  {"step", step.name},
                                 {"key", r.key},         {"mlpipe", MLPIPE_VERSION},
                                 {"summary", r.summary}, {"outputs", r.outputs}};
    MLPIPE_ASSIGN_OR_RETURN(store::PutResult put, ctx.objects().PutBytes(manifest.dump()));
    r.manifest = put.hash;
    auto node = ctx.meta().PutArtifact(kCacheKind, r.key, put.hash);
    // Another manifest for the same key (a --no-cache re-run) keeps the first.
    if (!node.ok() && node.status().code() != StatusCode::kAlreadyExists) return node.status();
  }
  r.seconds = Since(t0);
  return r;
}

// Params and metrics of the whole run, from the steps' summaries.
Status LogRunRecord(store::RunLogger& logger, const RunOutcome& out, int64_t now_us) {
  std::vector<store::Metric> metrics;
  for (const auto& s : out.steps) {
    if (s.name == "train" && s.summary.contains("leaderboard")) {
      for (const auto& e : s.summary["leaderboard"]) {
        const std::string family = e["family"].get<std::string>();
        for (const auto& [m, v] : e["cv"].items()) {
          if (v["mean"].is_number()) metrics.push_back({family + ".cv." + m, v["mean"], 0, now_us});
        }
        for (const auto& [m, v] : e["test"].items()) {
          if (v["value"].is_number())
            metrics.push_back({family + ".test." + m, v["value"], 0, now_us});
        }
      }
    }
    if (s.name == "evaluate" && s.summary.contains("kpis")) {
      for (const auto& k : s.summary["kpis"]) {
        if (k["value"].is_number())
          metrics.push_back({"test." + k["metric"].get<std::string>(), k["value"], 0, now_us});
      }
    }
  }
  std::sort(metrics.begin(), metrics.end(),
            [](const store::Metric& a, const store::Metric& b) { return a.key < b.key; });
  metrics.erase(
      std::unique(metrics.begin(), metrics.end(),
                  [](const store::Metric& a, const store::Metric& b) { return a.key == b.key; }),
      metrics.end());
  if (!metrics.empty()) MLPIPE_RETURN_IF_ERROR(logger.Metrics(metrics));
  std::map<std::string, std::string> tags;
  std::vector<std::string> cached, ran;
  for (const auto& s : out.steps) {
    if (s.state == StepState::kCached) cached.push_back(s.name);
    if (s.state == StepState::kRan) ran.push_back(s.name);
  }
  tags["pipeline.ran"] = fmt::format("{}", fmt::join(ran, ","));
  tags["pipeline.cached"] = fmt::format("{}", fmt::join(cached, ","));
  return logger.Tags(tags);
}

// Copies the HTML and Markdown reports of this invocation to <project>/reports/.
Status WriteReports(StepContext& ctx, RunOutcome& out) {
  const std::string dir = core::JoinPath(ctx.stores->location.root, "reports");
  core::Json written = core::Json::object();
  for (const auto& [step, file] : std::vector<std::pair<std::string, std::string>>{
           {"profile", "profile.html"}, {"gates", "model_card.html"}, {"gates", "model_card.md"}}) {
    auto it = ctx.done.find(step);
    if (it == ctx.done.end() || !it->second.outputs.contains(file)) continue;
    MLPIPE_ASSIGN_OR_RETURN(std::string bytes, ctx.objects().Get(it->second.outputs.at(file)));
    MLPIPE_RETURN_IF_ERROR(ctx.env->CreateDirs(dir));
    const std::string path = core::JoinPath(dir, file);
    MLPIPE_RETURN_IF_ERROR(ctx.env->WriteFileAtomic(path, bytes));
    written[file] = path;
  }
  out.summary["reports"] = written;
  return Status::OK();
}

}  // namespace

const std::vector<std::string>& StepNames() {
  static const std::vector<std::string> names = {"ingest",  "validate", "profile", "governance",
                                                 "split",   "features", "train",   "evaluate",
                                                 "compare", "register", "gates"};
  return names;
}

namespace internal {
const std::vector<Step>& Steps() {
  static const std::vector<Step> steps = {
      IngestStep(), ValidateStep(), ProfileStep(), GovernanceStep(), SplitStep(), FeaturesStep(),
      TrainStep(),  EvaluateStep(), CompareStep(), RegisterStep(),   GatesStep()};
  return steps;
}
}  // namespace internal

Result<RunOutcome> RunPipeline(core::Env* env, store::ProjectStores& stores,
                               const ProjectSpec& spec, const RunOptions& options) {
  const auto& steps = internal::Steps();
  MLPIPE_ASSIGN_OR_RETURN(size_t first, StepIndex(options.from, "--from", 0));
  MLPIPE_ASSIGN_OR_RETURN(size_t last, StepIndex(options.until, "--until", steps.size() - 1));
  if (first > last) {
    return InvalidArgumentError(
        fmt::format("--from {} comes after --until {}", options.from, options.until));
  }
  // The spec against its data, before any work (unless the data comes from a
  // recorded version: reproduce checks that itself).
  if (options.data_version.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(table::Table raw, table::ReadTableFile(env, spec.TrainingDataPath()));
    MLPIPE_RETURN_IF_ERROR(ValidateSpecAgainstData(spec, raw));
  }

  StepContext ctx(env, &stores, &spec, &options);
  MLPIPE_ASSIGN_OR_RETURN(
      store::RunLogger logger,
      store::RunLogger::Start(
          stores.meta.get(), stores.objects.get(), spec.name,
          store::CurrentOrigin(stores.location.root, options.command_line, spec.seed),
          options.actor));
  ctx.run_id = logger.run_id();
  RunOutcome out;
  out.run_id = logger.run_id();
  MLPIPE_RETURN_IF_ERROR(logger.Params({{"spec_sha256", core::Sha256Hex(options.spec_text)},
                                        {"seed", std::to_string(spec.seed)},
                                        {"from", StepNames()[first]},
                                        {"until", StepNames()[last]},
                                        {"no_cache", options.no_cache ? "true" : "false"}}));
  MLPIPE_RETURN_IF_ERROR(logger.Artifact("mlpipe.yaml", options.spec_text).status());
  if (!options.data_version.empty()) {
    MLPIPE_RETURN_IF_ERROR(logger.Tags({{"reproduces.data", options.data_version}}));
  }

  out.summary = core::Json::object();
  out.summary["run_id"] = out.run_id;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    if (i > last) {
      StepReport r;
      r.name = step.name;
      out.steps.push_back(std::move(r));
      continue;
    }
    if (options.observer != nullptr && i >= first) {
      options.observer->OnStepStart(step.name, i - first, last - first + 1);
    }
    const int64_t start_us = env->NowMicros();
    Status stop;
    MLPIPE_ASSIGN_OR_RETURN(StepReport r, Execute(ctx, step, !options.no_cache, i < first, &stop));
    MLPIPE_RETURN_IF_ERROR(RecordExecution(ctx, step, r, start_us));
    for (const auto& [file, hash] : r.outputs) {
      MLPIPE_ASSIGN_OR_RETURN(uint64_t size, stores.objects->Size(hash));
      MLPIPE_RETURN_IF_ERROR(
          stores.meta->LogArtifact(out.run_id, {step.name + "/" + file, hash, size}));
    }
    if (r.summary.contains("dataset_ref")) {
      const std::string ref = r.summary["dataset_ref"].get<std::string>();
      const auto at = ref.rfind('@');
      MLPIPE_RETURN_IF_ERROR(logger.Input(ref.substr(0, at), std::stoll(ref.substr(at + 1)),
                                          store::DatasetRole::kTrain));
    }
    out.summary[step.name] = r.summary;
    ctx.done[step.name] = r;
    out.steps.push_back(r);
    if (options.observer != nullptr && i >= first) options.observer->OnStepDone(r);
    if (!stop.ok()) {
      out.stopped = stop;
      for (size_t j = i + 1; j < steps.size(); ++j) {
        StepReport rest;
        rest.name = steps[j].name;
        out.steps.push_back(std::move(rest));
      }
      break;
    }
  }
  if (out.summary.contains("gates")) {
    out.gates_passed = out.summary["gates"].value("passed_except_approvals", false);
  }
  if (options.data_version.empty()) MLPIPE_RETURN_IF_ERROR(WriteReports(ctx, out));
  MLPIPE_RETURN_IF_ERROR(LogRunRecord(logger, out, env->NowMicros()));
  MLPIPE_RETURN_IF_ERROR(
      logger.End(out.stopped.ok() ? store::RunStatus::kFinished : store::RunStatus::kFailed));
  return out;
}

}  // namespace mlpipe::pipeline
