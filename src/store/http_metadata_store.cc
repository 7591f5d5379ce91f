// HttpMetadataStore: each MetadataStore method as one request to the tracking
// API (routes in docs/tracking.md), JSON through store_json.h, and error
// replies turned back into the Status the server's store returned.
#include "http_metadata_store.h"

#include <cstdlib>
#include <string_view>

#include "mlpipe/store/api_token.h"
#include "mlpipe/store/http_client.h"
#include "mlpipe/store/store_json.h"

namespace mlpipe::store {
namespace {

constexpr std::chrono::milliseconds kTimeout{120000};
constexpr std::string_view kApi = "/api/v1/";

std::string Path(std::initializer_list<std::string_view> segments) {
  std::string p(kApi);
  bool first = true;
  for (std::string_view s : segments) {
    if (!first) p.push_back('/');
    p += PercentEncode(s);
    first = false;
  }
  return p;
}

// `q` as "?k=v&..." (values encoded), "" when empty.
std::string Query(std::initializer_list<std::pair<std::string_view, std::string>> q) {
  std::string out;
  for (const auto& [k, v] : q) {
    out.push_back(out.empty() ? '?' : '&');
    out.append(k).append("=").append(PercentEncode(v));
  }
  return out;
}

class HttpMetadataStore : public MetadataStore {
 public:
  explicit HttpMetadataStore(std::unique_ptr<HttpClient> client) : client_(std::move(client)) {}

  // One request; the reply's JSON on 2xx, else the Status it carries.
  Result<Json> Call(std::string_view method, const std::string& target, const Json& body) {
    std::string text;
    if (!body.is_null()) {
      MLPIPE_ASSIGN_OR_RETURN(text, DumpJson(body));
    }
    MLPIPE_ASSIGN_OR_RETURN(HttpReply r, client_->Send(method, target, text));
    if (r.status < 200 || r.status >= 300) return StatusFromReply(r, method, target);
    if (r.body.empty()) return Json::object();
    try {
      return Json::parse(r.body);
    } catch (const Json::exception& e) {
      return InternalError("tracking server " + client_->url() + ": " + std::string(method) + " " +
                           target + ": reply is not JSON: " + e.what());
    }
  }
  Result<Json> Get(const std::string& target) { return Call("GET", target, Json()); }
  Result<Json> Post(const std::string& target, const Json& body) {
    return Call("POST", target, body);
  }

  template <typename T>
  Result<T> Decode(const Json& j, std::string_view ctx) {
    T v;
    MLPIPE_RETURN_IF_ERROR(FromJson(j, ctx, &v));
    return v;
  }
  // j[key] as T (an array or record in a wrapper object).
  template <typename T>
  Result<T> DecodeField(const Json& j, std::string_view key) {
    if (!j.is_object() || !j.contains(key)) {
      return InternalError("tracking server " + client_->url() + ": reply has no '" +
                           std::string(key) + "'");
    }
    return Decode<T>(j.at(std::string(key)), key);
  }

  // ---- tracking -------------------------------------------------------------

