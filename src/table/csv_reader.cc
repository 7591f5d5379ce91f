// ReadCsv: the whole-file driver. Stages: detect the delimiter, parse the
// header row, scan the data into chunks (csv_scan.cc), infer the column types
// per chunk and merge them, then build each typed column (csv_columns.cc).
#include <algorithm>
#include <deque>
#include <exception>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "csv_columns.h"
#include "csv_scan.h"
#include "decimal_comma.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/message.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::table {
namespace {

using internal::CsvChunk;
using internal::ScanError;

size_t LineOf(std::string_view text, size_t pos) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
}

Status ScanErrorStatus(std::string_view text, std::string_view source, const ScanError& e,
                       size_t ncols) {
  size_t line = LineOf(text, e.pos);
  switch (e.kind) {
    case ScanError::Kind::kRagged:
      return InvalidArgumentError(
          fmt::format("{}:{}: expected {} fields, found {}", source, line, ncols, e.found));
    case ScanError::Kind::kUnterminated:
      return InvalidArgumentError(
          fmt::format("{}:{}: unterminated quoted field (opened here)", source, line));
    case ScanError::Kind::kUtf8:
      return InvalidArgumentError(
          fmt::format("{}: invalid UTF-8 at byte offset {} (line {})", source, e.pos, line));
    case ScanError::Kind::kTooLarge:
      return InvalidArgumentError(
          fmt::format("{}:{}: row too large (a chunk of rows exceeds 4 GiB)", source, line));
    case ScanError::Kind::kNone:
      break;
  }
  return Status::OK();
}

// Empty names become "Unnamed: I" (I: 0-based position); a repeated name gets
// the first free suffix ".1", ".2", ... (as pandas does). Linear: each name
// remembers the lowest suffix that may still be free (every lower one is taken
// and names are never freed), so n copies of one name cost O(n), not O(n^2).
std::vector<std::string> UniqueNames(std::vector<std::string> names) {
  std::unordered_set<std::string> used;
  std::unordered_map<std::string, size_t> next_suffix;
  used.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) names[i] = fmt::format("Unnamed: {}", i);
    if (used.count(names[i]) != 0) {
      size_t& k = next_suffix.try_emplace(names[i], 1).first->second;
      std::string candidate = fmt::format("{}.{}", names[i], k);
      while (used.count(candidate) != 0) candidate = fmt::format("{}.{}", names[i], ++k);
      ++k;
      names[i] = std::move(candidate);
    }
    used.insert(names[i]);
  }
  return names;
}

