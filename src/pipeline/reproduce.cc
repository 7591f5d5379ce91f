// Reproduce: the recorded run again, compared file by file.
#include "mlpipe/pipeline/reproduce.h"

#include <fmt/format.h>

#include "mlpipe/store/tracking.h"

namespace mlpipe::pipeline {
namespace {

// The protected-column overrides the run was given (audit "governance.override").
Result<std::vector<governance::ProtectedOverride>> RecordedOverrides(store::MetadataStore& meta,
                                                                     const std::string& run_id) {
  MLPIPE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries, meta.ReadAudit(std::nullopt, ""));
  std::vector<governance::ProtectedOverride> out;
  for (const auto& e : entries) {
    if (e.action != "governance.override") continue;
    auto details = core::ParseJson(e.details_json, "audit entry");
    if (!details.ok() || details->value("run_id", "") != run_id) continue;
    const std::string prefix = "protected:";
    if (e.subject.rfind(prefix, 0) != 0) continue;
    out.push_back({e.subject.substr(prefix.size()), details->value("reason", "")});
  }
  return out;
}

}  // namespace

Result<ReproduceReport> Reproduce(core::Env* env, store::ProjectStores& stores,
                                  const std::string& run_id, RunOptions options) {
  MLPIPE_ASSIGN_OR_RETURN(store::Run run, stores.meta->GetRun(run_id));
  std::map<std::string, std::string> recorded;  // artifact path -> hash
  for (const auto& a : run.artifacts) recorded[a.path] = a.object_hash;
  if (!recorded.contains("mlpipe.yaml")) {
    return FailedPreconditionError(
        fmt::format("run {} recorded no spec (mlpipe.yaml): it is not a `mlpipe run`", run_id));
  }
  if (!recorded.contains("train/model.mlpb")) {
    return FailedPreconditionError(
        fmt::format("run {} recorded no model bundle: it did not reach the train step", run_id));
  }
  std::string data_version;
  for (const auto& in : run.inputs) {
    if (in.role == store::DatasetRole::kTrain) {
      data_version = fmt::format("{}@{}", in.dataset, in.version);
    }
  }
  if (data_version.empty()) {
    return FailedPreconditionError(fmt::format("run {} recorded no data version", run_id));
  }
  MLPIPE_ASSIGN_OR_RETURN(std::string text, stores.objects->Get(recorded["mlpipe.yaml"]));
  const std::string spec_path = core::JoinPath(stores.location.root, "mlpipe.yaml");
  std::vector<SpecError> errors;
  ProjectSpec spec = ParseSpec(text, spec_path, &errors);
  if (!errors.empty()) {
    return InvalidArgumentError("the recorded spec no longer parses:\n" +
                                FormatSpecErrors(spec_path + " (recorded)", errors));
  }

  ReproduceReport report;
  report.run_id = run_id;
  report.data_version = data_version;
  report.recorded_commit = run.info.origin.git_commit;
  report.recorded_version = run.info.origin.mlpipe_version;
  const store::GitState git = store::ReadGitState(stores.location.root);
  report.current_commit = git.commit;
  report.current_dirty = git.dirty;
  report.current_version = MLPIPE_VERSION;

  options.from.clear();
  options.until = "evaluate";
  options.no_cache = true;
  options.spec_text = text;
  options.data_version = data_version;
  MLPIPE_ASSIGN_OR_RETURN(options.overrides, RecordedOverrides(*stores.meta, run_id));
  MLPIPE_ASSIGN_OR_RETURN(RunOutcome out, RunPipeline(env, stores, spec, options));
  report.new_run_id = out.run_id;
  if (!out.stopped.ok()) return out.stopped.WithContext("reproduce " + run_id);
  for (const auto& step : out.steps) {
    if (step.state == StepState::kNotRun) continue;
    std::map<std::string, std::string> files = step.outputs;
    for (const auto& [path, hash] : recorded) {
      if (path.rfind(step.name + "/", 0) == 0) files.try_emplace(path.substr(step.name.size() + 1));
    }
    for (const auto& [file, unused] : files) {
      FileComparison c;
      c.step = step.name;
      c.file = file;
      auto r = recorded.find(step.name + "/" + file);
      if (r != recorded.end()) c.recorded = r->second;
      auto n = step.outputs.find(file);
      if (n != step.outputs.end()) c.reproduced = n->second;
      report.files.push_back(std::move(c));
    }
  }
  for (const auto& c : report.files) {
    if (c.step == "train" && c.file == "model.mlpb") report.bundle_identical = c.same();
  }
  core::Json details = {{"run_id", out.run_id},
                        {"data", data_version},
                        {"bundle_identical", report.bundle_identical}};
  MLPIPE_RETURN_IF_ERROR(
      stores.meta->AppendAudit(options.actor, "run.reproduce", run_id, details.dump()).status());
  MLPIPE_RETURN_IF_ERROR(stores.meta->SetTags(out.run_id, {{"reproduces", run_id}}));
  return report;
}

}  // namespace mlpipe::pipeline
