// RecordTrainRun: a finished eval::Train as runs, artifacts and lineage.
#include "mlpipe/pipeline/train_record.h"

#include <cmath>
#include <variant>

#include <fmt/format.h>

#include "mlpipe/core/env.h"

namespace mlpipe::pipeline {
namespace {

std::string ParamText(const models::ParamValue& v) {
  if (const double* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return std::get<std::string>(v);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (s.empty()) continue;
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

void AddMetric(std::vector<store::Metric>& out, const std::string& key, const core::Json& v,
               int64_t now) {
  if (v.is_number() && std::isfinite(v.get<double>()))
    out.push_back({key, v.get<double>(), 0, now});
}

// One child run per trial of every family's search.
Status RecordTrials(store::MetadataStore& meta, core::Env* env, const store::RunInfo& parent,
                    const eval::TrainResult& result, const std::string& actor) {
  for (const auto& entry : result.leaderboard) {
    for (const auto& trial : entry.search.trials) {
      store::RunOrigin origin = parent.origin;
      origin.name = fmt::format("{} trial {}", entry.family, trial.id);
      origin.parent_run_id = parent.run_id;
      MLPIPE_ASSIGN_OR_RETURN(store::RunInfo child,
                              meta.CreateRun(parent.experiment, origin, actor));
      std::map<std::string, std::string> params = {{"family", entry.family}};
      for (const auto& [k, v] : trial.params) params[k] = ParamText(v);
      if (trial.rung > 0 || trial.row_fraction < 1) {
        params["rung"] = std::to_string(trial.rung);
        params["row_fraction"] = fmt::format("{}", trial.row_fraction);
      }
      MLPIPE_RETURN_IF_ERROR(meta.LogParams(child.run_id, params));
      const int64_t now = env->NowMicros();
      std::vector<store::Metric> metrics;
      for (const auto& m : trial.metrics) {
        if (std::isfinite(m.mean)) metrics.push_back({"cv." + m.name, m.mean, 0, now});
        if (std::isfinite(m.std)) metrics.push_back({"cv." + m.name + ".std", m.std, 0, now});
      }
      metrics.push_back({"fit_seconds", trial.fit_seconds, 0, now});
      MLPIPE_RETURN_IF_ERROR(meta.LogMetrics(child.run_id, metrics));
      if (!trial.ok()) MLPIPE_RETURN_IF_ERROR(meta.SetTags(child.run_id, {{"error", trial.error}}));
      MLPIPE_RETURN_IF_ERROR(
          meta.EndRun(child.run_id,
                      trial.ok() ? store::RunStatus::kFinished : store::RunStatus::kFailed, actor));
    }
  }
  return Status::OK();
}

}  // namespace

Status RecordTrainRun(store::MetadataStore& meta, store::RunLogger& logger,
                      const TrainRecordInput& input) {
  const eval::TrainOptions& o = *input.options;
  const eval::TrainResult& r = *input.result;
  const std::string& metric = r.metrics.front();

  std::map<std::string, std::string> params = {
      {"data", o.data},
      {"target", o.target},
      {"positive", o.positive},
      {"models", Join(o.families)},
      {"search", o.search},
      {"cv", std::to_string(o.cv)},
      {"metrics", Join(r.metrics)},
      {"protected", Join(o.protected_columns)},
      {"test_size", fmt::format("{}", o.test_size)},
      {"seed", std::to_string(o.seed)},
      {"bootstrap", std::to_string(o.bootstrap)},
      {"best_family", r.best().family},
  };
  for (const auto& [k, v] : r.best().json["params"].items()) {
    params["best." + k] = v.is_string() ? v.get<std::string>() : fmt::format("{}", v.get<double>());
  }
  MLPIPE_RETURN_IF_ERROR(logger.Params(params));

  const int64_t now = logger.env()->NowMicros();
  std::vector<store::Metric> metrics;
  for (const auto& e : r.leaderboard) {
    for (const auto& m : r.metrics) {
      AddMetric(metrics, e.family + ".cv." + m, e.json["cv"][m]["mean"], now);
      AddMetric(metrics, e.family + ".test." + m, e.json["test"][m]["value"], now);
    }
    AddMetric(metrics, e.family + ".fit_seconds", e.json["fit_seconds"], now);
  }
  for (const auto& m : r.metrics) {
    AddMetric(metrics, "cv." + m, r.best().json["cv"][m]["mean"], now);
    AddMetric(metrics, "test." + m, r.best().json["test"][m]["value"], now);
    AddMetric(metrics, "test." + m + ".ci_low", r.best().json["test"][m]["ci_low"], now);
    AddMetric(metrics, "test." + m + ".ci_high", r.best().json["test"][m]["ci_high"], now);
  }
  MLPIPE_RETURN_IF_ERROR(logger.Metrics(metrics));
  MLPIPE_RETURN_IF_ERROR(logger.Tags({{"mlpipe.command", "train"},
                                      {"mlpipe.task", std::string(models::TaskName(r.target.task))},
                                      {"mlpipe.metric", metric}}));

  // The model folder's files as artifacts: written to memory exactly as
  // WriteTrainOutput writes them to disk.
  auto mem = core::NewMemEnv();
  MLPIPE_RETURN_IF_ERROR(eval::WriteTrainOutput(mem.get(), "/out", r));
  std::vector<store::LineageEdge> edges;
  for (const char* file : {"model.json", "features.json", "metrics.json"}) {
    MLPIPE_ASSIGN_OR_RETURN(std::string bytes, mem->ReadFile(std::string("/out/") + file));
    MLPIPE_ASSIGN_OR_RETURN(store::RunArtifact a, logger.Artifact(file, bytes));
    MLPIPE_ASSIGN_OR_RETURN(
        store::ArtifactNode node,
        meta.PutArtifact("object", logger.run_id() + "/" + file, a.object_hash));
    edges.push_back({0, node.id, store::EventDirection::kOutput, file});
  }
  if (!input.bundle.empty()) {
    const std::string file = "model.mlpb";
    MLPIPE_ASSIGN_OR_RETURN(store::RunArtifact a, logger.Artifact(file, input.bundle));
    MLPIPE_ASSIGN_OR_RETURN(
        store::ArtifactNode node,
        meta.PutArtifact("object", logger.run_id() + "/" + file, a.object_hash));
    edges.push_back({0, node.id, store::EventDirection::kOutput, file});
  }

  if (!input.dataset.empty()) {
    MLPIPE_RETURN_IF_ERROR(
        logger.Input(input.dataset, input.dataset_version, store::DatasetRole::kTrain));
    MLPIPE_RETURN_IF_ERROR(
        logger.Input(input.dataset, input.dataset_version, store::DatasetRole::kTest));
    const std::string ref = input.dataset + "@" + std::to_string(input.dataset_version);
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode ds, meta.PutArtifact("dataset", ref, ""));
    edges.push_back({0, ds.id, store::EventDirection::kInput, "data"});
  }
  if (!logger.info().origin.git_commit.empty()) {
    MLPIPE_ASSIGN_OR_RETURN(store::ArtifactNode code,
                            meta.PutArtifact("code", logger.info().origin.git_commit, ""));
    edges.push_back({0, code.id, store::EventDirection::kInput, "code"});
  }
  store::Execution e;
  e.type = "train";
  e.run_id = logger.run_id();
  e.properties_json = core::Json({{"best_family", r.best().family}, {"metric", metric}}).dump();
  e.start_us = logger.info().start_us;
  e.end_us = logger.env()->NowMicros();
  MLPIPE_RETURN_IF_ERROR(meta.RecordExecution(e, edges).status());

  if (input.child_runs)
    MLPIPE_RETURN_IF_ERROR(RecordTrials(meta, logger.env(), logger.info(), r, logger.actor()));
  return logger.End(store::RunStatus::kFinished);
}

}  // namespace mlpipe::pipeline
