// The store's records as JSON for the tracking HTTP API (store_json.h), and
// the percent-encoding and error body both ends of the API share.
#include "mlpipe/store/store_json.h"

#include <cmath>
#include <limits>

namespace mlpipe::store {
namespace {

std::string Where(std::string_view ctx, std::string_view key) {
  std::string w(ctx);
  w.append(".").append(key);
  return w;
}

Status WrongType(std::string_view where, std::string_view expected, const Json& j) {
  std::string msg(where);
  msg.append(": expected ").append(expected).append(", found ").append(j.type_name());
  return InvalidArgumentError(std::move(msg));
}

Status Scalar(const Json& j, std::string_view where, std::string* out) {
  if (!j.is_string()) return WrongType(where, "a string", j);
  *out = j.get<std::string>();
  return Status::OK();
}
Status Scalar(const Json& j, std::string_view where, int64_t* out) {
  if (!j.is_number_integer()) return WrongType(where, "an integer", j);
  *out = j.get<int64_t>();
  return Status::OK();
}
Status Scalar(const Json& j, std::string_view where, uint64_t* out) {
  if (!j.is_number_unsigned()) return WrongType(where, "a non-negative integer", j);
  *out = j.get<uint64_t>();
  return Status::OK();
}
Status Scalar(const Json& j, std::string_view where, bool* out) {
  if (!j.is_boolean()) return WrongType(where, "true or false", j);
  *out = j.get<bool>();
  return Status::OK();
}
// Doubles: a number, or "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
Status Scalar(const Json& j, std::string_view where, double* out) {
  if (j.is_number()) {
    *out = j.get<double>();
    return Status::OK();
  }
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s == "NaN") *out = std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") *out = std::numeric_limits<double>::infinity();
    if (s == "-Infinity") *out = -std::numeric_limits<double>::infinity();
    if (s == "NaN" || s == "Infinity" || s == "-Infinity") return Status::OK();
  }
  return WrongType(where, "a number, \"NaN\", \"Infinity\" or \"-Infinity\"", j);
}

Json Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

// j[key] into *out when present, for scalars.
template <typename T>
Status Get(const Json& j, std::string_view key, std::string_view ctx, T* out) {
  if (!j.is_object()) return WrongType(ctx, "an object", j);
  auto it = j.find(key);
  if (it == j.end()) return Status::OK();
  return Scalar(*it, Where(ctx, key), out);
}

// j[key] into *out when present, for an enum with a Parse function.
template <typename E, typename ParseFn>
Status GetEnum(const Json& j, std::string_view key, std::string_view ctx, ParseFn parse, E* out) {
  std::string name;
  bool present = j.is_object() && j.contains(key);
  MLPIPE_RETURN_IF_ERROR(Get(j, key, ctx, &name));
  if (!present) return Status::OK();
  auto e = parse(name);
  if (!e.ok()) return e.status().WithContext(Where(ctx, key));
  *out = *e;
  return Status::OK();
}

Result<EventDirection> ParseDirection(std::string_view s) {
  if (s == "input") return EventDirection::kInput;
  if (s == "output") return EventDirection::kOutput;
  return InvalidArgumentError("unknown event direction '" + std::string(s) +
                              "'; valid: input, output");
}

}  // namespace

// ---- tracking ---------------------------------------------------------------

Json ToJson(const Experiment& v) {
  return {{"id", v.id}, {"name", v.name}, {"created_us", v.created_us}};
}
Status FromJson(const Json& j, std::string_view ctx, Experiment* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "id", ctx, &out->id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "name", ctx, &out->name));
  return Get(j, "created_us", ctx, &out->created_us);
}

