// CSV reading (RFC 4180) and writing.
//
// Reading: quoted fields, doubled quotes, delimiters and newlines inside
// quotes, CRLF and LF, a UTF-8 byte-order mark, a header row. The delimiter is
// detected among , ; TAB | unless given. Types are inferred over the whole file
// (bool, int64, float64, else categorical or string) unless a column's type is
// given explicitly. Large inputs are parsed in parallel chunks.
//
// Errors (all InvalidArgument unless noted) name the source, the 1-based line
// and, where it applies, the column:
//   missing file                      NotFound "data.csv: No such file or directory"
//   empty file                        "data.csv: the file is empty"
//   ragged row                        "data.csv:418: expected 21 fields, found 20"
//   unterminated quote                "data.csv:12: unterminated quoted field (opened here)"
//   value breaking an explicit type   "data.csv:7: column 'age': 'abc' is not a valid int64"
//   invalid UTF-8                     "data.csv: invalid UTF-8 at byte offset 1234 (line 5)"
// No row is ever dropped silently.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

struct CsvReadOptions {
  // 0: detect among ',', ';', '\t', '|' from the first lines.
  char delimiter = 0;
  // The first row names the columns; otherwise columns are "c0", "c1", ...
  bool header = true;
  // Unquoted fields equal to one of these (after trimming spaces) are missing.
  std::vector<std::string> missing_tokens = {"", "NA", "N/A", "?", "null"};
  // Explicit types for named columns; the rest are inferred. A name that is not
  // a column of the file is an error.
  std::map<std::string, DataType> types;
  // A text column becomes categorical when it has at most this many distinct
  // values and they are at most half the present values; otherwise string.
  size_t max_categories = 1000;
  // Worker threads for parsing; 0: one per hardware thread.
  size_t threads = 0;
};

// Reads the CSV file at `path`.
Result<Table> ReadCsv(core::Env* env, const std::string& path, const CsvReadOptions& options = {});
// Reads CSV text; `source` names it in error messages.
Result<Table> ReadCsvString(std::string_view text, std::string_view source,
                            const CsvReadOptions& options = {});

struct CsvWriteOptions {
  char delimiter = ',';
  // Missing values are written as this token.
  std::string missing = "";
};

// Writes `table` with a header row; fields are quoted when they contain the
// delimiter, a quote, CR or LF, or leading/trailing space, or would read back
// as missing. Reading the output gives an equal table (types given explicitly).
std::string WriteCsvString(const Table& table, const CsvWriteOptions& options = {});
// Writes atomically (Env::WriteFileAtomic).
Status WriteCsv(core::Env* env, const Table& table, const std::string& path,
                const CsvWriteOptions& options = {});

}  // namespace mlpipe::table
