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
//
// Reading rules in detail:
// - Lines end with LF, CRLF or a lone CR. Line numbers in errors are physical
//   1-based lines counted by LF, of the row's start (ragged row), of the
//   opening quote or of the offending field; a quoted field may span lines.
//   Byte offsets count from the start of the file, byte-order mark included.
// - Blank lines (no bytes at all before the line break) are skipped, as
//   pandas does; a line of only delimiters is a row of empty fields.
// - A field is quoted when its first byte is '"'. Bytes after the closing
//   quote are kept (`"ab"c` reads as `abc`, as Python's csv module does); a
//   quote inside an unquoted field is an ordinary byte.
// - Missing: an unquoted field equal to a missing token after trimming
//   spaces and tabs, and, as in pandas, a quoted empty field `""`. Any other
//   quoted field is a value ("NA" quoted is the text NA), so an empty string
//   cannot be told apart from a missing value.
// - Header names: an empty name becomes "Unnamed: I" (I the 0-based column
//   position) and a repeated one gets the first free suffix ".1", ".2", ...
//   (pandas' rules). With `header` false the names are "c0", "c1", ...
// - Inference over all present values, surrounding spaces and tabs ignored:
//   bool when all are true/false/TRUE/FALSE/True/False; int64 when all are
//   [+-]digits within int64; float64 when all are numbers as std::from_chars
//   reads them (plus a leading '+'), including "inf", "infinity" in any case
//   — as long as at least one value is an ordinary number; magnitudes beyond
//   double become +-inf. So an integer column with a value past int64 is
//   float64. NaN is never a value: "nan", "NaN", "-nan", "-NaN" are missing
//   tokens by default (as in pandas), and any other spelling that a float64
//   column reads as NaN ("NAN", "+nan") is missing too. Infinities stay
//   values (the profile warns about them; training refuses them). Otherwise the column is
//   categorical (see max_categories) or string. A column with no present value
//   (or a file with no data rows) is float64, all missing.
// - Quoting does not affect inference: "5" quoted is the number 5.
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
  // (NaN spellings as pandas reads them missing, in any column.)
  std::vector<std::string> missing_tokens = {"",    "NA",  "N/A",  "?",   "null",
                                             "nan", "NaN", "-nan", "-NaN"};
  // Explicit types for named columns; the rest are inferred. A name that is not
  // a column of the file is an error.
  std::map<std::string, DataType> types;
  // In a ';'-delimited file, a column (not given in `types`) whose present
  // values are all [+-]digits[,digits], at least one with the comma, is read
  // as float64 with ',' as the decimal separator ("1,5" is 1.5, as pandas'
  // read_csv(sep=";", decimal=",")), and a note on standard error names the
  // columns. False: such columns stay text.
  bool decimal_comma = true;
  // A text column becomes categorical when it has at most this many distinct
  // values and they are at most half the present values; otherwise string.
  size_t max_categories = 1000;
  // Worker threads for parsing; 0: the shared pool (one per hardware thread).
  size_t threads = 0;
  // Target bytes per parallel parse chunk; 0: chosen from the file size and
  // thread count. The result never depends on it (tests force tiny chunks).
  size_t chunk_bytes = 0;
};

// Reads the CSV file at `path`.
Result<Table> ReadCsv(core::Env* env, const std::string& path, const CsvReadOptions& options = {});
// Reads CSV text; `source` names it in error messages.
Result<Table> ReadCsvString(std::string_view text, std::string_view source,
                            const CsvReadOptions& options = {});

// The 1-based line on which each data row of CSV `text` starts (blank lines
// skipped, quoted line breaks followed as ReadCsvString does), for messages
// that name a row by its line. Errors as ReadCsvString's for a broken file.
Result<std::vector<size_t>> CsvRowLines(std::string_view text, std::string_view source,
                                        const CsvReadOptions& options = {});

struct CsvWriteOptions {
  char delimiter = ',';
  // Missing values are written as this token.
  std::string missing = "";
};

// Writes `table` with a header row; fields are quoted when they contain the
// delimiter, a quote, CR or LF, or leading/trailing space, or would read back
// as missing. Reading the output gives an equal table (types given explicitly),
// except that an empty string value reads back as missing (see above).
// float64 values are written in the shortest form that reads back exactly;
// infinities as inf, -inf; NaN as nan, which reads back as missing.
std::string WriteCsvString(const Table& table, const CsvWriteOptions& options = {});
// Writes atomically (Env::WriteFileAtomic).
Status WriteCsv(core::Env* env, const Table& table, const std::string& path,
                const CsvWriteOptions& options = {});

}  // namespace mlpipe::table