Result<Table> ReadCsvImpl(std::string_view text, std::string_view source,
                          const CsvReadOptions& options) {
  if (text.empty()) return InvalidArgumentError(fmt::format("{}: the file is empty", source));
  size_t begin = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  char delim = options.delimiter != 0 ? options.delimiter
                                      : internal::DetectDelimiter(text.substr(begin, 1 << 16));
  if (delim == '"' || delim == '\n' || delim == '\r')
    return InvalidArgumentError(
        fmt::format("{}: the delimiter cannot be a quote or a line break", source));

  // The first row: the header, or the first data row that sets the width.
  CsvChunk first;
  internal::ParseRows(text, begin, text.size(), delim, 0, 1, &first);
  if (first.error.kind != ScanError::Kind::kNone)
    return ScanErrorStatus(text, source, first.error, 0);
  if (first.rows() == 0) return InvalidArgumentError(fmt::format("{}: the file is empty", source));
  size_t bad = internal::FindInvalidUtf8(text, begin, first.end);
  if (bad != std::string_view::npos)
    return ScanErrorStatus(text, source, {ScanError::Kind::kUtf8, bad, 0}, 0);
  size_t ncols = first.ends.size();
  std::vector<std::string> names(ncols);
  std::string scratch;
  for (size_t c = 0; c < ncols; ++c) {
    names[c] = options.header
                   ? std::string(internal::FieldText(RawField(text, first, ncols, 0, c), &scratch))
                   : fmt::format("c{}", c);
  }
  for (size_t c = 0; c < ncols; ++c) {
    MLPIPE_RETURN_IF_ERROR(CheckColumnName(source, c, names[c]));
  }
  names = UniqueNames(std::move(names));
  size_t data_begin = options.header ? first.end : begin;

  std::vector<uint8_t> is_explicit(ncols, 0);
  std::vector<DataType> types(ncols, DataType::kFloat64);
  for (const auto& [name, type] : options.types) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      return InvalidArgumentError(
          fmt::format("{}: explicit type for unknown column '{}' (columns: {})", source,
                      core::ClipForMessage(name),
                      core::ClipForMessage(fmt::format("{}", fmt::join(names, ", ")), 400)));
    is_explicit[it - names.begin()] = 1;
    types[it - names.begin()] = type;
  }

  std::unique_ptr<core::ThreadPool> own_pool;
  core::ThreadPool* pool = nullptr;
  if (options.threads == 0) {
    pool = &core::ThreadPool::Shared();
  } else if (options.threads > 1) {
    own_pool = std::make_unique<core::ThreadPool>(options.threads);
    pool = own_pool.get();
  }
  size_t workers = pool == nullptr ? 1 : pool->size();
  if (workers <= 1) pool = nullptr;
  size_t chunk_bytes = options.chunk_bytes;
  if (chunk_bytes == 0)
    chunk_bytes =
        std::clamp<size_t>(text.size() / (4 * workers), size_t{1} << 20, size_t{64} << 20);

  std::vector<CsvChunk> chunks;
  internal::ScanChunks(text, data_begin, delim, ncols, chunk_bytes, pool, &chunks);
  if (!chunks.empty() && chunks.back().error.kind != ScanError::Kind::kNone)
    return ScanErrorStatus(text, source, chunks.back().error, ncols);

  // Convert (and infer) per chunk, in parallel, into full-length columns.
  const size_t total_rows = chunks.empty() ? 0 : chunks.back().first_row + chunks.back().rows();
  std::deque<internal::ColumnBuffers> buffers;
  for (size_t c = 0; c < ncols; ++c) buffers.emplace_back(total_rows);
  internal::MissingTokens missing(options.missing_tokens);
  std::vector<std::vector<internal::ChunkColumn>> conv(chunks.size());
  internal::RunParallel(pool, chunks.size(), [&](size_t i) {
    conv[i].resize(ncols);
    for (size_t c = 0; c < ncols; ++c) conv[i][c].buffers = &buffers[c];
    constexpr size_t kRowBlock = 1024;  // about 150 KB of text: stays in L2 across columns
    const size_t rows = chunks[i].rows();
    // The chunks converted at once (one per worker) start evenly spread over
    // the columns: the first chunk to reach a column allocates its buffers
    // (page faults: milliseconds) while the others wait, so chunks taking the
    // columns in the same order would allocate them one at a time.
    const size_t first_col = i % workers * ncols / workers;
    for (size_t b = 0; b == 0 || b < rows; b += kRowBlock) {
      for (size_t k = 0; k < ncols; ++k) {
        const size_t c = (first_col + k) % ncols;
        internal::ConvertChunkColumn(text, chunks[i], ncols, c, missing, is_explicit[c], types[c],
                                     options.max_categories, b, std::min(rows, b + kRowBlock),
                                     &conv[i][c]);
      }
    }
  });
  // The first value breaking an explicit type, in file order.
  for (size_t i = 0; i < chunks.size(); ++i) {
    size_t row = SIZE_MAX, col = 0;
    for (size_t c = 0; c < ncols; ++c) {
      if (conv[i][c].fail_row < row) row = conv[i][c].fail_row, col = c;
    }
    if (row == SIZE_MAX) continue;
    std::string_view raw = RawField(text, chunks[i], ncols, row, col);
    size_t pos = static_cast<size_t>(raw.data() - text.data());
    return InvalidArgumentError(fmt::format(
        "{}:{}: column '{}': '{}' is not a valid {}", source, LineOf(text, pos),
        core::ClipForMessage(names[col]), core::ClipForMessage(internal::FieldText(raw, &scratch)),
        DataTypeName(types[col])));
  }
  std::vector<uint8_t> infer_text(ncols, 0);
  std::vector<std::vector<const internal::ChunkColumn*>> parts(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    for (auto& cc : conv) parts[c].push_back(&cc[c]);
    if (is_explicit[c]) continue;
    bool plain = false;
    switch (internal::MergeStates(parts[c], &plain)) {
      case internal::ColumnState::kEmpty:
        types[c] = DataType::kFloat64;
        break;
      case internal::ColumnState::kBool:
        types[c] = DataType::kBool;
        break;
      case internal::ColumnState::kInt:
        types[c] = DataType::kInt64;
        break;
      case internal::ColumnState::kFloat:
        types[c] = plain ? DataType::kFloat64 : DataType::kString;
        break;
      case internal::ColumnState::kText:
        types[c] = DataType::kString;
        break;
    }
    infer_text[c] = types[c] == DataType::kString;
  }

  std::vector<Column> columns(ncols);
  // Text columns first: each is a pass of dictionary look-ups over every row,
  // while a numeric one is nearly free; the short tasks last keep both cores
  // busy.
  std::vector<size_t> order(ncols);
  for (size_t c = 0; c < ncols; ++c) order[c] = c;
  std::stable_partition(order.begin(), order.end(), [&](size_t c) { return !IsNumeric(types[c]); });
  internal::RunParallel(pool, ncols, [&](size_t k) {
    const size_t c = order[k];
    if (IsNumeric(types[c])) {
      columns[c] = internal::BuildNumericColumn(names[c], types[c], chunks, parts[c], &buffers[c]);
    } else {
      columns[c] =
          internal::BuildTextColumn(text, chunks, parts[c], ncols, c, names[c], types[c],
                                    infer_text[c], missing, options.max_categories, &buffers[c]);
    }
    for (auto& cc : conv) cc[c] = internal::ChunkColumn{};
  });
  chunks.clear();
  if (delim == ';' && options.decimal_comma) {
    std::vector<std::string> read;
    for (size_t c = 0; c < ncols; ++c) {
      Column number;
      if (is_explicit[c] || !internal::ReadDecimalCommas(columns[c], &number)) continue;
      columns[c] = std::move(number);
      read.push_back(names[c]);
    }
    if (!read.empty()) {
      core::LogInfo("note: {}: read {} with a decimal comma (\"1,5\" as 1.5): {}", source,
                    read.size() == 1 ? "one column" : fmt::format("{} columns", read.size()),
                    fmt::join(read, ", "));
    }
  }
  Table table;
  for (auto& col : columns) MLPIPE_RETURN_IF_ERROR(table.AddColumn(std::move(col)));
  return table;
}

}  // namespace

