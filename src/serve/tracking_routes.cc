// The tracking API's route table and handlers: each decodes its path
// arguments, query and JSON body (store_json.h), calls the store and encodes
// the result. Errors from the store pass through unchanged (code and
// message), so a remote client sees exactly what a local one would.
#include "tracking_routes.h"

#include <charconv>
#include <map>
#include <string>
#include <string_view>

#include "mlpipe/core/sha256.h"
#include "mlpipe/store/store_json.h"

namespace mlpipe::serve {
namespace {

using core::Json;
using store::FromJson;
using store::ToJson;
using store::ToJsonArray;

struct Ctx {
  store::MetadataStore& meta;
  store::ObjectStore& objects;
  ObjectUploads& uploads;
  const HttpRequest& req;
  std::vector<std::string> args;  // the {x} segments, decoded
  std::multimap<std::string, std::string> query;
  Json body;  // parsed for POST/PUT with a JSON body
};

// ---- decoding helpers ------------------------------------------------------

Result<int64_t> ParseInt(std::string_view text, std::string_view what) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty()) {
    return InvalidArgumentError(std::string(what) + ": expected an integer, found '" +
                                std::string(text) + "'");
  }
  return v;
}

std::string Q(const Ctx& c, const std::string& key) {
  auto it = c.query.find(key);
  return it == c.query.end() ? "" : it->second;
}

// The query parameter as an integer; nullopt when absent or empty.
Result<std::optional<int64_t>> QInt(const Ctx& c, const std::string& key) {
  std::string v = Q(c, key);
  if (v.empty()) return std::optional<int64_t>();
  MLPIPE_ASSIGN_OR_RETURN(int64_t i, ParseInt(v, "query parameter " + key));
  return std::optional<int64_t>(i);
}

// body[key] into *out; absent is an error when `required`.
template <typename T>
Status Field(const Ctx& c, std::string_view key, T* out, bool required = false) {
  if (required && !c.body.contains(key)) {
    return InvalidArgumentError("request body: missing required key '" + std::string(key) + "'");
  }
  return store::FromJsonField(c.body, key, "request body", out);
}
Status Field(const Ctx& c, std::string_view key, int64_t* out, bool required = false) {
  auto it = c.body.find(key);
  if (it == c.body.end()) {
    return required ? InvalidArgumentError("request body: missing required key '" +
                                           std::string(key) + "'")
                    : Status::OK();
  }
  if (!it->is_number_integer()) {
    return InvalidArgumentError("request body." + std::string(key) +
                                ": expected an integer, found " + it->type_name());
  }
  *out = it->get<int64_t>();
  return Status::OK();
}

HttpResponse Ok(const Json& j) { return JsonResponse(j); }
HttpResponse Empty() { return JsonResponse(Json::object()); }

// ---- tracking ----------------------------------------------------------------

Result<HttpResponse> Health(Ctx&) { return Ok({{"status", "ok"}}); }

Result<HttpResponse> CreateExperiment(Ctx& c) {
  std::string name;
  MLPIPE_RETURN_IF_ERROR(Field(c, "name", &name, true));
  MLPIPE_ASSIGN_OR_RETURN(auto e, c.meta.GetOrCreateExperiment(name));
  return Ok(ToJson(e));
}

Result<HttpResponse> ListExperiments(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.ListExperiments());
  return Ok({{"experiments", ToJsonArray(v)}});
}

Result<HttpResponse> CreateRun(Ctx& c) {
  std::string experiment, actor;
  store::RunOrigin origin;
  MLPIPE_RETURN_IF_ERROR(Field(c, "experiment", &experiment, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "origin", &origin));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  MLPIPE_ASSIGN_OR_RETURN(auto r, c.meta.CreateRun(experiment, origin, actor));
  return Ok(ToJson(r));
}

