// The model server (`mlpipe serve --model REF ...`, docs/serve.md): hosts one
// or more model bundles on an HttpServer and answers
//   - the Open Inference Protocol v2 REST API (health, server and model
//     metadata, readiness, infer) under /v2,
//   - KServe v1 named features: POST /v1/models/{name}:predict (with
//     "explain": true, per-feature contributions),
//   - MLflow's scoring format: POST /invocations (the first model),
//   - ground-truth feedback: POST /v1/models/{name}/feedback, appended to
//     DIR/feedback.jsonl (fsync'd) when a feedback folder is set,
//   - model repository management (bearer token): /v2/repository/...,
//   - GET /metrics: Prometheus text (HttpServer's counts, then the model
//     server's; serve_metrics.h).
// Every scoring reply carries X-Request-Id (the client's, or a new one).
//
// Hot reload: a model started from MODEL@ALIAS (or MODEL@VERSION) is
// re-resolved every reload_interval_s; when it names another version, that
// bundle is loaded and verified (checksums, golden rows) off the request
// path and swapped in atomically. Requests in flight finish on the bundle
// they started with; a bundle that fails to load leaves the old one serving
// and is counted (mlpipe_model_load_failures_total) and logged.
//
// Thread safety: Start/Stop/WaitForSignal from one thread; requests are
// handled concurrently on the io threads.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/project.h"

namespace mlpipe::serve {

struct ModelServerOptions {
  std::vector<std::string> models;      // REFs: bundle files or MODEL@VERSION|ALIAS; >= 1
  std::string host = "127.0.0.1";       // address to bind
  int port = 8080;                      // 0: any free port
  int threads = 4;                      // io threads (scoring runs on them)
  size_t body_limit = size_t{1} << 20;  // bytes; a larger request body gets 413
  int idle_timeout_s = 10;              // see HttpServerOptions
  int body_timeout_s = 60;              // see HttpServerOptions
  size_t max_connections = 64;          // see HttpServerOptions
  std::string token;                    // management routes' bearer token; "" refuses them all
  std::string feedback_dir;             // where feedback.jsonl is appended; "" refuses feedback
  double reload_interval_s = 5;         // registry poll period; 0 turns hot reload off
  // Where registry refs resolve; nullopt when every REF is a file.
  std::optional<store::ProjectLocation> project;
  core::Env* env = nullptr;  // files; core::Env::Default() when null

  // InvalidArgument naming the option at fault.
  Status Validate() const;
};

// What a hosted model serves now (for the CLI's start-up line and tests).
struct ServedModelInfo {
  std::string name;
  std::string version;
  std::string ref;
  std::string source;
};

class ModelServer {
 public:
  // Loads every model (each verified; the first failure is returned naming
  // its REF), binds and starts serving. Two REFs with the same model name
  // are InvalidArgument.
  static Result<std::unique_ptr<ModelServer>> Start(const ModelServerOptions& options);
  ~ModelServer();

  int port() const;
  std::string url() const;  // "http://HOST:PORT"
  std::vector<ServedModelInfo> Models() const;

  // See HttpServer::Stop and HttpServer::WaitForSignal.
  void Stop();
  void WaitForSignal(const std::function<void()>& on_waiting = nullptr);

 private:
  struct Impl;
  explicit ModelServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// For `mlpipe serve --model`: starts the server, calls `on_ready` once it is
// listening and catching SIGINT/SIGTERM, returns OK after one stopped it.
Status RunModelServer(const ModelServerOptions& options,
                      const std::function<void(const ModelServer&)>& on_ready);

}  // namespace mlpipe::serve
