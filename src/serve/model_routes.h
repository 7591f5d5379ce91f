// The model server's routes on an HttpServer (model_server.h lists them;
// docs/serve.md shows every request and reply). Private to the module.
//
// Errors are {"error": "message naming the field"} with the HTTP status of
// HttpStatusFor (400 bad input, 404 unknown model or version, 503 a model
// unloaded); every request is counted in ServeMetrics with its route label.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "feedback_log.h"
#include "mlpipe/core/env.h"
#include "mlpipe/serve/http_server.h"
#include "serve_metrics.h"
#include "served_model.h"

namespace mlpipe::serve {

struct ModelRoutes {
  std::vector<std::unique_ptr<ServedModel>> models;  // in the order of --model
  BundleLoader* loader = nullptr;
  ServeMetrics* metrics = nullptr;
  FeedbackLog* feedback = nullptr;
  core::Env* env = nullptr;
  std::string token;  // management bearer token; "" refuses management

  ServedModel* Find(const std::string& name) const;
  // Every request: routes it, counts it, adds X-Request-Id to scoring replies.
  HttpResponse Handle(const HttpRequest& req);
  // The header check: management routes need the bearer token (401 before the body is read).
  std::optional<HttpResponse> CheckHeaders(const HttpRequest& req) const;
};

// What a route handler hands back for the metrics.
struct RouteReply {
  HttpResponse response;
  std::string route;    // metrics label, e.g. "v2_infer"
  std::string model;    // "" when no known model
  std::string version;  // the version that answered, "" when none
};

// {"error": message} with `http_status`.
HttpResponse ModelError(int http_status, const std::string& message);
HttpResponse ModelError(const Status& status);

// Scoring routes (model_scoring.cc). `model` is known; `request_id` the reply's X-Request-Id.
RouteReply V2Infer(ModelRoutes& routes, ServedModel& model, const std::string& version,
                   const HttpRequest& req);
RouteReply V1Predict(ModelRoutes& routes, ServedModel& model, const HttpRequest& req);
RouteReply Invocations(ModelRoutes& routes, const HttpRequest& req);
RouteReply Feedback(ModelRoutes& routes, ServedModel& model, const HttpRequest& req);

}  // namespace mlpipe::serve
