// The tracking server: options, the API token, authentication of writes and
// one store connection per io thread around the route table
// (tracking_routes.cc) on an HttpServer.
#include "mlpipe/serve/tracking_api.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/sha256.h"
#include "mlpipe/serve/http_server.h"
#include "mlpipe/store/api_token.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "tracking_routes.h"

namespace mlpipe::serve {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Compares the SHA-256 of both, byte by byte without an early exit: the time
// taken does not depend on how much of the token a guess got right.
bool SameDigest(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// The token in "Authorization: Bearer TOKEN"; "" when absent or malformed.
std::string BearerToken(const HttpRequest& req) {
  const std::string& h = req.Header("authorization");
  if (h.size() < 7) return "";
  std::string scheme = h.substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return "";
  return Trim(std::string_view(h).substr(7));
}

}  // namespace

Status TrackingServerOptions::Validate() const {
  if (store_uri.empty()) return InvalidArgumentError("store: no metadata store to serve");
  if (store_uri.rfind("http://", 0) == 0 || store_uri.rfind("https://", 0) == 0) {
    return InvalidArgumentError("store " + store_uri +
                                ": a tracking server serves a local SQLite or PostgreSQL store, "
                                "not another server");
  }
  if (objects_dir.empty()) return InvalidArgumentError("objects: no object store folder");
  if (token.empty() && !read_only) {
    return InvalidArgumentError(
        "no API token: pass --token-file FILE or set MLPIPE_API_TOKEN (writes need it), or "
        "serve with --read-only");
  }
  HttpServerOptions h;
  h.port = port;
  h.threads = threads;
  h.body_limit = body_limit;
  h.idle_timeout_s = idle_timeout_s;
  h.body_timeout_s = body_timeout_s;
  h.max_connections = max_connections;
  return h.Validate();
}

struct TrackingServer::Impl {
  TrackingServerOptions opts;
  std::string token_digest;                                   // SHA-256 of the token
  std::vector<std::unique_ptr<store::MetadataStore>> stores;  // one per io thread
  std::unique_ptr<store::ObjectStore> objects;
  std::unique_ptr<ObjectUploads> uploads;
  std::unique_ptr<HttpServer> server;

  std::vector<std::pair<std::string, std::string>> redactions;  // path -> label, longest first

  // The refusal of a write that is read-only or lacks the token, from its
  // headers alone; std::nullopt when it may proceed.
  std::optional<HttpResponse> CheckHeaders(const HttpRequest& req) const {
    const bool write = req.method != "GET" && req.method != "HEAD";
    if (write && opts.read_only) {
      return ErrorResponse(
          403, "read_only",
          "this tracking server is read-only; " + req.method + " " + req.path + " is refused");
    }
    if (write && !SameDigest(core::Sha256Hex(BearerToken(req)), token_digest)) {
      return ErrorResponse(401, "unauthenticated",
                           "a write needs the server's API token: send \"Authorization: Bearer "
                           "TOKEN\" (mlpipe sends $MLPIPE_API_TOKEN)");
    }
    return std::nullopt;
  }

  HttpResponse Handle(const HttpRequest& req) {
    if (std::optional<HttpResponse> refused = CheckHeaders(req)) return std::move(*refused);
    HttpResponse r = DispatchTrackingRequest(*stores[req.worker], *objects, *uploads, req);
    if (r.status >= 400) r.body = Redact(std::move(r.body));
    core::LogDebug("{} {} -> {}", req.method, req.target, r.status);
    return r;
  }

  // `text` with the server's folders replaced by their labels.
  std::string Redact(std::string text) const {
    for (const auto& [path, label] : redactions) {
      for (size_t at = text.find(path); at != std::string::npos; at = text.find(path, at)) {
        text.replace(at, path.size(), label);
        at += label.size();
      }
    }
    return text;
  }
};

// The server's folders as given and as absolute paths (errors may show
// either), longest first so that a folder inside another is replaced whole.
std::vector<std::pair<std::string, std::string>> Redactions(const TrackingServerOptions& o) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&out](const std::string& path, const std::string& label) {
    if (path.empty() || path == "/" || path == ".") return;
    out.emplace_back(path, label);
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(path, ec);
    if (!ec) out.emplace_back(abs.lexically_normal().string(), label);
    std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
    if (!ec) out.emplace_back(canonical.string(), label);
  };
  add(o.objects_dir, "<objects>");
  if (o.store_uri.find("://") == std::string::npos) {
    add(o.store_uri, "<store>");
    add(core::DirName(o.store_uri), "<store>");
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return out;
}

TrackingServer::TrackingServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TrackingServer::~TrackingServer() { Stop(); }

Result<std::unique_ptr<TrackingServer>> TrackingServer::Start(
    const TrackingServerOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  impl->opts = options;
  impl->token_digest = core::Sha256Hex(options.token);
  impl->redactions = Redactions(options);
  core::Env* env = options.env != nullptr ? options.env : core::Env::Default();
  for (int i = 0; i < options.threads; ++i) {
    auto s = store::OpenMetadataStore(options.store_uri, env);
    if (!s.ok()) return s.status().WithContext("store " + options.store_uri);
    impl->stores.push_back(std::move(s).value());
  }
  impl->objects = std::make_unique<store::ObjectStore>(env, options.objects_dir);
  impl->uploads = std::make_unique<ObjectUploads>(env, impl->objects.get());
  HttpServerOptions h;
  h.host = options.host;
  h.port = options.port;
  h.threads = options.threads;
  h.body_limit = options.body_limit;
  h.idle_timeout_s = options.idle_timeout_s;
  h.body_timeout_s = options.body_timeout_s;
  h.max_connections = options.max_connections;
  Impl* raw = impl.get();
  h.check_headers = [raw](const HttpRequest& req) {
    std::optional<HttpResponse> r = raw->CheckHeaders(req);
    if (r) core::LogWarning("{} {}: refused before reading its body", req.method, req.path);
    return r;
  };
  MLPIPE_ASSIGN_OR_RETURN(impl->server, HttpServer::Start(h, [raw](const HttpRequest& req) {
                            return raw->Handle(req);
                          }));
  return std::unique_ptr<TrackingServer>(new TrackingServer(std::move(impl)));
}

int TrackingServer::port() const { return impl_->server->port(); }

std::string TrackingServer::url() const {
  const std::string& host = impl_->opts.host;
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return "http://" + h + ":" + std::to_string(port());
}

void TrackingServer::Stop() {
  if (impl_->server) impl_->server->Stop();
}

void TrackingServer::WaitForSignal(const std::function<void()>& on_waiting) {
  impl_->server->WaitForSignal(on_waiting);
}

Result<std::string> LoadApiToken(const std::string& token_file) {
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return InvalidArgumentError("--token-file " + token_file + ": cannot be read");
    std::string line;
    std::getline(in, line);
    std::string token = Trim(line);
    if (token.empty()) {
      return InvalidArgumentError("--token-file " + token_file + ": the first line holds no token");
    }
    return token;
  }
  return store::ApiTokenFromEnvironment();
}

Status RunTrackingServer(const TrackingServerOptions& options,
                         const std::function<void(const TrackingServer&)>& on_ready) {
  MLPIPE_ASSIGN_OR_RETURN(auto server, TrackingServer::Start(options));
  server->WaitForSignal([&] {
    if (on_ready) on_ready(*server);
  });
  return Status::OK();
}

}  // namespace mlpipe::serve
