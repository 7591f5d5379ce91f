// The wire format of the tracking HTTP API (docs/tracking.md, "HTTP API"):
// the store's records as JSON, percent-encoding of path segments and query
// values, and the error body. Shared by the server (serve/tracking_api) and
// the client (HttpMetadataStore, `--store http://…`), so both sides agree.
//
// JSON shapes use the struct's field names; enums travel as their stable
// names ("RUNNING", "train", "ready", "input"); doubles that are not finite
// travel as the strings "NaN", "Infinity" and "-Infinity". Decoding is
// lenient about absent keys (the field keeps its default) and strict about
// types: a present key of the wrong type is kInvalidArgument naming it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

using core::Json;

Json ToJson(const Experiment& v);
Json ToJson(const RunOrigin& v);
Json ToJson(const RunInfo& v);
Json ToJson(const Metric& v);
Json ToJson(const RunArtifact& v);
Json ToJson(const DatasetInput& v);
Json ToJson(const Run& v);
Json ToJson(const RunPage& v);
Json ToJson(const DatasetVersion& v);
Json ToJson(const ArtifactNode& v);
Json ToJson(const Execution& v);
Json ToJson(const LineageEdge& v);
Json ToJson(const LineageGraph& v);
Json ToJson(const RegisteredModel& v);
Json ToJson(const ModelVersion& v);
Json ToJson(const AliasMove& v);
Json ToJson(const AuditEntry& v);
Json ToJson(const AuditVerdict& v);

// Each decodes `j` into `*out`; `ctx` names where `j` is ("body.origin") in errors.
Status FromJson(const Json& j, std::string_view ctx, Experiment* out);
Status FromJson(const Json& j, std::string_view ctx, RunOrigin* out);
Status FromJson(const Json& j, std::string_view ctx, RunInfo* out);
Status FromJson(const Json& j, std::string_view ctx, Metric* out);
Status FromJson(const Json& j, std::string_view ctx, RunArtifact* out);
Status FromJson(const Json& j, std::string_view ctx, DatasetInput* out);
Status FromJson(const Json& j, std::string_view ctx, Run* out);
Status FromJson(const Json& j, std::string_view ctx, RunPage* out);
Status FromJson(const Json& j, std::string_view ctx, DatasetVersion* out);
Status FromJson(const Json& j, std::string_view ctx, ArtifactNode* out);
Status FromJson(const Json& j, std::string_view ctx, Execution* out);
Status FromJson(const Json& j, std::string_view ctx, LineageEdge* out);
Status FromJson(const Json& j, std::string_view ctx, LineageGraph* out);
Status FromJson(const Json& j, std::string_view ctx, RegisteredModel* out);
Status FromJson(const Json& j, std::string_view ctx, ModelVersion* out);
Status FromJson(const Json& j, std::string_view ctx, AliasMove* out);
Status FromJson(const Json& j, std::string_view ctx, AuditEntry* out);
Status FromJson(const Json& j, std::string_view ctx, AuditVerdict* out);
Status FromJson(const Json& j, std::string_view ctx, std::string* out);
Status FromJson(const Json& j, std::string_view ctx, std::map<std::string, std::string>* out);

// A JSON array of any of the above; errors name the element ("ctx[3].key").
template <typename T>
Status FromJson(const Json& j, std::string_view ctx, std::vector<T>* out) {
  if (!j.is_array()) {
    return InvalidArgumentError(std::string(ctx) + ": expected an array, found " + j.type_name());
  }
  out->clear();
  out->reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    std::string where(ctx);
    where.append("[").append(std::to_string(i)).append("]");
    T v;
    MLPIPE_RETURN_IF_ERROR(FromJson(j[i], where, &v));
    out->push_back(std::move(v));
  }
  return Status::OK();
}

template <typename T>
Json ToJsonArray(const std::vector<T>& v) {
  Json a = Json::array();
  for (const auto& x : v) a.push_back(ToJson(x));
  return a;
}

// `j[key]` decoded into `*out` when present (absent: `*out` is unchanged).
template <typename T>
Status FromJsonField(const Json& j, std::string_view key, std::string_view ctx, T* out) {
  if (!j.is_object()) return InvalidArgumentError(std::string(ctx) + ": expected an object");
  auto it = j.find(key);
  if (it == j.end()) return Status::OK();
  std::string where(ctx);
  where.append(".").append(key);
  return FromJson(*it, where, out);
}

// Serialises `j` compactly; strings that are not valid UTF-8 are kInvalidArgument.
Result<std::string> DumpJson(const Json& j);

// RFC 3986 percent-encoding of everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~), for path segments and query values.
std::string PercentEncode(std::string_view s);
// The inverse ('+' stays '+'); a malformed escape is kInvalidArgument.
Result<std::string> PercentDecode(std::string_view s);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}; a repeated key keeps every value in order.
Result<std::multimap<std::string, std::string>> ParseQuery(std::string_view query);

// The error body of the API: {"error": {"code": "not_found", "message": "..."}}.
Json ErrorJson(std::string_view code, std::string_view message);
// The StatusCode whose StatusCodeName is `name`; kInternal for an unknown name.
StatusCode StatusCodeFromName(std::string_view name);

}  // namespace mlpipe::store
