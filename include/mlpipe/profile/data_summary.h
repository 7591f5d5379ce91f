// What a data version records about its content (mlpipe/store/data_versions.h
// takes this function as its DataSummariser): the inferred schema and a
// per-column summary from the profiler, without associations.
#pragma once

#include <string>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::profile {

// {"schema": Schema::ToJson() with source = the file name of `path`,
//  "summary": {"rows_seen": rows of `data`, "columns": [{name, type, count,
//  missing, missing_share, distinct, top: [{value, count}], and for numeric
//  columns mean, std, min, median, max (null when not finite)}]}}.
// `path` names the file in error messages.
Result<core::Json> SummariseData(const table::Table& data, const std::string& path);

}  // namespace mlpipe::profile
