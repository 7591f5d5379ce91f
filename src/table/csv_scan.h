// CSV scanning internals: splitting a buffer into rows and fields without
// copying, in chunks that can be parsed in parallel (internal to the table
// module).
//
// A chunk records, for each row, where it starts and where each of its fields
// ends, as 32-bit offsets from the chunk's first byte; the field texts stay in
// the caller's buffer. A field is quoted when its first byte is '"'; its text
// is then the bytes between the quotes with "" read as ", followed by any bytes
// after the closing quote (as Python's csv module does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::core {
class ThreadPool;
}

namespace mlpipe::table::internal {

struct ScanError {
  enum class Kind { kNone, kRagged, kUnterminated, kUtf8, kTooLarge };
  Kind kind = Kind::kNone;
  size_t pos = 0;    // absolute byte offset: row start, opening quote or bad byte
  size_t found = 0;  // kRagged: the number of fields found
};

struct CsvChunk {
  size_t base = 0;                   // absolute offset of the chunk's first byte
  size_t first_row = 0;              // index of its first row among all data rows
  size_t end = 0;                    // absolute offset just past the last row parsed
  std::vector<uint32_t> row_starts;  // per row, offset of its first byte from `base`
  std::vector<uint32_t> ends;        // per field (row-major), offset of its end from `base`
  ScanError error;

  size_t rows() const { return row_starts.size(); }
};

// The raw bytes of field `col` of row `row` (quotes included).
inline std::string_view RawField(std::string_view text, const CsvChunk& c, size_t ncols, size_t row,
                                 size_t col) {
  size_t i = row * ncols + col;
  size_t b = col == 0 ? c.row_starts[row] : c.ends[i - 1] + 1;
  return text.substr(c.base + b, c.ends[i] - b);
}

inline bool IsQuoted(std::string_view raw) { return !raw.empty() && raw[0] == '"'; }

// FieldText of a quoted field.
std::string_view QuotedFieldText(std::string_view raw, std::string* scratch);

// The text of a field: a view of `raw`, or of `*scratch` when unescaping was
// needed (quoted fields with "" or bytes after the closing quote). Inline: it
// runs once per field, nearly always on an unquoted one.
inline std::string_view FieldText(std::string_view raw, std::string* scratch) {
  return IsQuoted(raw) ? QuotedFieldText(raw, scratch) : raw;
}

// Picks the delimiter among , ; TAB | from the first lines of `text`: the one
// found the same non-zero number of times (outside quotes) on every line, the
// most frequent first; ',' when none is found.
char DetectDelimiter(std::string_view text);

// Parses rows of `text` starting at `begin` (a row start) and stops before
// the first row that starts at or after `soft_end`, after `max_rows` rows, at
// an error or at the end. Blank lines are skipped. `ncols` == 0 accepts any
// number of fields (the header row). Line terminators: LF, CRLF or CR.
void ParseRows(std::string_view text, size_t begin, size_t soft_end, char delim, size_t ncols,
               size_t max_rows, CsvChunk* chunk);

// Offset of the first byte of `text`[begin, end) that is not valid UTF-8, or
// npos. REQUIRES: no UTF-8 sequence crosses `begin` or `end`.
size_t FindInvalidUtf8(std::string_view text, size_t begin, size_t end);

// Parses `text`[begin, end of text) into chunks of about `chunk_bytes` bytes,
// in parallel on `pool` (nullptr: on this thread). Chunk boundaries are guessed
// from the parity of quote characters and verified: wherever a guess proves
// wrong the rest is parsed sequentially, so the result is the same whatever
// the chunking. Each chunk is also checked for UTF-8, and its first_row set.
// Stops at the first chunk with an error, which is then the last one returned.
void ScanChunks(std::string_view text, size_t begin, char delim, size_t ncols, size_t chunk_bytes,
                core::ThreadPool* pool, std::vector<CsvChunk>* chunks);

// Runs fn(i) for i in [0, n) on `pool`, or on this thread when it is null.
void RunParallel(core::ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn);

}  // namespace mlpipe::table::internal