Result<HttpResponse> SearchRuns(Ctx& c) {
  store::RunQuery q;
  q.experiment = Q(c, "experiment");
  q.filter = Q(c, "filter");
  auto [lo, hi] = c.query.equal_range("order_by");
  for (auto it = lo; it != hi; ++it) q.order_by.push_back(it->second);
  MLPIPE_ASSIGN_OR_RETURN(auto limit, QInt(c, "limit"));
  MLPIPE_ASSIGN_OR_RETURN(auto offset, QInt(c, "offset"));
  if (limit) q.limit = *limit;
  if (offset) q.offset = *offset;
  MLPIPE_ASSIGN_OR_RETURN(auto page, c.meta.SearchRuns(q));
  return Ok(ToJson(page));
}

Result<HttpResponse> GetRun(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto r, c.meta.GetRun(c.args[0]));
  return Ok(ToJson(r));
}

Result<HttpResponse> EndRun(Ctx& c) {
  std::string status_name, actor;
  MLPIPE_RETURN_IF_ERROR(Field(c, "status", &status_name, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  MLPIPE_ASSIGN_OR_RETURN(auto status, store::ParseRunStatus(status_name));
  MLPIPE_RETURN_IF_ERROR(c.meta.EndRun(c.args[0], status, actor));
  return Empty();
}

Result<HttpResponse> LogParams(Ctx& c) {
  std::map<std::string, std::string> params;
  MLPIPE_RETURN_IF_ERROR(Field(c, "params", &params, true));
  MLPIPE_RETURN_IF_ERROR(c.meta.LogParams(c.args[0], params));
  return Empty();
}

Result<HttpResponse> LogMetrics(Ctx& c) {
  std::vector<store::Metric> metrics;
  MLPIPE_RETURN_IF_ERROR(Field(c, "metrics", &metrics, true));
  MLPIPE_RETURN_IF_ERROR(c.meta.LogMetrics(c.args[0], metrics));
  return Empty();
}

Result<HttpResponse> SetTags(Ctx& c) {
  std::map<std::string, std::string> tags;
  MLPIPE_RETURN_IF_ERROR(Field(c, "tags", &tags, true));
  MLPIPE_RETURN_IF_ERROR(c.meta.SetTags(c.args[0], tags));
  return Empty();
}

Result<HttpResponse> LogArtifact(Ctx& c) {
  store::RunArtifact a;
  MLPIPE_RETURN_IF_ERROR(FromJson(c.body, "request body", &a));
  MLPIPE_RETURN_IF_ERROR(c.meta.LogArtifact(c.args[0], a));
  return Empty();
}

Result<HttpResponse> LogInput(Ctx& c) {
  store::DatasetInput in;
  MLPIPE_RETURN_IF_ERROR(FromJson(c.body, "request body", &in));
  MLPIPE_RETURN_IF_ERROR(c.meta.LogInput(c.args[0], in));
  return Empty();
}

Result<HttpResponse> MetricHistory(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto h, c.meta.GetMetricHistory(c.args[0], Q(c, "key")));
  return Ok({{"metrics", ToJsonArray(h)}});
}

// ---- data versions -------------------------------------------------------------

Result<HttpResponse> AddDataset(Ctx& c) {
  store::DatasetVersion v;
  std::string actor;
  MLPIPE_RETURN_IF_ERROR(Field(c, "version", &v, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  bool existed = false;
  MLPIPE_ASSIGN_OR_RETURN(auto got, c.meta.AddDatasetVersion(v, &existed, actor));
  return Ok({{"version", ToJson(got)}, {"existed", existed}});
}

Result<HttpResponse> ListDatasets(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto names, c.meta.ListDatasets());
  return Ok({{"datasets", names}});
}

Result<HttpResponse> ListDatasetVersions(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.ListDatasetVersions(c.args[0]));
  return Ok({{"versions", ToJsonArray(v)}});
}

Result<HttpResponse> GetDatasetVersion(Ctx& c) {
  std::optional<int64_t> version;
  if (c.args[1] != "latest") {
    MLPIPE_ASSIGN_OR_RETURN(version, ParseInt(c.args[1], "dataset version"));
  }
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.GetDatasetVersion(c.args[0], version));
  return Ok(ToJson(v));
}

