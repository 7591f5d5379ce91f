// StepContext: how a step reaches the outputs of the steps before it.
#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlpipe/core/sha256.h"
#include "mlpipe/eval/cv.h"
#include "mlpipe/models/family_table.h"
#include "mlpipe/table/read.h"
#include "steps.h"

namespace mlpipe::pipeline::internal {

Result<const StepReport*> StepContext::Step(const std::string& step) const {
  auto it = done.find(step);
  if (it == done.end()) return InternalError("step '" + step + "' has not run before this one");
  return &it->second;
}

Result<std::string> StepContext::Output(const std::string& step, const std::string& name) const {
  MLPIPE_ASSIGN_OR_RETURN(const StepReport* r, Step(step));
  auto it = r->outputs.find(name);
  if (it == r->outputs.end()) {
    return InternalError(fmt::format("step '{}' has no output '{}'", step, name));
  }
  return it->second;
}

Result<std::string> StepContext::File(const std::string& step, const std::string& name) {
  MLPIPE_ASSIGN_OR_RETURN(std::string hash, Output(step, name));
  return objects().Get(hash);
}

core::Json StepContext::Inputs(const std::vector<std::string>& steps) const {
  core::Json j = core::Json::object();
  for (const auto& s : steps) {
    auto it = done.find(s);
    if (it == done.end()) continue;
    j[s] = it->second.outputs;
  }
  return j;
}

Result<const table::Table*> StepContext::Data() {
  if (data_) return &*data_;
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* raw, RawData());
  MLPIPE_ASSIGN_OR_RETURN(table::Table derived, ApplyDerivedColumns(*spec, *raw));
  data_ = std::move(derived);
  return &*data_;
}

Result<const table::Table*> StepContext::RawData() {
  if (raw_) return &*raw_;
  MLPIPE_ASSIGN_OR_RETURN(IngestSummary ingest, Summary<IngestSummary>());
  MLPIPE_ASSIGN_OR_RETURN(const std::string hash, Output("ingest", "data"));
  // The object holds the file as ingested; its format is the source's.
  std::string ext = "csv";
  const std::string source = spec->sources.empty() ? "" : spec->sources[0].path;
  if (!spec->sources.empty() && !spec->sources[0].format.empty()) {
    ext = spec->sources[0].format;
  } else if (auto dot = source.rfind('.'); dot != std::string::npos) {
    ext = source.substr(dot + 1);
  }
  if (ingest.protected_pii) ext = "csv";  // written by ingest as CSV
  std::string path = objects().PathOf(hash);
  std::string temp;
  if (ext != "csv") {
    temp = core::JoinPath(stores->location.root, ".mlpipe/tmp/" + hash.substr(0, 16) + "." + ext);
    MLPIPE_RETURN_IF_ERROR(env->CreateDirs(core::DirName(temp)));
    MLPIPE_RETURN_IF_ERROR(objects().CopyTo(hash, temp));
    path = temp;
  }
  auto read = table::ReadTableFile(env, path);
  if (!temp.empty()) (void)env->DeleteFile(temp);
  if (!read.ok()) return read.status().WithContext("reading the ingested data");
  raw_ = std::move(*read);
  return &*raw_;
}

Result<const table::Table*> StepContext::ModelTable() {
  if (model_table_) return &*model_table_;
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* data, Data());
  std::vector<std::string> drop;
  for (const auto* refs : {&spec->columns.id, &spec->columns.ignore}) {
    for (const auto& r : *refs) {
      if (data->GetColumn(r.name).ok()) drop.push_back(r.name);
    }
  }
  model_table_ = data->Drop(drop);
  return &*model_table_;
}

Result<std::pair<std::vector<size_t>, std::vector<size_t>>> StepContext::Split() {
  MLPIPE_ASSIGN_OR_RETURN(std::string text, File("split", "split.json"));
  MLPIPE_ASSIGN_OR_RETURN(core::Json j, core::ParseJson(text, "split.json"));
  MLPIPE_ASSIGN_OR_RETURN(auto train,
                          core::GetField<std::vector<size_t>>(j, "train", "split.json"));
  MLPIPE_ASSIGN_OR_RETURN(auto test, core::GetField<std::vector<size_t>>(j, "test", "split.json"));
  return std::make_pair(std::move(train), std::move(test));
}