Result<Table> ReadCsvString(std::string_view text, std::string_view source,
                            const CsvReadOptions& options) {
  try {
    return ReadCsvImpl(text, source, options);
  } catch (const std::exception& e) {
    return InternalError(fmt::format("{}: reading failed: {}", source, e.what()));
  }
}

Result<Table> ReadCsv(core::Env* env, const std::string& path, const CsvReadOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(auto region, env->MapFile(path));
  return ReadCsvString(region->view(), path, options);
}

Result<std::vector<size_t>> CsvRowLines(std::string_view text, std::string_view source,
                                        const CsvReadOptions& options) {
  const size_t begin = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const char delim = options.delimiter != 0
                         ? options.delimiter
                         : internal::DetectDelimiter(text.substr(begin, 1 << 16));
  std::vector<size_t> lines;
  size_t pos = begin, line = 1, counted = 0;
  bool header = options.header;
  while (pos < text.size()) {
    CsvChunk chunk;
    internal::ParseRows(text, pos, text.size(), delim, 0, 1 << 16, &chunk);
    if (chunk.error.kind != ScanError::Kind::kNone) {
      return ScanErrorStatus(text, source, chunk.error, 0);
    }
    if (chunk.rows() == 0) break;
    for (uint32_t start : chunk.row_starts) {
      const size_t at = chunk.base + start;
      line += static_cast<size_t>(std::count(text.begin() + counted, text.begin() + at, '\n'));
      counted = at;
      if (header) {
        header = false;
      } else {
        lines.push_back(line);
      }
    }
    pos = chunk.end;
  }
  return lines;
}

}  // namespace mlpipe::table
