#include "csv_columns.h"

#include "code_index.h"

#include <algorithm>
#include <cstring>
#include <deque>

namespace mlpipe::table::internal {
namespace {

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Dictionary-encodes rows [begin, end) of a text column of one chunk into
// `out->dict`, creating it at begin == 0; stops keeping it (overflow) once it
// holds more than `cap` values.
void EncodeText(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                const MissingTokens& missing, size_t cap, size_t begin, size_t end,
                ChunkColumn* out) {
  if (!out->dict) {
    out->dict = std::make_unique<TextDict>();
    out->dict->codes.assign(chunk.rows(), -1);
  }
  TextDict& d = *out->dict;
  if (d.overflow) return;
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
    d.codes[r] = code;
  }
}

// Converts to an explicit numeric type, stopping at the first failure.
void ConvertExplicit(std::string_view text, const CsvChunk& chunk, size_t ncols, size_t col,
                     const MissingTokens& missing, DataType type, size_t begin, size_t end,
                     ChunkColumn* out) {
  size_t n = chunk.rows();
  std::string scratch;
  if (begin == 0) {
    out->state = type == DataType::kBool    ? ColumnState::kBool
                 : type == DataType::kInt64 ? ColumnState::kInt
                                            : ColumnState::kFloat;
    out->plain_number = true;
    if (type == DataType::kBool) out->bools.assign(n, 0);
    if (type == DataType::kInt64) out->ints.assign(n, 0);
    if (type == DataType::kFloat64) out->floats.assign(n, 0.0);
  }
  if (out->fail_row != SIZE_MAX) return;
  for (size_t r = begin; r < end; ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    out->valid[r] = 1;
    bool ok = type == DataType::kBool    ? ParseBool(t, &out->bools[r])
              : type == DataType::kInt64 ? ParseInt64(t, &out->ints[r])
                                         : ParseFloat64(t, &out->floats[r]);
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
  size_t n = chunk.rows();
  if (explicit_type && !IsNumeric(type)) {
    out->state = ColumnState::kText;
    if (type == DataType::kCategorical)
      EncodeText(text, chunk, ncols, col, missing, SIZE_MAX, begin, end, out);
    return;
  }
  if (begin == 0) out->valid.assign(n, 0);
  if (explicit_type)
    return ConvertExplicit(text, chunk, ncols, col, missing, type, begin, end, out);

  std::string scratch;
  ColumnState st = out->state;
  if (st == ColumnState::kText) {  // decided by an earlier range
    EncodeText(text, chunk, ncols, col, missing, max_categories, begin, end, out);
    return;
  }
  for (size_t r = begin; r < end; ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    out->valid[r] = 1;
    double d;
    switch (st) {
      case ColumnState::kEmpty:
        if (uint8_t b; ParseBool(t, &b)) {
          st = ColumnState::kBool;
          out->bools.assign(n, 0);
          out->bools[r] = b;
        } else if (int64_t i; ParseInt64(t, &i)) {
          st = ColumnState::kInt;
          out->ints.assign(n, 0);
          out->ints[r] = i;
          out->plain_number = true;
        } else if (ParseFloat64(t, &d)) {
          st = ColumnState::kFloat;
          out->floats.assign(n, 0.0);
          out->floats[r] = d;
          out->plain_number = HasDigit(t);
        } else {
          st = ColumnState::kText;
        }
        break;
      case ColumnState::kBool:
        if (!ParseBool(t, &out->bools[r])) st = ColumnState::kText;
        break;
      case ColumnState::kInt:
        if (ParseInt64(t, &out->ints[r])) break;
        if (!ParseFloat64(t, &d)) {
          st = ColumnState::kText;
          break;
        }
        st = ColumnState::kFloat;
        out->floats.assign(n, 0.0);
        for (size_t k = 0; k < r; ++k) out->floats[k] = static_cast<double>(out->ints[k]);
        out->ints = {};
        out->floats[r] = d;
        break;
      case ColumnState::kFloat:
        if (!ParseFloat64(t, &out->floats[r])) {
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
    *out = ChunkColumn{};
    out->state = ColumnState::kText;
    // The rows before this one were numbers; encode them as text too.
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

Column ConcatNumeric(const std::string& name, DataType type,
                     const std::vector<const ChunkColumn*>& parts) {
  size_t total = 0;
  for (const ChunkColumn* p : parts) total += p->valid.size();
  std::vector<uint8_t> valid;
  valid.reserve(total);
  for (const ChunkColumn* p : parts) valid.insert(valid.end(), p->valid.begin(), p->valid.end());
  auto concat = [&](auto member, auto zero) {
    std::vector<decltype(zero)> v;
    v.reserve(total);
    for (const ChunkColumn* p : parts) {
      const auto& src = p->*member;
      if (src.empty()) {
        if constexpr (std::is_same_v<decltype(zero), double>) {
          if (!p->ints.empty()) {  // an int64 chunk of a float64 column
            for (int64_t x : p->ints) v.push_back(static_cast<double>(x));
            continue;
          }
        }
        v.resize(v.size() + p->valid.size(), zero);
      } else {
        v.insert(v.end(), src.begin(), src.end());
      }
    }
    return v;
  };
  switch (type) {
    case DataType::kBool:
      return Column::Bool(name, concat(&ChunkColumn::bools, uint8_t{0}), std::move(valid));
    case DataType::kInt64:
      return Column::Int64(name, concat(&ChunkColumn::ints, int64_t{0}), std::move(valid));
    default:
      return Column::Float64(name, concat(&ChunkColumn::floats, 0.0), std::move(valid));
  }
}

namespace {

// Calls fn(global_row, text, in_scratch) for every present value of `chunk`
// in order (its first row is global row `first_row`), until fn returns false;
// returns whether it ran to the end. Sets (*valid)[global_row] for present
// values.
template <typename Fn>
bool ForEachPresent(std::string_view text, const CsvChunk& chunk, size_t first_row, size_t ncols,
                    size_t col, const MissingTokens& missing, std::vector<uint8_t>* valid,
                    Fn&& fn) {
  std::string scratch;
  for (size_t r = 0; r < chunk.rows(); ++r) {
    std::string_view raw = RawField(text, chunk, ncols, r, col);
    std::string_view t = FieldText(raw, &scratch);
    if (IsMissingField(raw, t, missing)) continue;
    (*valid)[first_row + r] = 1;
    if (!fn(first_row + r, t, t.data() == scratch.data())) return false;
  }
  return true;
}

}  // namespace

Column BuildTextColumn(std::string_view text, const std::vector<CsvChunk>& chunks,
                       const std::vector<const ChunkColumn*>& parts, size_t ncols, size_t col,
                       size_t total_rows, const std::string& name, DataType type, bool infer_text,
                       const MissingTokens& missing, size_t max_categories) {
  std::vector<uint8_t> valid(total_rows, 0);
  if (type == DataType::kCategorical || infer_text) {
    size_t cap = type == DataType::kCategorical ? SIZE_MAX : max_categories;
    std::vector<int32_t> codes(total_rows, -1);
    CodeIndex index;
    std::vector<std::string> categories;
    std::deque<std::string> owned;  // keys, at stable addresses
    size_t present = 0;
    bool complete = true;
    std::vector<int32_t> remap;
    size_t first_row = 0;
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
        const int32_t* local = d->codes.data();
        for (size_t r = 0; r < d->codes.size(); ++r) {
          if (local[r] < 0) continue;
          codes[first_row + r] = remap[local[r]];
          valid[first_row + r] = 1;
          ++present;
        }
      } else {
        complete = ForEachPresent(text, chunks[i], first_row, ncols, col, missing, &valid,
                                  [&](size_t g, std::string_view t, bool) {
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
      first_row += chunks[i].rows();
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
  size_t first_row = 0;
  for (const CsvChunk& chunk : chunks) {
    ForEachPresent(text, chunk, first_row, ncols, col, missing, &valid,
                   [&](size_t g, std::string_view t, bool) {
                     strings[g].assign(t);
                     return true;
                   });
    first_row += chunk.rows();
  }
  return Column::String(name, std::move(strings), std::move(valid));
}

}  // namespace mlpipe::table::internal
