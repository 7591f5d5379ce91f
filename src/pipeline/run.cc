// The runner: steps in order, each cached under the SHA-256 of its key, each
// recorded as a lineage execution, the whole invocation as one tracking run.
#include "mlpipe/pipeline/run.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlpipe/core/build_id.h"
#include "mlpipe/core/log.h"
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

// What a step's cached result is: the object a `step-cache` artifact points to.
struct Manifest {
  static constexpr int kFormatVersion = 2;  // 2: with the build identity
  std::string step;
  std::string key;
  std::string build;
  core::Json summary;
  std::map<std::string, std::string> outputs;  // file name -> object hash

  core::Json ToJson() const {
    return {{"format_version", kFormatVersion},
            {"step", step},
            {"key", key},
            {"mlpipe", MLPIPE_VERSION},
            {"build", build},
            {"summary", summary},
            {"outputs", outputs}};
  }

  // Errors name the key at fault.
  static Result<Manifest> FromJson(const core::Json& j) {
    Manifest m;
    MLPIPE_ASSIGN_OR_RETURN(int64_t version,
                            core::GetField<int64_t>(j, "format_version", "manifest"));
    if (version != kFormatVersion) {
      return DataLossError(fmt::format("manifest.format_version: {} (this mlpipe reads {})",
                                       version, kFormatVersion));
    }
    MLPIPE_ASSIGN_OR_RETURN(m.step, core::GetField<std::string>(j, "step", "manifest"));
    MLPIPE_ASSIGN_OR_RETURN(m.key, core::GetField<std::string>(j, "key", "manifest"));
    MLPIPE_ASSIGN_OR_RETURN(m.build, core::GetField<std::string>(j, "build", "manifest"));
    MLPIPE_ASSIGN_OR_RETURN(m.summary, core::GetField<core::Json>(j, "summary", "manifest"));
    MLPIPE_ASSIGN_OR_RETURN(core::Json outputs,
                            core::GetField<core::Json>(j, "outputs", "manifest"));
    if (!outputs.is_object()) return DataLossError("manifest.outputs: expected an object");
    for (const auto& [name, hash] : outputs.items()) {
      if (!hash.is_string()) {
        return DataLossError(fmt::format("manifest.outputs.{}: expected a string", name));
      }
      m.outputs[name] = hash.get<std::string>();
    }
    return m;
  }
};

struct Cached {
  Manifest manifest;
  std::string hash;  // of the manifest object
};

// The manifest a cached key points to, when it and every file it lists are
// still stored (nullopt otherwise). An error when the manifest is there but
// cannot be used: another shape, another step, another build, or a summary
// that does not read as the step's record. The message names the key at fault.
Result<std::optional<Cached>> LookUp(StepContext& ctx, const Step& step, const std::string& key,
                                     const std::string& build) {
  auto graph = ctx.meta().Lineage(kCacheKind, key, true);
  if (!graph.ok() || graph->artifacts.empty() || graph->artifacts[0].hash.empty()) {
    return std::optional<Cached>();
  }
  const std::string& hash = graph->artifacts[0].hash;
  auto text = ctx.objects().Get(hash);
  if (!text.ok()) return std::optional<Cached>();
  auto where = [&](const Status& s) {
    return s.WithContext(fmt::format("step '{}': cached result {} (manifest {})", step.name,
                                     key.substr(0, 12), hash.substr(0, 12)));
  };
  Result<core::Json> json = core::ParseJson(*text, "manifest");
  if (!json.ok()) return where(json.status());
  Result<Manifest> manifest = Manifest::FromJson(*json);
  if (!manifest.ok()) return where(manifest.status());
  if (manifest->step != step.name || manifest->key != key || manifest->build != build) {
    return where(DataLossError(fmt::format("written by step '{}' of build '{}' for key {}",
                                           manifest->step, manifest->build, manifest->key)));
  }
  Status summary = step.check(manifest->summary);
  if (!summary.ok()) return where(summary.WithContext("summary"));
  for (const auto& [name, object] : manifest->outputs) {
    if (!ctx.objects().Contains(object)) return std::optional<Cached>();
  }
  return std::optional<Cached>(Cached{std::move(*manifest), hash});
}

// A string of a step's summary, when present: dataset_ref (ingest), model_ref
// (register, gates).
Result<std::optional<std::string>> RefOf(const StepReport& r, const std::string& key) {
  if (!r.summary.contains(key)) return std::optional<std::string>();
  MLPIPE_ASSIGN_OR_RETURN(std::string ref,
                          core::GetField<std::string>(r.summary, key, r.name + " summary"));
  return std::optional<std::string>(std::move(ref));
}