  Result<Experiment> GetOrCreateExperiment(const std::string& name) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Post(Path({"experiments"}), {{"name", name}}));
    return Decode<Experiment>(j, "experiment");
  }
  Result<std::vector<Experiment>> ListExperiments() override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"experiments"})));
    return DecodeField<std::vector<Experiment>>(j, "experiments");
  }
  Result<RunInfo> CreateRun(const std::string& experiment, const RunOrigin& origin,
                            const std::string& actor) override {
    MLPIPE_ASSIGN_OR_RETURN(
        Json j, Post(Path({"runs"}),
                     {{"experiment", experiment}, {"origin", ToJson(origin)}, {"actor", actor}}));
    return Decode<RunInfo>(j, "run");
  }
  Status EndRun(const std::string& run_id, RunStatus status, const std::string& actor) override {
    return Post(Path({"runs", run_id, "end"}),
                {{"status", std::string(RunStatusName(status))}, {"actor", actor}})
        .status();
  }
  Status LogParams(const std::string& run_id,
                   const std::map<std::string, std::string>& params) override {
    return Post(Path({"runs", run_id, "params"}), {{"params", params}}).status();
  }
  Status LogMetrics(const std::string& run_id, const std::vector<Metric>& metrics) override {
    return Post(Path({"runs", run_id, "metrics"}), {{"metrics", ToJsonArray(metrics)}}).status();
  }
  Status SetTags(const std::string& run_id,
                 const std::map<std::string, std::string>& tags) override {
    return Post(Path({"runs", run_id, "tags"}), {{"tags", tags}}).status();
  }
  Status LogArtifact(const std::string& run_id, const RunArtifact& artifact) override {
    return Post(Path({"runs", run_id, "artifacts"}), ToJson(artifact)).status();
  }
  Status LogInput(const std::string& run_id, const DatasetInput& input) override {
    return Post(Path({"runs", run_id, "inputs"}), ToJson(input)).status();
  }
  Result<Run> GetRun(const std::string& run_id) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"runs", run_id})));
    return Decode<Run>(j, "run");
  }
  Result<std::vector<Metric>> GetMetricHistory(const std::string& run_id,
                                               const std::string& key) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j,
                            Get(Path({"runs", run_id, "metric-history"}) + Query({{"key", key}})));
    return DecodeField<std::vector<Metric>>(j, "metrics");
  }
  Result<RunPage> SearchRuns(const RunQuery& query) override {
    std::string target = Path({"runs"}) + Query({{"experiment", query.experiment},
                                                 {"filter", query.filter},
                                                 {"limit", std::to_string(query.limit)},
                                                 {"offset", std::to_string(query.offset)}});
    for (const auto& o : query.order_by) target += "&order_by=" + PercentEncode(o);
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(target));
    return Decode<RunPage>(j, "page");
  }

  // ---- data versions ----------------------------------------------------------

  Result<DatasetVersion> AddDatasetVersion(const DatasetVersion& v, bool* existed,
                                           const std::string& actor) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j,
                            Post(Path({"datasets"}), {{"version", ToJson(v)}, {"actor", actor}}));
    if (existed != nullptr) {
      MLPIPE_ASSIGN_OR_RETURN(*existed, core::GetFieldOr<bool>(j, "existed", "reply", false));
    }
    return DecodeField<DatasetVersion>(j, "version");
  }
  Result<DatasetVersion> GetDatasetVersion(const std::string& name,
                                           std::optional<int64_t> version) override {
    std::string v = version ? std::to_string(*version) : "latest";
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"datasets", name, "versions", v})));
    return Decode<DatasetVersion>(j, "version");
  }
  Result<std::vector<DatasetVersion>> ListDatasetVersions(const std::string& name) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"datasets", name, "versions"})));
    return DecodeField<std::vector<DatasetVersion>>(j, "versions");
  }
  Result<std::vector<std::string>> ListDatasets() override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"datasets"})));
    return DecodeField<std::vector<std::string>>(j, "datasets");
  }

  // ---- lineage ------------------------------------------------------------------

  Result<ArtifactNode> PutArtifact(const std::string& kind, const std::string& name,
                                   const std::string& hash) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Post(Path({"lineage", "artifacts"}),
                                         {{"kind", kind}, {"name", name}, {"hash", hash}}));
    return Decode<ArtifactNode>(j, "artifact");
  }
  Result<int64_t> RecordExecution(const Execution& e,
                                  const std::vector<LineageEdge>& edges) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j,
                            Post(Path({"lineage", "executions"}),
                                 {{"execution", ToJson(e)}, {"edges", ToJsonArray(edges)}}));
    return core::GetField<int64_t>(j, "id", "reply");
  }
  Result<LineageGraph> Lineage(const std::string& kind, const std::string& name,
                               bool downstream) override {
    MLPIPE_ASSIGN_OR_RETURN(
        Json j, Get(Path({"lineage"}) + Query({{"kind", kind},
                                               {"name", name},
                                               {"downstream", downstream ? "true" : "false"}})));
    return Decode<LineageGraph>(j, "graph");
  }

  // ---- registry -------------------------------------------------------------------

  Result<RegisteredModel> GetOrCreateModel(const std::string& name,
                                           const std::string& description) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j,
                            Post(Path({"models"}), {{"name", name}, {"description", description}}));
    return Decode<RegisteredModel>(j, "model");
  }
  Result<std::vector<RegisteredModel>> ListModels() override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"models"})));
    return DecodeField<std::vector<RegisteredModel>>(j, "models");
  }
  Result<ModelVersion> CreateModelVersion(const ModelVersion& v,
                                          const std::string& actor) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Post(Path({"models", v.model, "versions"}),
                                         {{"version", ToJson(v)}, {"actor", actor}}));
    return Decode<ModelVersion>(j, "version");
  }
  Result<ModelVersion> GetModelVersion(const std::string& model, int64_t version) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j,
                            Get(Path({"models", model, "versions", std::to_string(version)})));
    return Decode<ModelVersion>(j, "version");
  }
  Result<std::vector<ModelVersion>> ListModelVersions(const std::string& model) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"models", model, "versions"})));
    return DecodeField<std::vector<ModelVersion>>(j, "versions");
  }
  Status SetModelVersionStatus(const std::string& model, int64_t version, ModelVersionStatus status,
                               const std::string& actor, const std::string& reason) override {
    return Post(Path({"models", model, "versions", std::to_string(version), "status"}),
                {{"status", std::string(ModelVersionStatusName(status))},
                 {"actor", actor},
                 {"reason", reason}})
        .status();
  }
  Result<ModelVersion> ResolveModel(const VersionRef& ref) override {
    std::string target = Path({"models", ref.name, "resolve"});
    if (ref.version) {
      target += Query({{"version", std::to_string(*ref.version)}, {"alias", ref.alias}});
    } else {
      target += Query({{"alias", ref.alias}});
    }
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(target));
    return Decode<ModelVersion>(j, "version");
  }
  Status MoveAlias(const std::string& model, const std::string& alias, int64_t version,
                   const std::string& actor, const std::string& reason) override {
    return Post(Path({"models", model, "aliases", alias}),
                {{"version", version}, {"actor", actor}, {"reason", reason}})
        .status();
  }
  Result<std::vector<AliasMove>> AliasHistory(const std::string& model,
                                              std::optional<int64_t> at_us) override {
    std::string target = Path({"models", model, "alias-history"});
    if (at_us) target += Query({{"at_us", std::to_string(*at_us)}});
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(target));
    return DecodeField<std::vector<AliasMove>>(j, "moves");
  }

  // ---- audit ------------------------------------------------------------------------

  Result<AuditEntry> AppendAudit(const std::string& actor, const std::string& action,
                                 const std::string& subject,
                                 const std::string& details_json) override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Post(Path({"audit"}), {{"actor", actor},
                                                           {"action", action},
                                                           {"subject", subject},
                                                           {"details_json", details_json}}));
    return Decode<AuditEntry>(j, "entry");
  }
  Result<std::vector<AuditEntry>> ReadAudit(std::optional<int64_t> since_us,
                                            const std::string& subject) override {
    std::string target = Path({"audit"});
    if (since_us) {
      target += Query({{"since_us", std::to_string(*since_us)}, {"subject", subject}});
    } else {
      target += Query({{"subject", subject}});
    }
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(target));
    return DecodeField<std::vector<AuditEntry>>(j, "entries");
  }
  Result<AuditVerdict> VerifyAudit() override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"audit", "verify"})));
    return Decode<AuditVerdict>(j, "verdict");
  }

  Result<std::set<std::string>> ReferencedObjects() override {
    MLPIPE_ASSIGN_OR_RETURN(Json j, Get(Path({"referenced-objects"})));
    MLPIPE_ASSIGN_OR_RETURN(auto v, DecodeField<std::vector<std::string>>(j, "hashes"));
    return std::set<std::string>(v.begin(), v.end());
  }

  HttpClient& client() { return *client_; }

 private:
  std::unique_ptr<HttpClient> client_;
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenHttpMetadataStore(const std::string& uri) {
  MLPIPE_ASSIGN_OR_RETURN(auto client,
                          HttpClient::Create(uri, ApiTokenFromEnvironment(), kTimeout));
  auto store = std::make_unique<HttpMetadataStore>(std::move(client));
  MLPIPE_RETURN_IF_ERROR(store->Get(Path({"health"})).status());
  return std::unique_ptr<MetadataStore>(std::move(store));
}

}  // namespace mlpipe::store