Json ToJson(const RunOrigin& v) {
  return {{"name", v.name},
          {"seed", v.seed},
          {"mlpipe_version", v.mlpipe_version},
          {"host", v.host},
          {"user", v.user},
          {"command", v.command},
          {"git_commit", v.git_commit},
          {"git_dirty", v.git_dirty},
          {"parent_run_id", v.parent_run_id}};
}
Status FromJson(const Json& j, std::string_view ctx, RunOrigin* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "name", ctx, &out->name));
  MLPIPE_RETURN_IF_ERROR(Get(j, "seed", ctx, &out->seed));
  MLPIPE_RETURN_IF_ERROR(Get(j, "mlpipe_version", ctx, &out->mlpipe_version));
  MLPIPE_RETURN_IF_ERROR(Get(j, "host", ctx, &out->host));
  MLPIPE_RETURN_IF_ERROR(Get(j, "user", ctx, &out->user));
  MLPIPE_RETURN_IF_ERROR(Get(j, "command", ctx, &out->command));
  MLPIPE_RETURN_IF_ERROR(Get(j, "git_commit", ctx, &out->git_commit));
  MLPIPE_RETURN_IF_ERROR(Get(j, "git_dirty", ctx, &out->git_dirty));
  return Get(j, "parent_run_id", ctx, &out->parent_run_id);
}

Json ToJson(const RunInfo& v) {
  return {{"run_id", v.run_id},         {"experiment_id", v.experiment_id},
          {"experiment", v.experiment}, {"status", std::string(RunStatusName(v.status))},
          {"start_us", v.start_us},     {"end_us", v.end_us},
          {"origin", ToJson(v.origin)}};
}
Status FromJson(const Json& j, std::string_view ctx, RunInfo* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "run_id", ctx, &out->run_id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "experiment_id", ctx, &out->experiment_id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "experiment", ctx, &out->experiment));
  MLPIPE_RETURN_IF_ERROR(GetEnum(j, "status", ctx, ParseRunStatus, &out->status));
  MLPIPE_RETURN_IF_ERROR(Get(j, "start_us", ctx, &out->start_us));
  MLPIPE_RETURN_IF_ERROR(Get(j, "end_us", ctx, &out->end_us));
  return FromJsonField(j, "origin", ctx, &out->origin);
}

Json ToJson(const Metric& v) {
  return {{"key", v.key},
          {"value", Number(v.value)},
          {"step", v.step},
          {"timestamp_us", v.timestamp_us}};
}
Status FromJson(const Json& j, std::string_view ctx, Metric* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "key", ctx, &out->key));
  MLPIPE_RETURN_IF_ERROR(Get(j, "value", ctx, &out->value));
  MLPIPE_RETURN_IF_ERROR(Get(j, "step", ctx, &out->step));
  return Get(j, "timestamp_us", ctx, &out->timestamp_us);
}

Json ToJson(const RunArtifact& v) {
  return {{"path", v.path}, {"object_hash", v.object_hash}, {"size", v.size}};
}
Status FromJson(const Json& j, std::string_view ctx, RunArtifact* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "path", ctx, &out->path));
  MLPIPE_RETURN_IF_ERROR(Get(j, "object_hash", ctx, &out->object_hash));
  return Get(j, "size", ctx, &out->size);
}

Json ToJson(const DatasetInput& v) {
  return {{"dataset", v.dataset},
          {"version", v.version},
          {"role", std::string(DatasetRoleName(v.role))}};
}
Status FromJson(const Json& j, std::string_view ctx, DatasetInput* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "dataset", ctx, &out->dataset));
  MLPIPE_RETURN_IF_ERROR(Get(j, "version", ctx, &out->version));
  return GetEnum(j, "role", ctx, ParseDatasetRole, &out->role);
}

