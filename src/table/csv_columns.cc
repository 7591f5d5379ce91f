#include "csv_columns.h"

#include "code_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>

namespace mlpipe::table::internal {
namespace {

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ParseFloat64 of the text `t` of field `raw`, reading past the field when
// `text` allows: the common case, fields in the middle of the file.
bool ParseFloatField(std::string_view text, std::string_view raw, std::string_view t, double* out) {
  const size_t readable = text.size() - static_cast<size_t>(raw.data() - text.data());
  return !IsQuoted(raw) && readable >= 16 ? ParseFloat64InBuffer(t, out) : ParseFloat64(t, out);
}

// Dictionary-encodes rows [begin, end) of a text column of one chunk into
// `out->dict` (created at begin == 0) and the chunk's codes; stops keeping it
// (overflow) once it holds more than `cap` values.
void EncodeText(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                const MissingTokens& missing, size_t cap, size_t begin, size_t end,
                ChunkColumn* out) {
  if (!out->dict) out->dict = std::make_unique<TextDict>();
  TextDict& d = *out->dict;
  if (d.overflow) return;
  int32_t* codes = out->buffers->Codes() + chunk.first_row;
  std::string scratch;
  for (size_t r = begin; r < end; ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    const uint64_t h = CodeIndex::Hash(t);
    int32_t code = d.index.Find(t, h);
    if (code < 0) {
      if (d.values.size() >= cap) {
        out->dict = std::make_unique<TextDict>();
        out->dict->overflow = true;
        return;
      }
      code = static_cast<int32_t>(d.values.size());
      d.index.Insert(d.values.emplace_back(t), h);
    }
    codes[r] = code;
  }
}

// Converts to an explicit numeric type, stopping at the first failure.
void ConvertExplicit(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                     const MissingTokens& missing, DataType type, size_t begin, size_t end,
                     ChunkColumn* out) {
  std::string scratch;
  if (begin == 0) {
    out->state = type == DataType::kBool    ? ColumnState::kBool
                 : type == DataType::kInt64 ? ColumnState::kInt
                                            : ColumnState::kFloat;
    out->plain_number = true;
  }
  if (out->fail_row != SIZE_MAX) return;
  ColumnBuffers& buffers = *out->buffers;
  const size_t first = chunk.first_row;
  uint8_t* valid = buffers.Valid() + first;
  uint8_t* bools = type == DataType::kBool ? buffers.Bools() + first : nullptr;
  int64_t* ints = type == DataType::kInt64 ? buffers.Ints() + first : nullptr;
  double* floats = type == DataType::kFloat64 ? buffers.Floats() + first : nullptr;
  for (size_t r = begin; r < end; ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    valid[r] = 1;
    bool ok = type == DataType::kBool    ? ParseBool(t, &bools[r])
              : type == DataType::kInt64 ? ParseInt64(t, &ints[r])
                                         : ParseFloat64(t, &floats[r]);
    if (!ok) {
      out->fail_row = r;
      return;
    }
  }
}

}  // namespace

void ConvertChunkColumn(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                        const MissingTokens& missing, bool explicit_type, DataType type,
                        size_t max_categories, size_t begin, size_t end, ChunkColumn* out) {
  if (explicit_type && !IsNumeric(type)) {
    out->state = ColumnState::kText;
    if (type == DataType::kCategorical)
      EncodeText(text, chunk, ncols, col, missing, SIZE_MAX, begin, end, out);
    return;
  }
  if (explicit_type)
    return ConvertExplicit(text, chunk, ncols, col, missing, type, begin, end, out);

  ColumnState st = out->state;
  if (st == ColumnState::kText) {  // decided by an earlier range
    EncodeText(text, chunk, ncols, col, missing, max_categories, begin, end, out);
    return;
  }
  // This chunk's rows of the column's buffers, fetched as the state needs them.
  ColumnBuffers& buffers = *out->buffers;
  const size_t first = chunk.first_row;
  uint8_t* valid = buffers.Valid() + first;
  uint8_t* bools = st == ColumnState::kBool ? buffers.Bools() + first : nullptr;
  int64_t* ints = st == ColumnState::kInt ? buffers.Ints() + first : nullptr;
  double* floats = st == ColumnState::kFloat ? buffers.Floats() + first : nullptr;
  std::string scratch;
  for (size_t r = begin; r < end; ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    valid[r] = 1;
    double d;
    switch (st) {
      case ColumnState::kEmpty:
        if (uint8_t b; ParseBool(t, &b)) {
          st = ColumnState::kBool;
          bools = buffers.Bools() + first;
          bools[r] = b;
        } else if (int64_t i; ParseInt64(t, &i)) {
          st = ColumnState::kInt;
          ints = buffers.Ints() + first;
          ints[r] = i;
          out->plain_number = true;
        } else if (ParseFloat64(t, &d)) {
          st = ColumnState::kFloat;
          floats = buffers.Floats() + first;
          floats[r] = d;
          out->plain_number = HasDigit(t);
        } else {
          st = ColumnState::kText;
        }
        break;
      case ColumnState::kBool:
        if (!ParseBool(t, &bools[r])) st = ColumnState::kText;
        break;
      case ColumnState::kInt:
        if (ParseInt64(t, &ints[r])) break;
        if (!ParseFloat64(t, &d)) {
          st = ColumnState::kText;
          break;
        }
        st = ColumnState::kFloat;
        floats = buffers.Floats() + first;
        for (size_t k = 0; k < r; ++k) floats[k] = static_cast<double>(ints[k]);
        floats[r] = d;
        break;
      case ColumnState::kFloat:
        if (!ParseFloatField(text, raw, t, &floats[r])) {
          st = ColumnState::kText;
        } else if (!out->plain_number) {
          out->plain_number = HasDigit(t);
        }
        break;
      case ColumnState::kText:
        break;
    }
    if (st == ColumnState::kText) break;
  }
  out->state = st;
  if (st == ColumnState::kText) {
    // The rows before this one were numbers; encode them as text too (the
    // numbers already written stay unread: the column is text).
    out->plain_number = false;
    EncodeText(text, chunk, ncols, col, missing, max_categories, 0, end, out);
  }
}

ColumnState MergeStates(const std::vector<const ChunkColumn*>& parts, bool* plain_number) {
  ColumnState st = ColumnState::kEmpty;
  *plain_number = false;
  for (const ChunkColumn* p : parts) {
    *plain_number |= p->plain_number;
    if (p->state == ColumnState::kEmpty) continue;
    if (st == ColumnState::kEmpty) {
      st = p->state;
    } else if ((st == ColumnState::kBool) != (p->state == ColumnState::kBool)) {
      st = ColumnState::kText;
    } else {
      st = std::max(st, p->state);
    }
  }
  return st;
}

Column BuildNumericColumn(const std::string& name, DataType type,
                          const std::vector<CsvChunk>& chunks,
                          const std::vector<const ChunkColumn*>& parts, ColumnBuffers* buffers) {
  buffers->Valid();  // allocated even if no chunk converted a value
  std::vector<uint8_t> valid = std::move(buffers->valid);
  switch (type) {
    case DataType::kBool:
      buffers->Bools();
      return Column::Bool(name, std::move(buffers->bools), std::move(valid));
    case DataType::kInt64:
      buffers->Ints();
      return Column::Int64(name, std::move(buffers->ints), std::move(valid));
    default: {
      double* floats = buffers->Floats();
      for (size_t i = 0; i < chunks.size(); ++i) {
        if (parts[i]->state != ColumnState::kInt) continue;  // an int64 chunk
        const size_t first = chunks[i].first_row;
        for (size_t r = first; r < first + chunks[i].rows(); ++r)
          floats[r] = static_cast<double>(buffers->ints[r]);
      }
      buffers->ints = {};
      // NaN is not a value: a spelling of it not among the missing tokens is
      // missing all the same.
      for (size_t r = 0; r < valid.size(); ++r) {
        if (valid[r] && std::isnan(floats[r])) valid[r] = 0;
      }
      return Column::Float64(name, std::move(buffers->floats), std::move(valid));
    }
  }
}

namespace {

// Calls fn(global_row, text) for every present value of `chunk` in order,
// until fn returns false; returns whether it ran to the end. Sets
// (*valid)[global_row] for present values.
template <typename Fn>
bool ForEachPresent(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                    const MissingTokens& missing, std::vector<uint8_t>* valid, Fn&& fn) {
  std::string scratch;
  for (size_t r = 0; r < chunk.rows(); ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    const size_t g = chunk.first_row + r;
    (*valid)[g] = 1;
    if (!fn(g, t)) return false;
  }
  return true;
}

}  // namespace

Column BuildTextColumn(std::string_view text, const std::vector<CsvChunk>& chunks,
                       const std::vector<const ChunkColumn*>& parts, size_t ncols, size_t col,
                       const std::string& name, DataType type, bool infer_text,
                       const MissingTokens& missing, size_t max_categories,
                       ColumnBuffers* buffers) {
  const size_t total_rows = buffers->rows;
  // So far set for some of the present values only (see ColumnBuffers); the
  // passes below set it for the others.
  buffers->Valid();
  std::vector<uint8_t> valid = std::move(buffers->valid);
  if (type == DataType::kCategorical || infer_text) {
    size_t cap = type == DataType::kCategorical ? SIZE_MAX : max_categories;
    // The chunks' own codes, turned into the column's in place.
    buffers->Codes();
    std::vector<int32_t> codes = std::move(buffers->codes);
    CodeIndex index;
    std::vector<std::string> categories;
    std::deque<std::string> owned;  // keys, at stable addresses
    size_t present = 0;
    bool complete = true;
    std::vector<int32_t> remap;
    for (size_t i = 0; i < chunks.size() && complete; ++i) {
      const TextDict* d = parts[i]->dict.get();
      if (d != nullptr && !d->overflow) {
        // Local codes are in order of first appearance within the chunk, so
        // adding them in that order keeps the global first-appearance order.
        remap.resize(d->values.size());
        for (size_t k = 0; k < d->values.size() && complete; ++k) {
          const std::string& v = d->values[k];
          const uint64_t h = CodeIndex::Hash(v);
          int32_t code = index.Find(v, h);
          if (code < 0) {
            if (categories.size() >= cap) {
              complete = false;
              break;
            }
            code = static_cast<int32_t>(categories.size());
            index.Insert(owned.emplace_back(v), h);
            categories.push_back(v);
          }
          remap[k] = code;
        }
        if (!complete) break;
        const size_t first = chunks[i].first_row;
        for (size_t g = first; g < first + chunks[i].rows(); ++g) {
          if (codes[g] < 0) continue;
          codes[g] = remap[codes[g]];
          valid[g] = 1;
          ++present;
        }
      } else {
        complete = ForEachPresent(text, chunks[i], ncols, col, missing, &valid,
                                  [&](size_t g, std::string_view t) {
                                    ++present;
                                    const uint64_t h = CodeIndex::Hash(t);
                                    int32_t code = index.Find(t, h);
                                    if (code < 0) {
                                      if (categories.size() >= cap) return false;
                                      code = static_cast<int32_t>(categories.size());
                                      index.Insert(owned.emplace_back(t), h);
                                      categories.emplace_back(t);
                                    }
                                    codes[g] = code;
                                    return true;
                                  });
      }
    }
    if (complete && (type == DataType::kCategorical ||
                     IsCategorical(categories.size(), present, max_categories)))
      return Column::Categorical(name, std::move(codes), std::move(categories), std::move(valid));
    if (complete) {
      std::vector<std::string> strings(total_rows);
      for (size_t g = 0; g < total_rows; ++g)
        if (valid[g]) strings[g] = categories[codes[g]];
      return Column::String(name, std::move(strings), std::move(valid));
    }
    valid.assign(total_rows, 0);
  }
  std::vector<std::string> strings(total_rows);
  for (const CsvChunk& chunk : chunks) {
    ForEachPresent(text, chunk, ncols, col, missing, &valid, [&](size_t g, std::string_view t) {
      strings[g].assign(t);
      return true;
    });
  }
  return Column::String(name, std::move(strings), std::move(valid));
}

}  // namespace mlpipe::table::internal
