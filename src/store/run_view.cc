// The reader's JSON of runs (run_view.h).
#include "mlpipe/store/run_view.h"

#include <set>
#include <string>

#include "mlpipe/core/time.h"

namespace mlpipe::store {
namespace {

core::Json NullIfEmpty(const std::string& s) { return s.empty() ? core::Json() : core::Json(s); }

core::Json OriginView(const RunOrigin& o) {
  return {{"host", o.host},           {"user", o.user},
          {"command", o.command},     {"git_commit", o.git_commit},
          {"git_dirty", o.git_dirty}, {"mlpipe_version", o.mlpipe_version},
          {"seed", o.seed},           {"parent_run_id", o.parent_run_id}};
}

// {"values": [...], "differs": bool} of one key across the runs.
core::Json Row(const std::vector<core::Json>& values) {
  bool differs = false;
  for (const auto& v : values) differs = differs || v != values[0];
  return {{"values", values}, {"differs", differs}};
}

}  // namespace

core::Json RunInfoView(const RunInfo& r) {
  return {{"run_id", r.run_id},
          {"experiment", r.experiment},
          {"name", r.origin.name},
          {"status", std::string(RunStatusName(r.status))},
          {"start_time", r.start_us == 0 ? "" : core::FormatIsoTime(r.start_us)},
          {"start_us", r.start_us},
          {"end_time", r.end_us == 0 ? core::Json() : core::Json(core::FormatIsoTime(r.end_us))},
          {"end_us", r.end_us},
          {"user", r.origin.user},
          {"host", r.origin.host},
          {"parent_run_id", NullIfEmpty(r.origin.parent_run_id)}};
}

core::Json RunView(const Run& run) {
  core::Json j = RunInfoView(run.info);
  j["origin"] = OriginView(run.info.origin);
  j["params"] = run.params;
  j["tags"] = run.tags;
  core::Json metrics = core::Json::object();
  for (const auto& [key, m] : run.metrics) {
    metrics[key] = {{"value", m.value}, {"step", m.step}, {"timestamp_us", m.timestamp_us}};
  }
  j["metrics"] = metrics;
  core::Json artifacts = core::Json::array();
  for (const auto& a : run.artifacts) {
    artifacts.push_back({{"path", a.path}, {"hash", a.object_hash}, {"size", a.size}});
  }
  j["artifacts"] = artifacts;
  core::Json inputs = core::Json::array();
  for (const auto& in : run.inputs) {
    inputs.push_back({{"dataset", in.dataset},
                      {"version", in.version},
                      {"role", std::string(DatasetRoleName(in.role))}});
  }
  j["inputs"] = inputs;
  return j;
}

core::Json CompareRunsView(const std::vector<Run>& runs) {
  std::set<std::string> param_keys, metric_keys;
  core::Json infos = core::Json::array();
  for (const auto& r : runs) {
    infos.push_back(RunInfoView(r.info));
    for (const auto& [k, v] : r.params) param_keys.insert(k);
    for (const auto& [k, m] : r.metrics) metric_keys.insert(k);
  }
  core::Json params = core::Json::object(), metrics = core::Json::object();
  for (const std::string& key : param_keys) {
    std::vector<core::Json> values;
    for (const auto& r : runs) {
      auto it = r.params.find(key);
      values.push_back(it == r.params.end() ? core::Json() : core::Json(it->second));
    }
    params[key] = Row(values);
  }
  for (const std::string& key : metric_keys) {
    std::vector<core::Json> values;
    for (const auto& r : runs) {
      auto it = r.metrics.find(key);
      values.push_back(it == r.metrics.end() ? core::Json() : core::Json(it->second.value));
    }
    metrics[key] = Row(values);
  }
  return {{"runs", infos}, {"params", params}, {"metrics", metrics}};
}

}  // namespace mlpipe::store