// The lineage node of one step output: named after the run that produced it.
Result<store::ArtifactNode> OutputNode(StepContext& ctx, const StepReport& r,
                                       const std::string& file, const std::string& hash) {
  const auto run = r.summary.find("_run_id");
  const std::string producer =
      run != r.summary.end() && run->is_string() ? run->get<std::string>() : ctx.run_id;
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
  MLPIPE_ASSIGN_OR_RETURN(std::optional<std::string> dataset, RefOf(r, "dataset_ref"));
  if (dataset) {
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node,
                            ctx.meta().PutArtifact("dataset", *dataset, ""));
    edges.push_back({0, node.id, store::EventDirection::kOutput, "data"});
  }
  MLPIPE_ASSIGN_OR_RETURN(std::optional<std::string> model, RefOf(r, "model_ref"));
  if (model) {
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode node, ctx.meta().PutArtifact("model", *model, ""));
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
  // Results depend on the code that computed them: the build is part of the key.
  const std::string& build =
      ctx.options->build_id.empty() ? core::BuildId() : ctx.options->build_id;
  const core::Json material = {{"step", step.name},
                               {"mlpipe", MLPIPE_VERSION},
                               {"build", build},
                               {"params", params},
                               {"inputs", ctx.Inputs(step.deps)}};
  r.key = core::Sha256Hex(material.dump());
  if (use_cache || must_be_cached) {
    Result<std::optional<Cached>> cached = LookUp(ctx, step, r.key, build);
    if (!cached.ok() && must_be_cached) {
      return FailedPreconditionError(
          fmt::format("--from: {}; run the steps before it again (mlpipe run --until {} "
                      "--no-cache)",
                      cached.status().message(), step.name));
    }
    if (!cached.ok()) {
      // Not trusted, not fatal: the step runs again.
      core::LogWarning("{}; running the step again", cached.status().message());
    } else if (cached->has_value()) {
      Cached& c = **cached;
      r.state = StepState::kCached;
      r.summary = std::move(c.manifest.summary);
      r.outputs = std::move(c.manifest.outputs);
      r.manifest = c.hash;
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
  // What a step produces is what a later one (or a cached re-run) reads back.
  Status readable = step.check(produced.summary);
  if (!readable.ok()) {
    return InternalError(fmt::format("step '{}' produced a summary it cannot read: {}", step.name,
                                     readable.message()));
  }
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
    const Manifest manifest{step.name, r.key, build, r.summary, r.outputs};
    MLPIPE_ASSIGN_OR_RETURN(store::PutResult put, ctx.objects().PutBytes(manifest.ToJson().dump()));
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
    if (s.state == StepState::kNotRun) continue;
    if (s.name == "train") {
      MLPIPE_ASSIGN_OR_RETURN(internal::TrainSummary train,
                              internal::TrainSummary::FromJson(s.summary, "train summary"));
      for (const auto& e : train.leaderboard) {
        for (const auto& [m, v] : e.cv) {
          if (v.mean) metrics.push_back({e.family + ".cv." + m, *v.mean, 0, now_us});
        }
        for (const auto& [m, v] : e.test) {
          if (v.value) metrics.push_back({e.family + ".test." + m, *v.value, 0, now_us});
        }
      }
    }
    if (s.name == "evaluate") {
      MLPIPE_ASSIGN_OR_RETURN(internal::EvaluateSummary evaluate,
                              internal::EvaluateSummary::FromJson(s.summary, "evaluate summary"));
      for (const auto& k : evaluate.kpis) {
        if (k.estimate.value) metrics.push_back({"test." + k.metric, *k.estimate.value, 0, now_us});
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

namespace {
// A data path that names nothing is the spec's mistake: say where it is written.
Status CheckDataFileExists(core::Env* env, const ProjectSpec& spec) {
  if (spec.sources.empty()) return Status::OK();
  const std::string path = spec.TrainingDataPath();
  if (env->FileExists(path)) return Status::OK();
  const DataSource& source = spec.sources.front();
  std::string where = spec.path.empty() ? "spec" : spec.path;
  const Mark& at = source.path_mark.line > 0 ? source.path_mark : source.mark;
  if (at.line > 0) where += fmt::format(":{}:{}", at.line, at.column);
  std::string message = fmt::format("{}: data file '{}' not found", where, source.path);
  if (path != source.path) message += fmt::format(" (looked for {})", path);
  return NotFoundError(message);
}
}  // namespace

std::string GovernanceRemovals(const ProjectSpec& spec,
                               const std::vector<governance::ProtectedOverride>& overrides) {
  std::string list;
  auto add = [&list](const std::string& column, std::string_view why) {
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", column, why);
  };
  for (const auto& p : spec.columns.protected_columns) {
    const bool kept = std::any_of(overrides.begin(), overrides.end(),
                                  [&p](const auto& o) { return o.column == p.name; });
    if (!kept) add(p.name, "protected");
  }
  for (const auto& p : spec.columns.pii) {
    if (p.handling == PiiHandling::kDrop) add(p.column.name, "pii");
  }
  return list.empty() ? "" : "governance: removed columns " + list + " before training";
}

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
    MLPIPE_RETURN_IF_ERROR(CheckDataFileExists(env, spec));
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
    if (r.name == "ingest") {
      MLPIPE_ASSIGN_OR_RETURN(internal::IngestSummary ingest,
                              internal::IngestSummary::FromJson(r.summary, "ingest summary"));
      MLPIPE_RETURN_IF_ERROR(
          logger.Input(ingest.dataset, ingest.version, store::DatasetRole::kTrain));
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
  if (const auto it = ctx.done.find("gates"); it != ctx.done.end()) {
    MLPIPE_ASSIGN_OR_RETURN(internal::GatesSummary gates,
                            internal::GatesSummary::FromJson(it->second.summary, "gates summary"));
    out.gates_passed = gates.passed_except_approvals;
  }
  if (options.data_version.empty()) MLPIPE_RETURN_IF_ERROR(WriteReports(ctx, out));
  MLPIPE_RETURN_IF_ERROR(LogRunRecord(logger, out, env->NowMicros()));
  MLPIPE_RETURN_IF_ERROR(
      logger.End(out.stopped.ok() ? store::RunStatus::kFinished : store::RunStatus::kFailed));
  return out;
}

}  // namespace mlpipe::pipeline