// ---- lineage ---------------------------------------------------------------------

Result<HttpResponse> PutArtifact(Ctx& c) {
  std::string kind, name, hash;
  MLPIPE_RETURN_IF_ERROR(Field(c, "kind", &kind, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "name", &name, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "hash", &hash));
  MLPIPE_ASSIGN_OR_RETURN(auto a, c.meta.PutArtifact(kind, name, hash));
  return Ok(ToJson(a));
}

Result<HttpResponse> RecordExecution(Ctx& c) {
  store::Execution e;
  std::vector<store::LineageEdge> edges;
  MLPIPE_RETURN_IF_ERROR(Field(c, "execution", &e, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "edges", &edges));
  MLPIPE_ASSIGN_OR_RETURN(int64_t id, c.meta.RecordExecution(e, edges));
  return Ok({{"id", id}});
}

Result<HttpResponse> Lineage(Ctx& c) {
  std::string down = Q(c, "downstream");
  if (down != "" && down != "true" && down != "false") {
    return InvalidArgumentError("query parameter downstream: expected true or false, found '" +
                                down + "'");
  }
  MLPIPE_ASSIGN_OR_RETURN(auto g, c.meta.Lineage(Q(c, "kind"), Q(c, "name"), down == "true"));
  return Ok(ToJson(g));
}

// ---- registry --------------------------------------------------------------------

Result<HttpResponse> CreateModel(Ctx& c) {
  std::string name, description;
  MLPIPE_RETURN_IF_ERROR(Field(c, "name", &name, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "description", &description));
  MLPIPE_ASSIGN_OR_RETURN(auto m, c.meta.GetOrCreateModel(name, description));
  return Ok(ToJson(m));
}

Result<HttpResponse> ListModels(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.ListModels());
  return Ok({{"models", ToJsonArray(v)}});
}

Result<HttpResponse> CreateModelVersion(Ctx& c) {
  store::ModelVersion v;
  std::string actor;
  MLPIPE_RETURN_IF_ERROR(Field(c, "version", &v, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  v.model = c.args[0];  // the path names the model
  MLPIPE_ASSIGN_OR_RETURN(auto got, c.meta.CreateModelVersion(v, actor));
  return Ok(ToJson(got));
}

Result<HttpResponse> ListModelVersions(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.ListModelVersions(c.args[0]));
  return Ok({{"versions", ToJsonArray(v)}});
}

Result<HttpResponse> GetModelVersion(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(int64_t version, ParseInt(c.args[1], "model version"));
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.GetModelVersion(c.args[0], version));
  return Ok(ToJson(v));
}

Result<HttpResponse> SetModelVersionStatus(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(int64_t version, ParseInt(c.args[1], "model version"));
  std::string status_name, actor, reason;
  MLPIPE_RETURN_IF_ERROR(Field(c, "status", &status_name, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  MLPIPE_RETURN_IF_ERROR(Field(c, "reason", &reason));
  MLPIPE_ASSIGN_OR_RETURN(auto status, store::ParseModelVersionStatus(status_name));
  MLPIPE_RETURN_IF_ERROR(c.meta.SetModelVersionStatus(c.args[0], version, status, actor, reason));
  return Empty();
}

Result<HttpResponse> ResolveModel(Ctx& c) {
  store::VersionRef ref;
  ref.name = c.args[0];
  MLPIPE_ASSIGN_OR_RETURN(ref.version, QInt(c, "version"));
  ref.alias = Q(c, "alias");
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.ResolveModel(ref));
  return Ok(ToJson(v));
}

Result<HttpResponse> MoveAlias(Ctx& c) {
  int64_t version = 0;
  std::string actor, reason;
  MLPIPE_RETURN_IF_ERROR(Field(c, "version", &version, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  MLPIPE_RETURN_IF_ERROR(Field(c, "reason", &reason));
  MLPIPE_RETURN_IF_ERROR(c.meta.MoveAlias(c.args[0], c.args[1], version, actor, reason));
  return Empty();
}

Result<HttpResponse> AliasHistory(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto at, QInt(c, "at_us"));
  MLPIPE_ASSIGN_OR_RETURN(auto moves, c.meta.AliasHistory(c.args[0], at));
  return Ok({{"moves", ToJsonArray(moves)}});
}

// ---- audit and objects -----------------------------------------------------------

Result<HttpResponse> AppendAudit(Ctx& c) {
  std::string actor, action, subject, details;
  MLPIPE_RETURN_IF_ERROR(Field(c, "actor", &actor));
  MLPIPE_RETURN_IF_ERROR(Field(c, "action", &action, true));
  MLPIPE_RETURN_IF_ERROR(Field(c, "subject", &subject));
  MLPIPE_RETURN_IF_ERROR(Field(c, "details_json", &details));
  MLPIPE_ASSIGN_OR_RETURN(auto e, c.meta.AppendAudit(actor, action, subject, details));
  return Ok(ToJson(e));
}

Result<HttpResponse> ReadAudit(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto since, QInt(c, "since_us"));
  MLPIPE_ASSIGN_OR_RETURN(auto entries, c.meta.ReadAudit(since, Q(c, "subject")));
  return Ok({{"entries", ToJsonArray(entries)}});
}

Result<HttpResponse> VerifyAudit(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto v, c.meta.VerifyAudit());
  return Ok(ToJson(v));
}

