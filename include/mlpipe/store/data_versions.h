// Data versioning: `mlpipe data add | list | show | diff | get`.
//
// Adding a file stores its exact bytes in the object store (one pass that
// hashes and copies) and records NAME's next version with the hash, size, row
// count, inferred schema and a per-column summary, plus the lineage
// file → ingest → dataset. Adding content equal to NAME's latest version is
// recognised and records nothing.
//
// Files up to kExactSummaryBytes are read whole for the schema and summary. A
// larger delimited file is summarised from its first kExactSummaryBytes of
// records (the summary says how many rows it saw) while its rows are counted
// exactly over the whole file, on a second thread during the copy: adding a
// 1 GB file costs little more than hashing it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"
#include "mlpipe/table/table.h"

namespace mlpipe::store {

inline constexpr uint64_t kExactSummaryBytes = 64ull << 20;

struct AddedData {
  DatasetVersion version;
  bool existed = false;  // NAME's latest version already had this content
};

// Describes the content of a file being added: given the table read from it
// (a record-aligned prefix of a large file) and the file's path, returns
// {"schema": {...}, "summary": {...}}, recorded as the version's schema_json
// and profile_json. mlpipe passes profile::SummariseData; the store takes it
// as a parameter so that it does not depend on the profiler.
using DataSummariser =
    std::function<Result<core::Json>(const table::Table& data, const std::string& path)>;

// `source`, when not empty, is the file the data came from when `path` is a
// copy derived from it (the PII-protected copy of the pipeline's ingest):
// the version and its lineage name `source`, not the copy, as the source.
// Errors: NotFound for a missing file; InvalidArgument for a bad NAME or a
// file the readers refuse (naming file and line).
Result<AddedData> AddDataFile(core::Env* env, MetadataStore& meta, ObjectStore& objects,
                              const DataSummariser& summarise, const std::string& path,
                              const std::string& name, const std::string& actor,
                              const std::string& source = "",
                              uint64_t exact_summary_bytes = kExactSummaryBytes);

// Schema and statistics differences between two versions: columns added,
// removed and retyped; row counts; per common column the change in missing
// share, mean, std, min, max and distinct count, and categories that appeared
// or vanished.
core::Json DiffDatasetVersions(const DatasetVersion& a, const DatasetVersion& b);

// A DatasetVersion as JSON (schema and summary parsed, not as strings).
core::Json DatasetVersionToJson(const DatasetVersion& v);

}  // namespace mlpipe::store
