// The routes of the tracking API: one table mapping METHOD + path pattern
// under /api/v1/ to a MetadataStore or ObjectStore call. Authentication is
// the caller's job (tracking_api.cc); this only translates.
#pragma once

#include <vector>

#include "mlpipe/serve/http_server.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "object_uploads.h"

namespace mlpipe::serve {

struct RouteInfo {
  const char* method;   // "GET", "POST", "PUT"
  const char* pattern;  // under /api/v1/, "{x}" a path segment
  const char* doc;      // one line: what it does
};

// Every route, in the order of docs/tracking.md.
std::vector<RouteInfo> TrackingRoutes();

// Handles one (already authorised) request: a store error becomes its HTTP
// status with the error body, an unknown path 404, a known path with another
// method 405, malformed JSON or parameters 400.
HttpResponse DispatchTrackingRequest(store::MetadataStore& meta, store::ObjectStore& objects,
                                     ObjectUploads& uploads, const HttpRequest& req);

}  // namespace mlpipe::serve
