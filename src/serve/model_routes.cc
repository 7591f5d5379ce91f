// Dispatch of the model server's routes, the OIP v2 health and metadata
// routes and model repository management (model_routes.h).
#include "model_routes.h"

#include <atomic>
#include <chrono>
#include <random>

#include <fmt/format.h>

#include "mlpipe/core/log.h"
#include "mlpipe/core/message.h"
#include "model_request.h"

#ifndef MLPIPE_VERSION
#define MLPIPE_VERSION "unknown"
#endif

namespace mlpipe::serve {
namespace {

using core::Json;

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

// A request id a client may send: 1-128 of [A-Za-z0-9._:-].
bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

// 32 hex digits: a random per-process prefix and a counter (unique per process
// without a lock; unguessable enough to not collide across replicas).
std::string NewRequestId() {
  static const uint64_t prefix = [] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{:016x}{:016x}", prefix, counter.fetch_add(1) + 1);
}

std::string ModelList(const ModelRoutes& routes) {
  std::string out;
  for (const auto& m : routes.models)
    out += fmt::format("{}{}", out.empty() ? "" : ", ", m->name());
  return out;
}

RouteReply UnknownModel(const ModelRoutes& routes, const std::string& name, std::string route) {
  return {ModelError(404, fmt::format("unknown model '{}'; models: {}", core::ClipForMessage(name),
                                      ModelList(routes))),
          std::move(route), "", ""};
}

Json OutputsMetadata(const bundle::Predictor& p) {
  const auto& b = p.bundle();
  if (b.task == models::Task::kRegression) {
    return Json::array({{{"name", "value"}, {"datatype", "FP64"}, {"shape", {-1}}}});
  }
  Json params = Json::object();
  for (size_t c = 0; c < b.classes.size(); ++c) params["class_" + std::to_string(c)] = b.classes[c];
  return Json::array({{{"name", "label"}, {"datatype", "BYTES"}, {"shape", {-1}}},
                      {{"name", "probabilities"},
                       {"datatype", "FP64"},
                       {"shape", {-1, static_cast<int64_t>(b.classes.size())}},
                       {"parameters", params}}});
}

Json ModelMetadata(const LoadedModel& m) {
  Json inputs = Json::array();
  for (const auto& c : m.predictor->bundle().schema.columns) {
    Json in = {{"name", c.name}, {"datatype", V2Datatype(c.type)}, {"shape", {-1}}};
    in["parameters"] = {{"feature_type", std::string(table::DataTypeName(c.type))}};
    inputs.push_back(std::move(in));
  }
  const auto& b = m.predictor->bundle();
  return {{"name", m.name},
          {"versions", {m.version}},
          {"platform", "mlpipe"},
          {"inputs", inputs},
          {"outputs", OutputsMetadata(*m.predictor)},
          {"parameters",
           {{"task", std::string(models::TaskName(b.task))},
            {"family", b.family},
            {"bundle_sha256", m.sha256},
            {"generation", m.generation}}}};
}

// /v2/models/{name}[/versions/{v}][/ready|/infer]
RouteReply V2Model(ModelRoutes& routes, const HttpRequest& req,
                   const std::vector<std::string>& parts) {
  const std::string& name = parts[2];
  size_t i = 3;
  std::string version;
  if (parts.size() >= 5 && parts[3] == "versions") {
    version = parts[4];
    i = 5;
  }
  std::string action = i < parts.size() ? parts[i] : "";
  if (i + 1 < parts.size() || (i < parts.size() && action != "ready" && action != "infer")) {
    return {ModelError(404, "no route " + core::ClipForMessage(req.path)), "not_found", "", ""};
  }
  const std::string route = action.empty()      ? "v2_model_metadata"
                            : action == "infer" ? "v2_infer"
                                                : "v2_model_ready";
  ServedModel* model = routes.Find(name);
  if (!model) return UnknownModel(routes, name, route);
  auto current = model->Current();
  if (current && !version.empty() && version != current->version) {
    return {ModelError(404, fmt::format("model '{}' has no version '{}'; it serves version {}",
                                        name, core::ClipForMessage(version), current->version)),
            route, model->name(), ""};
  }
  if (action == "infer") {
    if (req.method != "POST") return {ModelError(405, "infer takes POST"), "v2_infer", name, ""};
    return V2Infer(routes, *model, version, req);
  }
  if (req.method != "GET") return {ModelError(405, "expected GET"), route, name, ""};
  if (!current) {
    if (action == "ready") {
      return {JsonResponse({{"name", name}, {"ready", false}}, 503), route, name, ""};
    }
    return {ModelError(503, "model '" + name + "' is unloaded"), route, name, ""};
  }
  if (action == "ready") {
    return {JsonResponse({{"name", name}, {"ready", true}}), route, name, current->version};
  }
  return {JsonResponse(ModelMetadata(*current)), route, name, current->version};
}

Json IndexEntry(const ServedModel& m) {
  auto cur = m.Current();
  return {{"name", m.name()},
          {"version", cur ? cur->version : ""},
          {"state", cur ? "READY" : "UNAVAILABLE"},
          {"reason", cur ? "" : "unloaded"}};
}

// /v2/repository/index and /v2/repository/models/{name}/load|unload.
RouteReply Repository(ModelRoutes& routes, const HttpRequest& req,
                      const std::vector<std::string>& parts) {
  if (parts.size() == 3 && parts[2] == "index") {
    if (req.method != "POST" && req.method != "GET") {
      return {ModelError(405, "index takes POST (or GET)"), "repository", "", ""};
    }
    Json list = Json::array();
    for (const auto& m : routes.models) list.push_back(IndexEntry(*m));
    return {JsonResponse(list), "repository", "", ""};
  }
  if (parts.size() != 5 || parts[2] != "models" || (parts[4] != "load" && parts[4] != "unload")) {
    return {ModelError(404, "no route " + core::ClipForMessage(req.path)), "not_found", "", ""};
  }
  if (req.method != "POST") return {ModelError(405, "expected POST"), "repository", "", ""};
  ServedModel* model = routes.Find(parts[3]);
  if (!model) return UnknownModel(routes, parts[3], "repository");
  if (parts[4] == "unload") {
    model->Swap(nullptr);
    routes.metrics->ModelUnloaded(model->name());
    core::LogInfo("model {} unloaded", model->name());
    return {JsonResponse(IndexEntry(*model)), "repository", model->name(), ""};
  }
  // Load: the REF read again (for an alias, the version it names now).
  auto loaded = routes.loader->Load(model->ref());
  if (!loaded.ok()) {
    routes.metrics->LoadFailed(model->name());
    core::LogWarning("model {}: load of {} failed: {}", model->name(), model->ref(),
                     loaded.status().message());
    return {ModelError(loaded.status()), "repository", model->name(), ""};
  }
  const double seconds = (*loaded)->load_seconds;
  const std::string version = (*loaded)->version;
  (*loaded)->name = model->name();
  const int64_t generation = model->Swap(*loaded);
  routes.metrics->ModelLoaded(model->name(), version, seconds, generation);
  core::LogInfo("model {} loaded version {} (generation {})", model->name(), version, generation);
  return {JsonResponse(IndexEntry(*model)), "repository", model->name(), version};
}

RouteReply Route(ModelRoutes& routes, const HttpRequest& req) {
  const std::vector<std::string> parts = Split(req.path);
  auto get_only = [&](const char* route, Json body, int status = 200) -> RouteReply {
    if (req.method != "GET") return {ModelError(405, "expected GET"), route, "", ""};
    return {JsonResponse(body, status), route, "", ""};
  };
  if (!parts.empty() && parts[0] == "v2") {
    if (parts.size() == 1) {
      return get_only(
          "v2_server",
          {{"name", "mlpipe"}, {"version", MLPIPE_VERSION}, {"extensions", {"model_repository"}}});
    }
    if (parts.size() == 3 && parts[1] == "health" && parts[2] == "live") {
      return get_only("v2_health", {{"live", true}});
    }
    if (parts.size() == 3 && parts[1] == "health" && parts[2] == "ready") {
      bool ready = true;
      for (const auto& m : routes.models) ready &= m->Current() != nullptr;
      return get_only("v2_health", {{"ready", ready}}, ready ? 200 : 503);
    }
    if (parts.size() >= 3 && parts[1] == "models") return V2Model(routes, req, parts);
    if (parts.size() >= 3 && parts[1] == "repository") return Repository(routes, req, parts);
  }
  if (parts.size() == 3 && parts[0] == "v1" && parts[1] == "models") {
    const std::string& last = parts[2];
    const size_t colon = last.rfind(':');
    if (colon != std::string::npos && last.substr(colon) == ":predict") {
      ServedModel* model = routes.Find(last.substr(0, colon));
      if (!model) return UnknownModel(routes, last.substr(0, colon), "v1_predict");
      if (req.method != "POST") return {ModelError(405, "expected POST"), "v1_predict", "", ""};
      return V1Predict(routes, *model, req);
    }
    ServedModel* model = routes.Find(last);
    if (!model) return UnknownModel(routes, last, "v1_model");
    auto cur = model->Current();
    return get_only("v1_model", {{"name", last}, {"ready", cur != nullptr}}, cur ? 200 : 503);
  }
  if (parts.size() == 4 && parts[0] == "v1" && parts[1] == "models" && parts[3] == "feedback") {
    ServedModel* model = routes.Find(parts[2]);
    if (!model) return UnknownModel(routes, parts[2], "feedback");
    if (req.method != "POST") return {ModelError(405, "expected POST"), "feedback", "", ""};
    return Feedback(routes, *model, req);
  }
  if (parts.size() == 1 && parts[0] == "invocations") {
    if (req.method != "POST") return {ModelError(405, "expected POST"), "invocations", "", ""};
    return Invocations(routes, req);
  }
  if (parts.size() == 1 && parts[0] == "ping") return get_only("ping", Json::object());
  return {ModelError(404, "no route " + core::ClipForMessage(req.path)), "not_found", "", ""};
}

bool IsScoringRoute(const std::string& route) {
  return route == "v2_infer" || route == "v1_predict" || route == "invocations" ||
         route == "feedback";
}

}  // namespace

HttpResponse ModelError(int http_status, const std::string& message) {
  HttpResponse r = JsonResponse(Json{{"error", message}}, http_status);
  return r;
}

HttpResponse ModelError(const Status& status) {
  return ModelError(HttpStatusFor(status.code()), status.message());
}

ServedModel* ModelRoutes::Find(const std::string& name) const {
  for (const auto& m : models) {
    if (m->name() == name) return m.get();
  }
  return nullptr;
}

std::optional<HttpResponse> ModelRoutes::CheckHeaders(const HttpRequest& req) const {
  if (req.path.rfind("/v2/repository", 0) != 0) return std::nullopt;
  if (token.empty()) {
    return ModelError(403,
                      "model management is off: the server was started without a token "
                      "(--token-file or $MLPIPE_API_TOKEN)");
  }
  const std::string& h = req.Header("authorization");
  std::string given;
  if (h.size() > 7 && (h.compare(0, 7, "Bearer ") == 0 || h.compare(0, 7, "bearer ") == 0)) {
    given = h.substr(7);
  }
  // Constant time in the token's content.
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < given.size() && i < token.size(); ++i) diff |= given[i] ^ token[i];
  if (given.empty() || diff != 0) {
    HttpResponse r = ModelError(401, given.empty() ? "authorization: a bearer token is required"
                                                   : "authorization: wrong token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  return std::nullopt;
}

HttpResponse ModelRoutes::Handle(const HttpRequest& req) {
  const auto t0 = std::chrono::steady_clock::now();
  metrics->InFlight(1);
  std::string request_id = req.Header("x-request-id");
  const bool client_id = !request_id.empty();
  RouteReply reply;
  if (client_id && !ValidRequestId(request_id)) {
    reply = {ModelError(400,
                        "header X-Request-Id: expected 1 to 128 characters of A-Z a-z 0-9 "
                        ". _ : -"),
             "bad_request", "", ""};
    request_id.clear();
  } else {
    if (!client_id) request_id = NewRequestId();
    try {
      reply = Route(*this, req);
    } catch (const std::exception& e) {
      reply = {ModelError(500, std::string("internal error: ") + e.what()), "error", "", ""};
    }
  }
  if (!request_id.empty() && IsScoringRoute(reply.route)) {
    reply.response.headers.emplace_back("X-Request-Id", request_id);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  metrics->Request(reply.model, reply.version, reply.route, reply.response.status, seconds);
  metrics->InFlight(-1);
  return std::move(reply.response);
}

}  // namespace mlpipe::serve
