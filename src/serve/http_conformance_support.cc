// The "http" backend of the store conformance suite (conformance_fixture.h):
// each test gets a tracking server on a free 127.0.0.1 port over a fresh
// SQLite store in its own temporary folder, and talks to it through
// HttpMetadataStore (`OpenMetadataStore("http://…")`).
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "conformance_fixture.h"
#include "mlpipe/serve/tracking_api.h"

namespace mlpipe::store {
namespace {

constexpr const char* kToken = "conformance-token";

std::mutex mu;
std::map<std::string, std::unique_ptr<serve::TrackingServer>>& Servers() {
  static auto* servers = new std::map<std::string, std::unique_ptr<serve::TrackingServer>>();
  return *servers;
}

}  // namespace

Result<std::string> OpenHttpTestStore(std::string* cleanup, std::string* raw_uri) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-http-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return IoError("mkdtemp " + tmpl);
  *cleanup = tmpl;
  *raw_uri = tmpl + "/meta.db";
  serve::TrackingServerOptions o;
  o.port = 0;
  o.threads = 4;
  o.store_uri = *raw_uri;
  o.objects_dir = tmpl + "/objects";
  o.token = kToken;
  MLPIPE_ASSIGN_OR_RETURN(auto server, serve::TrackingServer::Start(o));
  setenv("MLPIPE_API_TOKEN", kToken, 1);
  std::string url = server->url();
  std::lock_guard<std::mutex> lock(mu);
  Servers()[tmpl] = std::move(server);
  return url;
}

void DropHttpTestStore(const std::string& cleanup) {
  std::unique_ptr<serve::TrackingServer> server;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = Servers().find(cleanup);
    if (it != Servers().end()) {
      server = std::move(it->second);
      Servers().erase(it);
    }
  }
  server.reset();  // stops it
  std::error_code ec;
  std::filesystem::remove_all(cleanup, ec);
}

}  // namespace mlpipe::store