Result<const bundle::Predictor*> StepContext::Model() {
  if (model_) return model_.get();
  MLPIPE_ASSIGN_OR_RETURN(std::string bytes, File("train", "model.mlpb"));
  MLPIPE_ASSIGN_OR_RETURN(bundle::ModelBundle b, bundle::DecodeBundle(bytes, "model.mlpb"));
  MLPIPE_ASSIGN_OR_RETURN(model_, bundle::Predictor::Create(std::move(b)));
  return model_.get();
}

std::string StepContext::Getenv(const std::string& name) const {
  if (options->getenv) return options->getenv(name);
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? "" : v;
}

std::vector<std::string> StepContext::Protected() const {
  std::vector<std::string> out;
  for (const auto& r : spec->columns.protected_columns) out.push_back(r.name);
  return out;
}

std::vector<std::string> StepContext::OverriddenProtected() const {
  std::vector<std::string> out;
  for (const auto& o : options->overrides) out.push_back(o.column);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// ------------------------------------------------------------ shared helpers --

// Columns handed to the feature pipeline: the model table's, less the target
// and the protected columns no override keeps.
Result<std::vector<std::string>> FeatureColumns(StepContext& ctx, bool with_protected) {
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  const auto prot = ctx.Protected();
  const auto kept = ctx.OverriddenProtected();
  std::vector<std::string> out;
  for (const auto& name : t->ColumnNames()) {
    if (name == ctx.spec->target.column.name) continue;
    const bool is_protected = std::find(prot.begin(), prot.end(), name) != prot.end();
    const bool is_kept = std::find(kept.begin(), kept.end(), name) != kept.end();
    if (is_protected && !is_kept && !with_protected) continue;
    out.push_back(name);
  }
  return out;
}

Result<eval::Target> TargetOf(StepContext& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(const table::Table* t, ctx.ModelTable());
  MLPIPE_ASSIGN_OR_RETURN(const table::Column* col, t->GetColumn(ctx.spec->target.column.name));
  return eval::EncodeTarget(*col, ctx.spec->target.positive, ctx.spec->target.task);
}

core::Json ColumnsJson(const std::vector<ColumnRef>& refs) {
  core::Json j = core::Json::array();
  for (const auto& r : refs) j.push_back(r.name);
  return j;
}

core::Json ConstraintJson(const Constraint& c) {
  core::Json cols = ColumnsJson(c.columns);
  return {{"metric", c.metric}, {"op", c.op}, {"value", c.value}, {"columns", cols}};
}

std::string Where(const ProjectSpec& spec, const Mark& mark) {
  const std::string path = spec.path.empty() ? "mlpipe.yaml" : spec.path;
  if (mark.line == 0) return path;
  return fmt::format("{}:{}:{}", path, mark.line, mark.column);
}

Result<std::vector<std::string>> Families(const ProjectSpec& spec, models::Task task) {
  std::vector<std::string> out;
  for (const auto& m : spec.models) out.push_back(m.family);
  if (!out.empty()) return out;  // the spec check refused non-interpretable ones already
  if (spec.interpretability_required) {
    for (const auto& f : models::ModelFamilies()) {
      if (f.interpretable && f.Supports(task)) out.push_back(f.name);
    }
    return out;
  }
  if (task == models::Task::kRegression) return std::vector<std::string>{"ridge", "gbdt", "rf"};
  return std::vector<std::string>{"logreg", "gbdt", "rf"};
}

std::vector<std::string> TrainMetrics(const ProjectSpec& spec, models::Task task) {
  std::vector<std::string> out;
  out.push_back(spec.kpis.primary.empty() ? eval::DefaultMetric(task) : spec.kpis.primary);
  for (const auto& c : spec.kpis.constraints) {
    if (std::find(out.begin(), out.end(), c.metric) == out.end()) out.push_back(c.metric);
  }
  return out;
}

std::string ModelName(const ProjectSpec& spec) {
  return spec.register_model.empty() ? spec.name : spec.register_model;
}

}  // namespace mlpipe::pipeline::internal
