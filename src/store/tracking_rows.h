// How a run's row is read, shared by GetRun (tracking_records.cc) and
// SearchRuns (run_search.cc), so that both select the same columns.
#pragma once

#include "mlpipe/store/metadata_store.h"
#include "sql.h"

namespace mlpipe::store {

// The columns RunInfoFromRow reads, for `FROM runs r JOIN experiments e ON
// e.id = r.experiment_id`.
inline constexpr const char* kRunInfoColumns =
    "r.run_id, r.experiment_id, e.name, r.status, r.start_us, r.end_us, r.name, r.seed, "
    "r.mlpipe_version, r.host, r.user_name, r.command, r.git_commit, r.git_dirty, "
    "r.parent_run_id";

// Reads kRunInfoColumns. kInternal when the stored status is not a known name.
Result<RunInfo> RunInfoFromRow(const SqlRow& row);

}  // namespace mlpipe::store
