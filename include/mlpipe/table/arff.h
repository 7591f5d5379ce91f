// ARFF reading (Weka's Attribute-Relation File Format, dense data only).
//
//   % comment                    lines starting with % are ignored
//   @relation NAME
//   @attribute NAME TYPE         TYPE: numeric | real | integer | string |
//                                date [FORMAT] | {v1, v2, 'v 3'}
//   @data
//   5.1,3.5,'Iris setosa'        '?' is missing; values may be quoted with ' or "
//
// Keywords are case-insensitive. Types map to: integer -> int64 (values must
// be integers), numeric and real -> float64, nominal -> categorical with the
// categories in declared order, string and date -> string. Names and values
// may be quoted with ' or " (backslash escapes the next character).
//
// Errors (InvalidArgument) name the source and the 1-based line:
//   "iris.arff:7: unknown attribute type 'foo'"
//   "iris.arff:12: expected 5 values, found 4"
//   "iris.arff:12: column 'class': 'x' is not one of the declared values"
//   "iris.arff:12: column 'petallength': 'abc' is not a valid float64"
//   "iris.arff: invalid UTF-8 at byte offset 1234 (line 5)"
// Sparse data ({index value, ...} rows) is rejected with an error.
#pragma once

#include <string>
#include <string_view>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

Result<Table> ReadArff(core::Env* env, const std::string& path);
// Reads ARFF text; `source` names it in error messages.
Result<Table> ReadArffString(std::string_view text, std::string_view source);

}  // namespace mlpipe::table
