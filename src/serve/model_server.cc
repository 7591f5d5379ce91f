// ModelServer: loads the models, wires the routes onto an HttpServer and runs
// the registry poller of hot reload (model_server.h).
#include "mlpipe/serve/model_server.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "mlpipe/core/log.h"
#include "mlpipe/serve/http_server.h"
#include "model_routes.h"

namespace mlpipe::serve {

Status ModelServerOptions::Validate() const {
  if (models.empty()) return InvalidArgumentError("--model: give at least one model to serve");
  if (!(reload_interval_s >= 0) || reload_interval_s > 86400) {
    return InvalidArgumentError(
        fmt::format("--reload-interval {}: expected 0 (off) to 86400 seconds", reload_interval_s));
  }
  HttpServerOptions h;
  h.host = host;
  h.port = port;
  h.threads = threads;
  h.body_limit = body_limit;
  h.idle_timeout_s = idle_timeout_s;
  h.body_timeout_s = body_timeout_s;
  h.max_connections = max_connections;
  return h.Validate();
}

struct ModelServer::Impl {
  ModelServerOptions options;
  std::unique_ptr<BundleLoader> loader;
  ServeMetrics metrics;
  std::unique_ptr<FeedbackLog> feedback;
  ModelRoutes routes;
  std::unique_ptr<HttpServer> http;

  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread poller;

  // One pass of hot reload: every registry model whose ref resolves to
  // another version than the one served is loaded, verified and swapped in.
  void PollOnce() {
    for (const auto& model : routes.models) {
      if (!loader->IsRegistryRef(model->ref())) continue;
      auto cur = model->Current();
      if (!cur) continue;  // unloaded by management: stays so until loaded
      auto version = loader->ResolveVersion(model->ref());
      if (!version.ok()) {
        core::LogWarning("model {}: cannot resolve {}: {}", model->name(), model->ref(),
                         version.status().message());
        metrics.LoadFailed(model->name());
        continue;
      }
      if (*version == cur->version) continue;
      auto loaded = loader->Load(model->ref());
      if (!loaded.ok()) {
        core::LogWarning(
            "model {}: {} now names version {}, which failed to load; version {} "
            "keeps serving: {}",
            model->name(), model->ref(), *version, cur->version, loaded.status().message());
        metrics.LoadFailed(model->name());
        continue;
      }
      (*loaded)->name = model->name();
      const std::string v = (*loaded)->version;
      const double seconds = (*loaded)->load_seconds;
      const int64_t generation = model->Swap(*loaded);
      metrics.ModelLoaded(model->name(), v, seconds, generation);
      core::LogInfo("model {}: {} moved from version {} to {}; swapped (generation {})",
                    model->name(), model->ref(), cur->version, v, generation);
    }
  }

  void PollLoop() {
    const auto period = std::chrono::duration<double>(options.reload_interval_s);
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, period, [this] { return stopping; })) {
      lock.unlock();
      PollOnce();
      lock.lock();
    }
  }

  void StopPoller() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    cv.notify_all();
    if (poller.joinable()) poller.join();
  }
};

ModelServer::ModelServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ModelServer::~ModelServer() { Stop(); }

Result<std::unique_ptr<ModelServer>> ModelServer::Start(const ModelServerOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  core::Env* env = options.env ? options.env : core::Env::Default();
  impl->loader = std::make_unique<BundleLoader>(env, options.project);
  impl->feedback = std::make_unique<FeedbackLog>(options.feedback_dir);
  ModelRoutes& routes = impl->routes;
  routes.loader = impl->loader.get();
  routes.metrics = &impl->metrics;
  routes.feedback = impl->feedback.get();
  routes.env = env;
  routes.token = options.token;
  bool any_registry = false;
  for (const std::string& ref : options.models) {
    auto loaded = impl->loader->Load(ref);
    if (!loaded.ok()) return loaded.status().WithContext("--model " + ref);
    const std::string name = (*loaded)->name;
    if (routes.Find(name)) {
      return InvalidArgumentError(
          fmt::format("--model {}: a model named '{}' is already served (from {})", ref, name,
                      routes.Find(name)->ref()));
    }
    any_registry |= impl->loader->IsRegistryRef(ref);
    auto served = std::make_unique<ServedModel>(name, ref);
    const int64_t generation = served->Swap(*loaded);
    impl->metrics.ModelLoaded(name, (*loaded)->version, (*loaded)->load_seconds, generation);
    routes.models.push_back(std::move(served));
  }
  HttpServerOptions h;
  h.host = options.host;
  h.port = options.port;
  h.threads = options.threads;
  h.body_limit = options.body_limit;
  h.idle_timeout_s = options.idle_timeout_s;
  h.body_timeout_s = options.body_timeout_s;
  h.max_connections = options.max_connections;
  Impl* raw = impl.get();
  h.check_headers = [raw](const HttpRequest& req) { return raw->routes.CheckHeaders(req); };
  h.metrics_extra = [raw] { return raw->metrics.ToPrometheus(); };
  MLPIPE_ASSIGN_OR_RETURN(impl->http, HttpServer::Start(h, [raw](const HttpRequest& req) {
                            return raw->routes.Handle(req);
                          }));
  if (any_registry && options.reload_interval_s > 0) {
    impl->poller = std::thread([raw] { raw->PollLoop(); });
  }
  return std::unique_ptr<ModelServer>(new ModelServer(std::move(impl)));
}

int ModelServer::port() const { return impl_->http->port(); }

std::string ModelServer::url() const {
  return fmt::format("http://{}:{}", impl_->http->host(), impl_->http->port());
}

std::vector<ServedModelInfo> ModelServer::Models() const {
  std::vector<ServedModelInfo> out;
  for (const auto& m : impl_->routes.models) {
    auto cur = m->Current();
    out.push_back({m->name(), cur ? cur->version : "", m->ref(), cur ? cur->source : ""});
  }
  return out;
}

void ModelServer::Stop() {
  impl_->StopPoller();
  if (impl_->http) impl_->http->Stop();
}

void ModelServer::WaitForSignal(const std::function<void()>& on_waiting) {
  impl_->http->WaitForSignal(on_waiting);
  impl_->StopPoller();
}

Status RunModelServer(const ModelServerOptions& options,
                      const std::function<void(const ModelServer&)>& on_ready) {
  MLPIPE_ASSIGN_OR_RETURN(std::unique_ptr<ModelServer> server, ModelServer::Start(options));
  server->WaitForSignal([&] {
    if (on_ready) on_ready(*server);
  });
  server->Stop();
  return Status::OK();
}

}  // namespace mlpipe::serve
