// Type inference and typed column building over scanned CSV chunks (internal
// to the table module).
//
// Numeric values are converted once: each chunk converts its fields while
// inferring their type (a per-chunk state moving from bool/int64/float64
// towards text), the chunk states are merged, and the numeric columns are then
// the concatenation of the chunks' values. Text columns are built in one pass
// over all chunks at the end.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "code_index.h"
#include "csv_scan.h"
#include "mlpipe/table/column.h"
#include "value_parse.h"

namespace mlpipe::table::internal {

// Whether a field is missing: an unquoted field matching a missing token, or
// a quoted empty field ("" — as pandas reads it).
inline bool IsMissingField(std::string_view raw, std::string_view text,
                           const MissingTokens& missing) {
  return IsQuoted(raw) ? text.empty() : missing.Matches(raw);
}

// What the values of one column in one chunk can be, in order of generality.
enum class ColumnState : uint8_t { kEmpty, kBool, kInt, kFloat, kText };

// A chunk-local dictionary of a text column, built while the chunk's text is
// in cache; BuildTextColumn merges the chunks' dictionaries in chunk order.
struct TextDict {
  CodeIndex index;                 // keys point into `values`
  std::deque<std::string> values;  // in order of first appearance; stable addresses
  std::vector<int32_t> codes;      // per row of the chunk, -1 when missing
  bool overflow = false;           // more distinct values than the cap: not kept
};

// One column of one chunk, converted as far as its state allows.
struct ChunkColumn {
  ColumnState state = ColumnState::kEmpty;
  bool plain_number = false;       // some value is a number other than nan/inf text
  size_t fail_row = SIZE_MAX;      // explicit type: first row that does not convert
  std::vector<uint8_t> valid;      // per row (numeric states only)
  std::vector<uint8_t> bools;      // kBool
  std::vector<int64_t> ints;       // kInt
  std::vector<double> floats;      // kFloat
  std::unique_ptr<TextDict> dict;  // kText that may become categorical
};

// Converts rows [begin, end) of column `col` of `chunk`, continuing from the
// state `out` has after the rows before `begin` (begin == 0 starts afresh).
// With `explicit_type` set, converts to `type` only (recording fail_row);
// otherwise infers. Calling it in row ranges, all columns per range, keeps
// the range's text in cache instead of reading the chunk once per column.
// Text (inferred, or explicitly categorical) is dictionary-encoded into
// `out->dict` until it has more than `max_categories` distinct values
// (unbounded for explicit categoricals).
void ConvertChunkColumn(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                        const MissingTokens& missing, bool explicit_type, DataType type,
                        size_t max_categories, size_t begin, size_t end, ChunkColumn* out);

// The state of the whole column: the most general of the chunks' states.
ColumnState MergeStates(const std::vector<const ChunkColumn*>& parts, bool* plain_number);

// Concatenates the chunks' numeric values as `type` (bool, int64, float64).
// REQUIRES: every part's state is kEmpty or converts to `type`.
Column ConcatNumeric(const std::string& name, DataType type,
                     const std::vector<const ChunkColumn*>& parts);

// Builds text column `col` from every chunk (`total_rows` rows): categorical
// when `type` is kCategorical, string when kString and !`infer_text`, else
// picked by IsCategorical. Chunks that carry a dictionary (`parts[i]->dict`)
// are merged from it; the others are read from the text.
Column BuildTextColumn(std::string_view text, const std::vector<CsvChunk>& chunks,
                       const std::vector<const ChunkColumn*>& parts, size_t ncols, size_t col,
                       size_t total_rows, const std::string& name, DataType type, bool infer_text,
                       const MissingTokens& missing, size_t max_categories);

}  // namespace mlpipe::table::internal