Json ToJson(const Run& v) {
  Json metrics = Json::object();
  for (const auto& [k, m] : v.metrics) metrics[k] = ToJson(m);
  return {{"info", ToJson(v.info)},
          {"params", v.params},
          {"tags", v.tags},
          {"metrics", std::move(metrics)},
          {"artifacts", ToJsonArray(v.artifacts)},
          {"inputs", ToJsonArray(v.inputs)}};
}
Status FromJson(const Json& j, std::string_view ctx, Run* out) {
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "info", ctx, &out->info));
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "params", ctx, &out->params));
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "tags", ctx, &out->tags));
  if (auto it = j.find("metrics"); it != j.end()) {
    std::string where = Where(ctx, "metrics");
    if (!it->is_object()) return WrongType(where, "an object", *it);
    out->metrics.clear();
    for (const auto& [k, m] : it->items()) {
      MLPIPE_RETURN_IF_ERROR(FromJson(m, Where(where, k), &out->metrics[k]));
    }
  }
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "artifacts", ctx, &out->artifacts));
  return FromJsonField(j, "inputs", ctx, &out->inputs);
}

Json ToJson(const RunPage& v) { return {{"runs", ToJsonArray(v.runs)}, {"total", v.total}}; }
Status FromJson(const Json& j, std::string_view ctx, RunPage* out) {
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "runs", ctx, &out->runs));
  return Get(j, "total", ctx, &out->total);
}

// ---- data versions ----------------------------------------------------------

Json ToJson(const DatasetVersion& v) {
  return {{"name", v.name},
          {"version", v.version},
          {"hash", v.hash},
          {"size", v.size},
          {"rows", v.rows},
          {"schema_json", v.schema_json},
          {"profile_json", v.profile_json},
          {"source_path", v.source_path},
          {"created_us", v.created_us},
          {"created_by", v.created_by}};
}
Status FromJson(const Json& j, std::string_view ctx, DatasetVersion* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "name", ctx, &out->name));
  MLPIPE_RETURN_IF_ERROR(Get(j, "version", ctx, &out->version));
  MLPIPE_RETURN_IF_ERROR(Get(j, "hash", ctx, &out->hash));
  MLPIPE_RETURN_IF_ERROR(Get(j, "size", ctx, &out->size));
  MLPIPE_RETURN_IF_ERROR(Get(j, "rows", ctx, &out->rows));
  MLPIPE_RETURN_IF_ERROR(Get(j, "schema_json", ctx, &out->schema_json));
  MLPIPE_RETURN_IF_ERROR(Get(j, "profile_json", ctx, &out->profile_json));
  MLPIPE_RETURN_IF_ERROR(Get(j, "source_path", ctx, &out->source_path));
  MLPIPE_RETURN_IF_ERROR(Get(j, "created_us", ctx, &out->created_us));
  return Get(j, "created_by", ctx, &out->created_by);
}

// ---- lineage ----------------------------------------------------------------

Json ToJson(const ArtifactNode& v) {
  return {{"id", v.id}, {"kind", v.kind}, {"name", v.name}, {"hash", v.hash}};
}
Status FromJson(const Json& j, std::string_view ctx, ArtifactNode* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "id", ctx, &out->id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "kind", ctx, &out->kind));
  MLPIPE_RETURN_IF_ERROR(Get(j, "name", ctx, &out->name));
  return Get(j, "hash", ctx, &out->hash);
}

Json ToJson(const Execution& v) {
  return {{"id", v.id},
          {"type", v.type},
          {"run_id", v.run_id},
          {"properties_json", v.properties_json},
          {"start_us", v.start_us},
          {"end_us", v.end_us}};
}
Status FromJson(const Json& j, std::string_view ctx, Execution* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "id", ctx, &out->id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "type", ctx, &out->type));
  MLPIPE_RETURN_IF_ERROR(Get(j, "run_id", ctx, &out->run_id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "properties_json", ctx, &out->properties_json));
  MLPIPE_RETURN_IF_ERROR(Get(j, "start_us", ctx, &out->start_us));
  return Get(j, "end_us", ctx, &out->end_us);
}

