// The scoring routes: OIP v2 infer, KServe v1 predict (with explanations),
// MLflow /invocations, and feedback (model_routes.h). Each takes the model's
// current bundle once, so a swap during the request does not affect it.
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/core/message.h"
#include "mlpipe/core/time.h"
#include "model_request.h"
#include "model_routes.h"

namespace mlpipe::serve {
namespace {

using core::Json;

bool IsRegression(const bundle::Predictor& p) {
  return p.bundle().task == models::Task::kRegression;
}

std::vector<std::string> OutputNames(const bundle::Predictor& p) {
  if (IsRegression(p)) return {"value"};
  return {"label", "probabilities"};
}

void CountPredictions(ModelRoutes& routes, const LoadedModel& m, const bundle::Scores& s) {
  const auto& classes = m.predictor->bundle().classes;
  if (s.labels.empty() || classes.empty()) return;
  std::vector<uint64_t> counts(classes.size());
  for (int32_t l : s.labels) {
    if (l >= 0 && static_cast<size_t>(l) < counts.size()) ++counts[l];
  }
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c]) routes.metrics->Predictions(m.name, classes[c], counts[c]);
  }
}

// A model's bundle, or the 503 reply for an unloaded one.
std::shared_ptr<const LoadedModel> CurrentOr503(ServedModel& model, const std::string& route,
                                                RouteReply& reply) {
  auto cur = model.Current();
  if (!cur) {
    reply = {ModelError(503, "model '" + model.name() + "' is unloaded"), route, model.name(), ""};
  }
  return cur;
}

// One row's prediction as a JSON object: label and probabilities {class: p}, or value.
Json RowPrediction(const bundle::Predictor& p, const bundle::Scores& s, size_t r) {
  const auto& classes = p.bundle().classes;
  Json out = Json::object();
  if (IsRegression(p)) {
    out["value"] = s.values[r];
    return out;
  }
  out["label"] = classes[s.labels[r]];
  Json probs = Json::object();
  for (size_t c = 0; c < s.num_classes; ++c) {
    probs[classes[c]] = s.probabilities[r * s.num_classes + c];
  }
  out["probabilities"] = std::move(probs);
  return out;
}

// An explanation: one entry per model output (binary: the positive class's
// margin; multiclass: each class's; regression: the value), each with its
// bias and the contribution of every model feature.
Json ExplanationJson(const bundle::Predictor& p, const models::Explanation& e) {
  const auto& b = p.bundle();
  Json list = Json::array();
  for (size_t o = 0; o < e.num_outputs; ++o) {
    std::string output = "value";
    if (b.task == models::Task::kBinary) output = b.classes.size() > 1 ? b.classes[1] : "";
    if (b.task == models::Task::kMulticlass && o < b.classes.size()) output = b.classes[o];
    Json contrib = Json::object();
    for (size_t f = 0; f < e.num_features; ++f) {
      contrib[e.feature_names[f]] = e.contributions[o * e.num_features + f];
    }
    list.push_back({{"output", output}, {"bias", e.bias[o]}, {"contributions", contrib}});
  }
  return list;
}

std::string ContentType(const HttpRequest& req) {
  std::string ct = req.Header("content-type");
  for (char& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ct;
}

}  // namespace

