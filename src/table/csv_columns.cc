#include "csv_columns.h"

#include <algorithm>
#include <cstring>
#include <deque>

namespace mlpipe::table::internal {
namespace {

bool HasDigit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
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
                        size_t begin, size_t end, ChunkColumn* out) {
  size_t n = chunk.rows();
  if (explicit_type && !IsNumeric(type)) {
    out->state = ColumnState::kText;
    return;
  }
  if (begin == 0) out->valid.assign(n, 0);
  if (explicit_type)
    return ConvertExplicit(text, chunk, ncols, col, missing, type, begin, end, out);

  std::string scratch;
  ColumnState st = out->state;
  if (st == ColumnState::kText) return;  // decided by an earlier range
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

// Text to code for building a categorical column: open addressing over the
// codes, each with its text's hash. Category texts are few and short, and
// std::unordered_map's std::hash and node chasing cost more than the rest of
// building the column.
class CodeIndex {
 public:
  static uint64_t Hash(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    auto load = [](const char* q, size_t bytes) {  // bytes <= 8, as one fixed-size copy
      uint64_t w = 0;
      if (bytes == 8) std::memcpy(&w, q, 8);
      if (bytes == 4) std::memcpy(&w, q, 4);
      return w;
    };
    if (n >= 8) {
      size_t i = 0;
      for (; i + 8 <= n; i += 8) h = (h ^ load(p + i, 8)) * 0xff51afd7ed558ccdULL;
      if (i < n) h = (h ^ load(p + n - 8, 8)) * 0xff51afd7ed558ccdULL;  // overlapping tail
    } else if (n >= 4) {
      h ^= load(p, 4) | load(p + n - 4, 4) << 32;
    } else {
      for (size_t i = 0; i < n; ++i) h ^= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    // MurmurHash3's finaliser: every input bit reaches the low bits, which
    // pick the slot.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb93fe53b4ceULL;
    return h ^ (h >> 33);
  }
  // a == b without a call to memcmp for short texts (the usual category).
  static bool SameText(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    if (n > 16) return a == b;
    auto word = [](const char* p, size_t bytes) {
      uint64_t w = 0;
      std::memcpy(&w, p, bytes);
      return w;
    };
    if (n >= 8) {  // two overlapping words cover 8..16 bytes
      return word(a.data(), 8) == word(b.data(), 8) &&
             word(a.data() + n - 8, 8) == word(b.data() + n - 8, 8);
    }
    if (n >= 4) {
      return word(a.data(), 4) == word(b.data(), 4) &&
             word(a.data() + n - 4, 4) == word(b.data() + n - 4, 4);
    }
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  // The code of `text` (hash `h`), or -1.
  int32_t Find(std::string_view text, uint64_t h) const {
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const int32_t c = slots_[i];
      if (c < 0 || (hashes_[c] == h && SameText(keys_[c], text))) return c;
    }
  }
  // Adds `text` as the next code; `text` must outlive the index.
  void Insert(std::string_view text, uint64_t h) {
    keys_.push_back(text);
    hashes_.push_back(h);
    if (keys_.size() * 2 > slots_.size()) {  // at most half full: short probes
      slots_.assign(slots_.size() * 2, -1);
      mask_ = slots_.size() - 1;
      for (size_t c = 0; c < keys_.size(); ++c) Place(hashes_[c], static_cast<int32_t>(c));
    } else {
      Place(h, static_cast<int32_t>(keys_.size() - 1));
    }
  }

 private:
  void Place(uint64_t h, int32_t code) {
    size_t i = h & mask_;
    while (slots_[i] >= 0) i = (i + 1) & mask_;
    slots_[i] = code;
  }
  std::vector<int32_t> slots_ = std::vector<int32_t>(64, -1);
  size_t mask_ = 63;
  std::vector<std::string_view> keys_;
  std::vector<uint64_t> hashes_;
};

// Calls fn(global_row, text, in_scratch) for every present value in order,
// until fn returns false; returns whether it ran to the end. Sets
// (*valid)[global_row] for present values.
template <typename Fn>
bool ForEachPresent(std::string_view text, const std::vector<CsvChunk>& chunks, size_t ncols,
                    size_t col, const MissingTokens& missing, std::vector<uint8_t>* valid,
                    Fn&& fn) {
  std::string scratch;
  size_t g = 0;
  for (const CsvChunk& c : chunks) {
    for (size_t r = 0; r < c.rows(); ++r, ++g) {
      std::string_view raw = RawField(text, c, ncols, r, col);
      std::string_view t = FieldText(raw, &scratch);
      if (IsMissingField(raw, t, missing)) continue;
      (*valid)[g] = 1;
      if (!fn(g, t, t.data() == scratch.data())) return false;
    }
  }
  return true;
}

}  // namespace

Column BuildTextColumn(std::string_view text, const std::vector<CsvChunk>& chunks, size_t ncols,
                       size_t col, size_t total_rows, const std::string& name, DataType type,
                       bool infer_text, const MissingTokens& missing, size_t max_categories) {
  std::vector<uint8_t> valid(total_rows, 0);
  if (type == DataType::kCategorical || infer_text) {
    size_t cap = type == DataType::kCategorical ? SIZE_MAX : max_categories;
    std::vector<int32_t> codes(total_rows, -1);
    CodeIndex index;
    std::vector<std::string> categories;
    std::deque<std::string> owned;  // unescaped keys, at stable addresses
    size_t present = 0;
    bool complete = ForEachPresent(text, chunks, ncols, col, missing, &valid,
                                   [&](size_t g, std::string_view t, bool in_scratch) {
                                     ++present;
                                     const uint64_t h = CodeIndex::Hash(t);
                                     int32_t code = index.Find(t, h);
                                     if (code < 0) {
                                       if (categories.size() >= cap) return false;
                                       if (in_scratch) t = owned.emplace_back(t);
                                       code = static_cast<int32_t>(categories.size());
                                       index.Insert(t, h);
                                       categories.emplace_back(t);
                                     }
                                     codes[g] = code;
                                     return true;
                                   });
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
  ForEachPresent(text, chunks, ncols, col, missing, &valid,
                 [&](size_t g, std::string_view t, bool) {
                   strings[g].assign(t);
                   return true;
                 });
  return Column::String(name, std::move(strings), std::move(valid));
}

}  // namespace mlpipe::table::internal