Json ToJson(const LineageEdge& v) {
  return {{"execution_id", v.execution_id},
          {"artifact_id", v.artifact_id},
          {"direction", v.direction == EventDirection::kInput ? "input" : "output"},
          {"role", v.role}};
}
Status FromJson(const Json& j, std::string_view ctx, LineageEdge* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "execution_id", ctx, &out->execution_id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "artifact_id", ctx, &out->artifact_id));
  MLPIPE_RETURN_IF_ERROR(GetEnum(j, "direction", ctx, ParseDirection, &out->direction));
  return Get(j, "role", ctx, &out->role);
}

Json ToJson(const LineageGraph& v) {
  return {{"artifacts", ToJsonArray(v.artifacts)},
          {"executions", ToJsonArray(v.executions)},
          {"edges", ToJsonArray(v.edges)}};
}
Status FromJson(const Json& j, std::string_view ctx, LineageGraph* out) {
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "artifacts", ctx, &out->artifacts));
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "executions", ctx, &out->executions));
  return FromJsonField(j, "edges", ctx, &out->edges);
}

// ---- registry ---------------------------------------------------------------

Json ToJson(const RegisteredModel& v) {
  return {{"name", v.name},
          {"description", v.description},
          {"created_us", v.created_us},
          {"aliases", v.aliases}};
}
Status FromJson(const Json& j, std::string_view ctx, RegisteredModel* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "name", ctx, &out->name));
  MLPIPE_RETURN_IF_ERROR(Get(j, "description", ctx, &out->description));
  MLPIPE_RETURN_IF_ERROR(Get(j, "created_us", ctx, &out->created_us));
  if (auto it = j.find("aliases"); it != j.end()) {
    std::string where = Where(ctx, "aliases");
    if (!it->is_object()) return WrongType(where, "an object", *it);
    out->aliases.clear();
    for (const auto& [k, v] : it->items()) {
      MLPIPE_RETURN_IF_ERROR(Scalar(v, Where(where, k), &out->aliases[k]));
    }
  }
  return Status::OK();
}

Json ToJson(const ModelVersion& v) {
  return {{"model", v.model},
          {"version", v.version},
          {"bundle_hash", v.bundle_hash},
          {"run_id", v.run_id},
          {"metrics_json", v.metrics_json},
          {"status", std::string(ModelVersionStatusName(v.status))},
          {"description", v.description},
          {"tags", v.tags},
          {"created_us", v.created_us}};
}
Status FromJson(const Json& j, std::string_view ctx, ModelVersion* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "model", ctx, &out->model));
  MLPIPE_RETURN_IF_ERROR(Get(j, "version", ctx, &out->version));
  MLPIPE_RETURN_IF_ERROR(Get(j, "bundle_hash", ctx, &out->bundle_hash));
  MLPIPE_RETURN_IF_ERROR(Get(j, "run_id", ctx, &out->run_id));
  MLPIPE_RETURN_IF_ERROR(Get(j, "metrics_json", ctx, &out->metrics_json));
  MLPIPE_RETURN_IF_ERROR(GetEnum(j, "status", ctx, ParseModelVersionStatus, &out->status));
  MLPIPE_RETURN_IF_ERROR(Get(j, "description", ctx, &out->description));
  MLPIPE_RETURN_IF_ERROR(FromJsonField(j, "tags", ctx, &out->tags));
  return Get(j, "created_us", ctx, &out->created_us);
}

Json ToJson(const AliasMove& v) {
  return {{"model", v.model},           {"alias", v.alias}, {"from_version", v.from_version},
          {"to_version", v.to_version}, {"actor", v.actor}, {"time_us", v.time_us},
          {"reason", v.reason}};
}
Status FromJson(const Json& j, std::string_view ctx, AliasMove* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "model", ctx, &out->model));
  MLPIPE_RETURN_IF_ERROR(Get(j, "alias", ctx, &out->alias));
  MLPIPE_RETURN_IF_ERROR(Get(j, "from_version", ctx, &out->from_version));
  MLPIPE_RETURN_IF_ERROR(Get(j, "to_version", ctx, &out->to_version));
  MLPIPE_RETURN_IF_ERROR(Get(j, "actor", ctx, &out->actor));
  MLPIPE_RETURN_IF_ERROR(Get(j, "time_us", ctx, &out->time_us));
  return Get(j, "reason", ctx, &out->reason);
}

