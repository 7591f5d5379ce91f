// The "http" backend of the store conformance suite (conformance_fixture.h,
// library mlpipe_store_conformance), the one backend of serve_tests:
// each test gets a tracking server on a free 127.0.0.1 port over a fresh
// SQLite store in its own temporary folder, and talks to it through
// HttpMetadataStore (`OpenMetadataStore("http://…")`).
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conformance_fixture.h"
#include "mlpipe/serve/tracking_api.h"
#include "mlpipe/store/api_token.h"

namespace mlpipe::store {
namespace {

constexpr const char* kToken = "conformance-token";

std::mutex mu;
std::map<std::string, std::unique_ptr<serve::TrackingServer>>& Servers() {
  static auto* servers = new std::map<std::string, std::unique_ptr<serve::TrackingServer>>();
  return *servers;
}

Result<TestStore> OpenHttpTestStore() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "mlpipe-http-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return IoError("mkdtemp " + tmpl);
  TestStore t;
  t.cleanup = tmpl;
  t.uri = tmpl + "/meta.db";
  serve::TrackingServerOptions o;
  o.port = 0;
  o.threads = 4;
  o.store_uri = t.uri;
  o.objects_dir = tmpl + "/objects";
  o.token = kToken;
  MLPIPE_ASSIGN_OR_RETURN(auto server, serve::TrackingServer::Start(o));
  setenv(store::kApiTokenVariable, kToken, 1);
  t.open_uri = server->url();
  std::lock_guard<std::mutex> lock(mu);
  Servers()[tmpl] = std::move(server);
  return t;
}

void DropHttpTestStore(const TestStore& t) {
  std::unique_ptr<serve::TrackingServer> server;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = Servers().find(t.cleanup);
    if (it != Servers().end()) {
      server = std::move(it->second);
      Servers().erase(it);
    }
  }
  server.reset();  // stops it
  std::error_code ec;
  std::filesystem::remove_all(t.cleanup, ec);
}

}  // namespace

// serve_tests runs the suite on the tracking server alone.
std::vector<ConformanceBackend> ConformanceBackends() {
  return {{"http", OpenHttpTestStore, DropHttpTestStore}};
}

}  // namespace mlpipe::store
