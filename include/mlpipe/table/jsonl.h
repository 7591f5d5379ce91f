// JSON Lines reading: one JSON object per line.
//
// Columns are the union of the objects' keys, in order of first appearance; a
// key absent from an object, or null, is a missing value. Blank lines are
// skipped. Types are inferred from the JSON values of a column: all booleans
// -> bool; all integers within int64 -> int64; all numbers -> float64; any
// string, object or array -> text (numbers and booleans then as their JSON
// text, objects and arrays serialised), categorical or string by the same
// max_categories rule as CSV. A column with no present value is float64.
// CsvReadOptions::types gives explicit types (values converted from their
// text as the CSV reader does); CsvReadOptions::max_categories applies.
//
// Errors (InvalidArgument) name the source and the 1-based line:
//   "data.jsonl:3: invalid JSON: <parser message>"
//   "data.jsonl:4: expected a JSON object, found array"
//   "data.jsonl:5: column 'age': 'abc' is not a valid int64"
#pragma once

#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/csv.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

Result<Table> ReadJsonl(core::Env* env, const std::string& path,
                        const CsvReadOptions& options = {});
// Reads JSON Lines text; `source` names it in error messages.
Result<Table> ReadJsonlString(std::string_view text, std::string_view source,
                              const CsvReadOptions& options = {});

}  // namespace mlpipe::table