Result<HttpResponse> ReferencedObjects(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto refs, c.meta.ReferencedObjects());
  return Ok({{"hashes", std::vector<std::string>(refs.begin(), refs.end())}});
}

Result<HttpResponse> PutObject(Ctx& c) {
  const std::string& hash = c.args[0];
  if (!store::IsSha256Hex(hash)) {
    return InvalidArgumentError("object '" + hash + "': expected 64 lowercase hex characters");
  }
  std::string actual = core::Sha256Hex(c.req.body);
  if (actual != hash) {
    return InvalidArgumentError("object " + hash + ": the body's SHA-256 is " + actual +
                                "; nothing stored");
  }
  MLPIPE_ASSIGN_OR_RETURN(auto put, c.objects.PutBytes(c.req.body));
  return Ok({{"hash", put.hash}, {"size", put.size}, {"existed", put.existed}});
}

// The whole object, verified; with ?offset=&length= that range of it (not
// verified: the reader of the pieces checks the whole).
Result<HttpResponse> GetObject(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto offset, QInt(c, "offset"));
  MLPIPE_ASSIGN_OR_RETURN(auto length, QInt(c, "length"));
  std::string bytes;
  if (offset || length) {
    if (!offset || !length || *offset < 0 || *length < 0) {
      return InvalidArgumentError(
          "a range needs both offset and length, neither negative (e.g. ?offset=0&length=1024)");
    }
    MLPIPE_ASSIGN_OR_RETURN(bytes, c.objects.ReadRange(c.args[0], static_cast<uint64_t>(*offset),
                                                       static_cast<uint64_t>(*length)));
  } else {
    MLPIPE_ASSIGN_OR_RETURN(bytes, c.objects.Get(c.args[0]));
  }
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.body = std::move(bytes);
  return r;
}

Result<HttpResponse> ObjectSize(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(uint64_t size, c.objects.Size(c.args[0]));
  return Ok({{"hash", c.args[0]}, {"size", size}});
}

Result<HttpResponse> BeginUpload(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(std::string id, c.uploads.Begin());
  return Ok({{"upload", id}});
}

Result<HttpResponse> AppendUpload(Ctx& c) {
  MLPIPE_ASSIGN_OR_RETURN(auto offset, QInt(c, "offset"));
  if (!offset || *offset < 0) {
    return InvalidArgumentError("a part needs ?offset=N: the bytes of the upload before it");
  }
  MLPIPE_RETURN_IF_ERROR(c.uploads.Append(c.args[0], static_cast<uint64_t>(*offset), c.req.body));
  return Ok({{"upload", c.args[0]}, {"size", static_cast<uint64_t>(*offset) + c.req.body.size()}});
}

