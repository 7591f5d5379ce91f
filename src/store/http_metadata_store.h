// HttpMetadataStore: the MetadataStore interface over the tracking HTTP API
// of `mlpipe serve --tracking` (docs/tracking.md, "HTTP API"), so that
// `--store http://HOST:PORT` works for every command and several machines
// record into one store. Error replies come back as the Status the server's
// store returned (same code, same message), so the CLI's exit codes are the
// same remote as local. Writes send the API token from $MLPIPE_API_TOKEN.
//
// Thread safety: one instance per thread, like every MetadataStore.
#pragma once

#include <memory>
#include <string>

#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

// `uri` is "http://HOST:PORT". Checks that the server answers
// (GET /api/v1/health) so that a wrong address fails here, kUnavailable.
Result<std::unique_ptr<MetadataStore>> OpenHttpMetadataStore(const std::string& uri);

}  // namespace mlpipe::store