// ---- audit --------------------------------------------------------------------

Json ToJson(const AuditEntry& v) {
  return {{"seq", v.seq},
          {"time_us", v.time_us},
          {"actor", v.actor},
          {"action", v.action},
          {"subject", v.subject},
          {"details_json", v.details_json},
          {"prev_hash", v.prev_hash},
          {"hash", v.hash}};
}
Status FromJson(const Json& j, std::string_view ctx, AuditEntry* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "seq", ctx, &out->seq));
  MLPIPE_RETURN_IF_ERROR(Get(j, "time_us", ctx, &out->time_us));
  MLPIPE_RETURN_IF_ERROR(Get(j, "actor", ctx, &out->actor));
  MLPIPE_RETURN_IF_ERROR(Get(j, "action", ctx, &out->action));
  MLPIPE_RETURN_IF_ERROR(Get(j, "subject", ctx, &out->subject));
  MLPIPE_RETURN_IF_ERROR(Get(j, "details_json", ctx, &out->details_json));
  MLPIPE_RETURN_IF_ERROR(Get(j, "prev_hash", ctx, &out->prev_hash));
  return Get(j, "hash", ctx, &out->hash);
}

Json ToJson(const AuditVerdict& v) {
  return {{"ok", v.ok},
          {"entries", v.entries},
          {"first_bad_seq", v.first_bad_seq},
          {"problem", v.problem}};
}
Status FromJson(const Json& j, std::string_view ctx, AuditVerdict* out) {
  MLPIPE_RETURN_IF_ERROR(Get(j, "ok", ctx, &out->ok));
  MLPIPE_RETURN_IF_ERROR(Get(j, "entries", ctx, &out->entries));
  MLPIPE_RETURN_IF_ERROR(Get(j, "first_bad_seq", ctx, &out->first_bad_seq));
  return Get(j, "problem", ctx, &out->problem);
}

Status FromJson(const Json& j, std::string_view ctx, std::string* out) {
  return Scalar(j, ctx, out);
}

Status FromJson(const Json& j, std::string_view ctx, std::map<std::string, std::string>* out) {
  if (!j.is_object()) return WrongType(ctx, "an object", j);
  out->clear();
  for (const auto& [k, v] : j.items()) {
    MLPIPE_RETURN_IF_ERROR(Scalar(v, Where(ctx, k), &(*out)[k]));
  }
  return Status::OK();
}

// ---- encoding -----------------------------------------------------------------

Result<std::string> DumpJson(const Json& j) {
  try {
    return j.dump();
  } catch (const Json::exception& e) {
    return InvalidArgumentError(std::string("cannot encode as JSON: ") + e.what());
  }
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<std::string> PercentDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    int hi = i + 2 < s.size() ? hex(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError("malformed percent-escape at position " + std::to_string(i) +
                                  " of '" + std::string(s) + "'");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Result<std::multimap<std::string, std::string>> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> out;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view part = query.substr(pos, amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      MLPIPE_ASSIGN_OR_RETURN(std::string key, PercentDecode(part.substr(0, eq)));
      std::string value;
      if (eq != std::string_view::npos) {
        MLPIPE_ASSIGN_OR_RETURN(value, PercentDecode(part.substr(eq + 1)));
      }
      out.emplace(std::move(key), std::move(value));
    }
    pos = amp + 1;
  }
  return out;
}

Json ErrorJson(std::string_view code, std::string_view message) {
  return {{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}};
}

StatusCode StatusCodeFromName(std::string_view name) {
  for (int c = 0; c <= static_cast<int>(StatusCode::kInternal); ++c) {
    if (StatusCodeName(static_cast<StatusCode>(c)) == name) return static_cast<StatusCode>(c);
  }
  return StatusCode::kInternal;
}

}  // namespace mlpipe::store
