// Runs as people read them (docs/tracking.md, "JSON output"): the shape of
// `mlpipe runs list | show | compare --json`, with times both as ISO 8601 text
// and exact microseconds, absent values as null, and one origin object. The
// wire format between a tracking client and server is store_json.h instead;
// this one is for readers, and the server's pages give the same shape.
#pragma once

#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

// RUNINFO: run_id, experiment, name, status, start_time/start_us,
// end_time/end_us (null/0 while running), user, host, parent_run_id (or null).
core::Json RunInfoView(const RunInfo& info);

// RUNINFO plus origin, params, tags, metrics (latest value, step, time),
// artifacts (path, hash, size) and inputs (dataset, version, role).
core::Json RunView(const Run& run);

// The runs side by side: {"runs": [RUNINFO...], "params": {KEY: {"values": [...],
// "differs": bool}}, "metrics": {...}} over the union of their keys (sorted);
// a run lacking a key has null there, which differs from any present value.
core::Json CompareRunsView(const std::vector<Run>& runs);

}  // namespace mlpipe::store
