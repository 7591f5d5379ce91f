// HTTP request handling on raw bytes: the server's request parser
// (ParseHttpRequest), then the tracking API's routing, query and body parsing
// against a scratch SQLite store and an in-memory object store. Malformed
// requests must be refused as bad input; no reply may be a 500 that comes
// from parsing ("unhandled exception").
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/serve/http_server.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "object_uploads.h"
#include "tracking_routes.h"

namespace {

struct World {
  std::unique_ptr<mlpipe::core::Env> env = mlpipe::core::NewMemEnv();
  std::unique_ptr<mlpipe::store::MetadataStore> meta;
  std::unique_ptr<mlpipe::store::ObjectStore> objects;
  std::unique_ptr<mlpipe::serve::ObjectUploads> uploads;

  World() {
    auto dir =
        std::filesystem::temp_directory_path() / ("mlpipe-fuzz-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto m = mlpipe::store::OpenMetadataStore((dir / "meta.db").string());
    if (!m.ok()) std::abort();
    meta = std::move(*m);
    objects = std::make_unique<mlpipe::store::ObjectStore>(env.get(), "/objects");
    uploads = std::make_unique<mlpipe::serve::ObjectUploads>(env.get(), objects.get());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();  // one store for the whole run
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto req = mlpipe::serve::ParseHttpRequest(raw, 1 << 20);
  if (!req.ok()) {
    auto code = req.status().code();
    if (code != mlpipe::StatusCode::kInvalidArgument && code != mlpipe::StatusCode::kOutOfRange)
      std::abort();
    return 0;
  }
  mlpipe::serve::HttpResponse r =
      mlpipe::serve::DispatchTrackingRequest(*world->meta, *world->objects, *world->uploads, *req);
  if (r.status < 200 || r.status > 599) std::abort();
  if (r.status == 500 && r.body.find("unhandled exception") != std::string::npos) std::abort();
  return 0;
}
