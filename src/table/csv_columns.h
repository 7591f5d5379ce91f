// Type inference and typed column building over scanned CSV chunks (internal
// to the table module).
//
// Numeric values are converted once, straight into their place: every chunk
// converts its fields while inferring their type (a per-chunk state moving
// from bool/int64/float64 towards text), writing them into full-length column
// buffers at the chunk's first row; the chunk states are merged, and a numeric
// column then takes its buffer as it is. Text columns are dictionary-encoded
// per chunk and merged in one pass over all chunks at the end.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
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

// The full-length buffers of one column (`rows` values each), which every
// chunk converts its rows into at its first row, so that a numeric column is
// built without a copy. Each buffer is allocated by the first chunk that needs
// it, filled with its missing value (0, or code -1); chunks write disjoint
// ranges. `valid` is set for present values only (a chunk that turns to text
// leaves set what it had set), and a missing value's slot keeps its missing
// value.
struct ColumnBuffers {
  explicit ColumnBuffers(size_t n) : rows(n) {}

  // Each buffer's data, allocated first if needed. Thread safe.
  uint8_t* Valid() { return Get(&valid, uint8_t{0}); }
  uint8_t* Bools() { return Get(&bools, uint8_t{0}); }
  int64_t* Ints() { return Get(&ints, int64_t{0}); }
  double* Floats() { return Get(&floats, 0.0); }
  int32_t* Codes() { return Get(&codes, int32_t{-1}); }

  const size_t rows;
  std::vector<uint8_t> valid;
  std::vector<uint8_t> bools;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<int32_t> codes;  // text: each chunk's own codes until BuildTextColumn

 private:
  template <typename T>
  T* Get(std::vector<T>* buffer, T missing) {
    std::lock_guard<std::mutex> lock(mu_);
    if (buffer->empty()) buffer->assign(rows, missing);
    return buffer->data();
  }
  std::mutex mu_;
};

// A chunk-local dictionary of a text column, built while the chunk's text is
// in cache; its codes go to ColumnBuffers::codes, and BuildTextColumn merges
// the chunks' dictionaries in chunk order.
struct TextDict {
  CodeIndex index;                 // keys point into `values`
  std::deque<std::string> values;  // in order of first appearance; stable addresses
  bool overflow = false;           // more distinct values than the cap: not kept
};

// One column of one chunk: how far its values convert. The values themselves
// are in `buffers`.
struct ChunkColumn {
  ColumnBuffers* buffers = nullptr;
  ColumnState state = ColumnState::kEmpty;
  bool plain_number = false;       // some value is a number other than nan/inf text
  size_t fail_row = SIZE_MAX;      // explicit type: first row that does not convert
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

// Builds a numeric column of `type` (bool, int64, float64) from its
// buffers, taking them: the int64 chunks of a float64 column are converted in
// place. REQUIRES: every part's state is kEmpty or converts to `type`.
Column BuildNumericColumn(const std::string& name, DataType type,
                          const std::vector<CsvChunk>& chunks,
                          const std::vector<const ChunkColumn*>& parts, ColumnBuffers* buffers);

// Builds text column `col` from every chunk and its buffers: categorical
// when `type` is kCategorical, string when kString and !`infer_text`, else
// picked by IsCategorical. Chunks that carry a dictionary (`parts[i]->dict`)
// are merged from it; the others are read from the text.
Column BuildTextColumn(std::string_view text, const std::vector<CsvChunk>& chunks,
                       const std::vector<const ChunkColumn*>& parts, size_t ncols, size_t col,
                       const std::string& name, DataType type, bool infer_text,
                       const MissingTokens& missing, size_t max_categories, ColumnBuffers* buffers);

}  // namespace mlpipe::table::internal