RouteReply V2Infer(ModelRoutes& routes, ServedModel& model, const std::string& version,
                   const HttpRequest& req) {
  RouteReply reply;
  auto m = CurrentOr503(model, "v2_infer", reply);
  if (!m) return reply;
  reply.route = "v2_infer";
  reply.model = model.name();
  reply.version = m->version;
  if (!version.empty() && version != m->version) {
    reply.response =
        ModelError(404, fmt::format("model '{}' has no version '{}'; it serves {}", model.name(),
                                    core::ClipForMessage(version), m->version));
    return reply;
  }
  const bundle::Predictor& p = *m->predictor;
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) return reply.response = ModelError(body.status()), reply;
  auto parsed = ParseV2Infer(p.bundle().schema, *body, OutputNames(p));
  if (!parsed.ok()) return reply.response = ModelError(parsed.status()), reply;
  auto scores = p.Predict(parsed->rows);
  if (!scores.ok()) return reply.response = ModelError(scores.status()), reply;
  const bundle::Scores& s = *scores;
  CountPredictions(routes, *m, s);
  auto wanted = [&](const char* name) {
    if (parsed->outputs.empty()) return true;
    for (const auto& o : parsed->outputs) {
      if (o == name) return true;
    }
    return false;
  };
  const auto n = static_cast<int64_t>(s.rows);
  Json outputs = Json::array();
  if (IsRegression(p)) {
    if (wanted("value")) {
      outputs.push_back(
          {{"name", "value"}, {"datatype", "FP64"}, {"shape", {n}}, {"data", s.values}});
    }
  } else {
    const auto& classes = p.bundle().classes;
    if (wanted("label")) {
      Json labels = Json::array();
      for (int32_t l : s.labels) labels.push_back(classes[l]);
      outputs.push_back(
          {{"name", "label"}, {"datatype", "BYTES"}, {"shape", {n}}, {"data", labels}});
    }
    if (wanted("probabilities")) {
      Json params = Json::object();
      for (size_t c = 0; c < classes.size(); ++c) {
        params["class_" + std::to_string(c)] = classes[c];
      }
      outputs.push_back({{"name", "probabilities"},
                         {"datatype", "FP64"},
                         {"shape", {n, static_cast<int64_t>(s.num_classes)}},
                         {"parameters", params},
                         {"data", s.probabilities}});
    }
  }
  Json out = {{"model_name", model.name()}, {"model_version", m->version}, {"outputs", outputs}};
  if (parsed->has_id) out["id"] = parsed->id;
  reply.response = JsonResponse(out);
  return reply;
}

RouteReply V1Predict(ModelRoutes& routes, ServedModel& model, const HttpRequest& req) {
  RouteReply reply;
  auto m = CurrentOr503(model, "v1_predict", reply);
  if (!m) return reply;
  reply = {HttpResponse{}, "v1_predict", model.name(), m->version};
  const bundle::Predictor& p = *m->predictor;
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) return reply.response = ModelError(body.status()), reply;
  if (!body->is_object())
    return reply.response = ModelError(400, "body: expected an object"), reply;
  bool explain = false;
  for (auto it = body->begin(); it != body->end(); ++it) {
    if (it.key() == "explain") {
      if (!it.value().is_boolean()) {
        return reply.response = ModelError(400, "explain: expected true or false"), reply;
      }
      explain = it.value().get<bool>();
    } else if (it.key() != "instances") {
      return reply.response =
                 ModelError(400, "body: unknown key '" + core::ClipForMessage(it.key()) +
                                     "'; expected instances (and explain)"),
             reply;
    }
  }
  if (!body->contains("instances")) {
    return reply.response = ModelError(400, "instances: missing; expected a list of objects"),
           reply;
  }
  auto rows = RowsFromRecords(p.bundle().schema, (*body)["instances"], "instances");
  if (!rows.ok()) return reply.response = ModelError(rows.status()), reply;
  auto scores = p.Predict(*rows);
  if (!scores.ok()) return reply.response = ModelError(scores.status()), reply;
  CountPredictions(routes, *m, *scores);
  Json predictions = Json::array();
  for (size_t r = 0; r < scores->rows; ++r) {
    Json one = RowPrediction(p, *scores, r);
    one["model_version"] = m->version;
    if (explain) {
      auto e = p.Explain(*rows, r);
      if (!e.ok()) return reply.response = ModelError(e.status()), reply;
      one["explanation"] = ExplanationJson(p, *e);
    }
    predictions.push_back(std::move(one));
  }
  reply.response = JsonResponse(
      {{"model_name", model.name()}, {"model_version", m->version}, {"predictions", predictions}});
  return reply;
}