Result<HttpResponse> CommitUpload(Ctx& c) {
  std::string hash;
  MLPIPE_RETURN_IF_ERROR(Field(c, "hash", &hash, true));
  MLPIPE_ASSIGN_OR_RETURN(auto put, c.uploads.Commit(c.args[0], hash));
  return Ok({{"hash", put.hash}, {"size", put.size}, {"existed", put.existed}});
}

// ---- the table ---------------------------------------------------------------------

using Handler = Result<HttpResponse> (*)(Ctx&);

struct Route {
  RouteInfo info;
  Handler fn;
};

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {{"GET", "health", "readiness: {\"status\": \"ok\"}"}, Health},
      {{"POST", "experiments", "get or create an experiment {name}"}, CreateExperiment},
      {{"GET", "experiments", "list experiments"}, ListExperiments},
      {{"POST", "runs", "create a run {experiment, origin, actor}"}, CreateRun},
      {{"GET", "runs",
        "search runs ?experiment=&filter=&order_by=...&limit=&offset= (the runs search language)"},
       SearchRuns},
      {{"GET", "runs/{run_id}", "a run with params, tags, latest metrics, artifacts, inputs"},
       GetRun},
      {{"POST", "runs/{run_id}/end", "end a run {status, actor}"}, EndRun},
      {{"POST", "runs/{run_id}/params", "log params {params: {k: v}}"}, LogParams},
      {{"POST", "runs/{run_id}/metrics", "log a batch of metrics {metrics: [...]}"}, LogMetrics},
      {{"POST", "runs/{run_id}/tags", "set tags {tags: {k: v}}"}, SetTags},
      {{"POST", "runs/{run_id}/artifacts", "record an artifact {path, object_hash, size}"},
       LogArtifact},
      {{"POST", "runs/{run_id}/inputs", "record a dataset input {dataset, version, role}"},
       LogInput},
      {{"GET", "runs/{run_id}/metric-history", "every value of ?key="}, MetricHistory},
      {{"POST", "datasets", "add a data version {version: {...}, actor} -> {version, existed}"},
       AddDataset},
      {{"GET", "datasets", "list dataset names"}, ListDatasets},
      {{"GET", "datasets/{name}/versions", "list a dataset's versions"}, ListDatasetVersions},
      {{"GET", "datasets/{name}/versions/{version}", "one version (a number or 'latest')"},
       GetDatasetVersion},
      {{"POST", "lineage/artifacts", "put a lineage artifact {kind, name, hash}"}, PutArtifact},
      {{"POST", "lineage/executions", "record an execution {execution, edges} -> {id}"},
       RecordExecution},
      {{"GET", "lineage", "walk ?kind=&name=&downstream=true|false"}, Lineage},
      {{"POST", "models", "get or create a registered model {name, description}"}, CreateModel},
      {{"GET", "models", "list registered models with their aliases"}, ListModels},
      {{"POST", "models/{model}/versions", "register a version {version: {...}, actor}"},
       CreateModelVersion},
      {{"GET", "models/{model}/versions", "list a model's versions"}, ListModelVersions},
      {{"GET", "models/{model}/versions/{version}", "one model version"}, GetModelVersion},
      {{"POST", "models/{model}/versions/{version}/status",
        "set a version's status {status, actor, reason}"},
       SetModelVersionStatus},
      {{"GET", "models/{model}/resolve", "resolve ?version= or ?alias= (neither: latest)"},
       ResolveModel},
      {{"POST", "models/{model}/aliases/{alias}",
        "move an alias {version (0 removes), actor, reason}"},
       MoveAlias},
      {{"GET", "models/{model}/alias-history", "alias moves [?at_us=]"}, AliasHistory},
      {{"POST", "audit", "append an audit entry {actor, action, subject, details_json}"},
       AppendAudit},
      {{"GET", "audit", "read the audit log [?since_us=&subject=]"}, ReadAudit},
      {{"GET", "audit/verify", "verify the audit hash chain"}, VerifyAudit},
      {{"GET", "referenced-objects", "every object hash a record refers to"}, ReferencedObjects},
      {{"PUT", "objects/{sha256}", "store bytes (the body must hash to {sha256})"}, PutObject},
      {{"GET", "objects/{sha256}", "the bytes of an object [?offset=&length=: a range]"},
       GetObject},
      {{"GET", "objects/{sha256}/size", "an object's size {hash, size}"}, ObjectSize},
      {{"POST", "uploads", "begin an object upload in parts {} -> {upload}"}, BeginUpload},
      {{"PUT", "uploads/{upload}", "the next part ?offset= (bytes so far)"}, AppendUpload},
      {{"POST", "uploads/{upload}/commit", "end an upload {hash}: stored if the bytes match"},
       CommitUpload},
  };
  return kRoutes;
}

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  for (;;) {
    size_t slash = s.find('/', pos);
    out.push_back(s.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
    if (slash == std::string_view::npos) return out;
    pos = slash + 1;
  }
}