RouteReply Invocations(ModelRoutes& routes, const HttpRequest& req) {
  RouteReply reply;
  ServedModel& model = *routes.models.front();
  auto m = CurrentOr503(model, "invocations", reply);
  if (!m) return reply;
  reply = {HttpResponse{}, "invocations", model.name(), m->version};
  const bundle::Predictor& p = *m->predictor;
  auto rows = RowsFromMlflowBody(p.bundle().schema, ContentType(req), req.body);
  if (!rows.ok()) return reply.response = ModelError(rows.status()), reply;
  auto scores = p.Predict(*rows);
  if (!scores.ok()) return reply.response = ModelError(scores.status()), reply;
  CountPredictions(routes, *m, *scores);
  Json predictions = Json::array();
  for (size_t r = 0; r < scores->rows; ++r) predictions.push_back(RowPrediction(p, *scores, r));
  reply.response = JsonResponse({{"predictions", predictions}});
  return reply;
}

RouteReply Feedback(ModelRoutes& routes, ServedModel& model, const HttpRequest& req) {
  RouteReply reply;
  auto m = CurrentOr503(model, "feedback", reply);
  if (!m) return reply;
  reply = {HttpResponse{}, "feedback", model.name(), m->version};
  const bundle::Predictor& p = *m->predictor;
  auto body = ParseJsonBody(req.body);
  if (!body.ok()) return reply.response = ModelError(body.status()), reply;
  Json items = body->is_array() ? *body : Json::array({*body});
  if (items.empty()) return reply.response = ModelError(400, "body: an empty list"), reply;
  if (items.size() > 100000) {
    return reply.response = ModelError(400, "body: more than 100000 feedback items"), reply;
  }
  const auto& classes = p.bundle().classes;
  const std::string now = core::FormatIsoTime(routes.env->NowMicros());
  std::vector<std::string> lines;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& it = items[i];
    const std::string where = body->is_array() ? fmt::format("[{}]", i) : std::string("body");
    auto bad = [&](const std::string& msg) {
      reply.response = ModelError(400, where + msg);
      return reply;
    };
    if (!it.is_object()) return bad(": expected an object {request_id, label}");
    for (auto kv = it.begin(); kv != it.end(); ++kv) {
      if (kv.key() != "request_id" && kv.key() != "label" && kv.key() != "row") {
        return bad(".'" + core::ClipForMessage(kv.key()) +
                   "': unknown key; expected request_id, label (and row)");
      }
    }
    if (!it.contains("request_id") || !it["request_id"].is_string()) {
      return bad(".request_id: expected the X-Request-Id of a prediction reply (a string)");
    }
    const std::string id = it["request_id"].get<std::string>();
    bool id_ok = !id.empty() && id.size() <= 128;
    for (char c : id) {
      id_ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
               c == '-';
    }
    if (!id_ok) return bad(".request_id: expected 1 to 128 characters of A-Z a-z 0-9 . _ : -");
    int64_t row = 0;
    if (it.contains("row")) {
      if (!it["row"].is_number_integer() || it["row"].get<int64_t>() < 0) {
        return bad(".row: expected a non-negative integer (the row of the request)");
      }
      row = it["row"].get<int64_t>();
    }
    if (!it.contains("label")) return bad(".label: missing");
    const Json& label = it["label"];
    Json stored;
    if (IsRegression(p)) {
      if (!label.is_number() || !std::isfinite(label.get<double>())) {
        return bad(".label: expected a finite number (the true value)");
      }
      stored = label;
    } else {
      std::string text = label.is_string()           ? label.get<std::string>()
                         : label.is_number_integer() ? label.dump()
                         : label.is_boolean()        ? label.dump()
                                                     : std::string();
      bool known = false;
      for (const auto& c : classes) known |= c == text;
      if (!known) {
        std::string list;
        for (const auto& c : classes) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
        return bad(".label: " + core::ClipForMessage(label.dump()) +
                   " is not a class of the model; classes: " + list);
      }
      stored = text;
    }
    lines.push_back(Json{
        {"time", now},
        {"model", model.name()},
        {"model_version", m->version},
        {"request_id", id},
        {"row", row},
        {"label",
         stored}}.dump());
  }
  Status s = routes.feedback->Append(lines);
  if (!s.ok()) return reply.response = ModelError(s), reply;
  reply.response = JsonResponse({{"stored", lines.size()}});
  return reply;
}

}  // namespace mlpipe::serve