// True when `segments` fit `pattern`; the {x} segments go to *args (decoded).
Result<bool> Match(const std::vector<std::string_view>& segments, std::string_view pattern,
                   std::vector<std::string>* args) {
  std::vector<std::string_view> parts = Split(pattern);
  if (parts.size() != segments.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].front() != '{' && parts[i] != segments[i]) return false;
  }
  args->clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].front() != '{') continue;
    MLPIPE_ASSIGN_OR_RETURN(std::string a, store::PercentDecode(segments[i]));
    args->push_back(std::move(a));
  }
  return true;
}

constexpr std::string_view kPrefix = "/api/v1/";

Result<HttpResponse> Dispatch(store::MetadataStore& meta, store::ObjectStore& objects,
                              ObjectUploads& uploads, const HttpRequest& req) {
  std::string_view path = req.path;
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return ErrorResponse(404, "not_found",
                         "no route " + req.method + " " + req.path + "; the API is under /api/v1/");
  }
  std::vector<std::string_view> segments = Split(path.substr(kPrefix.size()));
  Ctx c{meta, objects, uploads, req, {}, {}, Json()};
  const Route* found = nullptr;
  std::string allowed;
  for (const Route& r : Routes()) {
    std::vector<std::string> args;
    MLPIPE_ASSIGN_OR_RETURN(bool m, Match(segments, r.info.pattern, &args));
    if (!m) continue;
    if (req.method != r.info.method) {
      if (!allowed.empty()) allowed += ", ";
      allowed += r.info.method;
      continue;
    }
    found = &r;
    c.args = std::move(args);
    break;
  }
  if (found == nullptr && !allowed.empty()) {
    HttpResponse r = ErrorResponse(405, "method_not_allowed",
                                   req.method + " " + req.path + ": allowed: " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  if (found == nullptr) {
    return ErrorResponse(404, "not_found",
                         "no route " + req.method + " " + req.path + " (see docs/tracking.md)");
  }
  MLPIPE_ASSIGN_OR_RETURN(c.query, store::ParseQuery(req.query));
  if (found->info.method == std::string_view("POST")) {
    MLPIPE_ASSIGN_OR_RETURN(c.body, core::ParseJson(req.body, "request body"));
    if (!c.body.is_object()) {
      return InvalidArgumentError(std::string("request body: expected a JSON object, found ") +
                                  c.body.type_name());
    }
  }
  return found->fn(c);
}

}  // namespace

std::vector<RouteInfo> TrackingRoutes() {
  std::vector<RouteInfo> out;
  for (const Route& r : Routes()) out.push_back(r.info);
  return out;
}

HttpResponse DispatchTrackingRequest(store::MetadataStore& meta, store::ObjectStore& objects,
                                     ObjectUploads& uploads, const HttpRequest& req) {
  Result<HttpResponse> r = Dispatch(meta, objects, uploads, req);
  if (!r.ok()) return ErrorResponse(r.status());
  return std::move(r).value();
}

}  // namespace mlpipe::serve
