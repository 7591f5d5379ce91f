#include "csv_scan.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mlpipe/core/thread_pool.h"

namespace mlpipe::table::internal {
namespace {

constexpr size_t kMaxChunkBytes = std::numeric_limits<uint32_t>::max();

// Counts the unquoted occurrences of `delim` on each of the first lines.
std::vector<size_t> CountsPerLine(std::string_view text, char delim, size_t max_lines) {
  std::vector<size_t> counts;
  size_t count = 0;
  bool in_quotes = false, line_has_text = false;
  for (size_t i = 0; i < text.size() && counts.size() < max_lines; ++i) {
    char c = text[i];
    if (c == '"') {
      in_quotes = !in_quotes;
    } else if (!in_quotes && (c == '\n' || c == '\r')) {
      if (line_has_text) counts.push_back(count);
      count = 0;
      line_has_text = false;
      continue;
    } else if (!in_quotes && c == delim) {
      ++count;
    }
    line_has_text = true;
  }
  // A last line without terminator counts only when it is the only one seen.
  if (line_has_text && counts.empty()) counts.push_back(count);
  return counts;
}

// Finds the delimiter, CR and LF bytes with a bit mask per 64-byte block:
// fields are short (a few bytes), so one mask serves many fields and each
// field end costs a count-trailing-zeros instead of a word scan.
class SpecialFinder {
 public:
  SpecialFinder(const char* end, char delim, const std::array<bool, 256>& special)
      : end_(end), delim_(delim), special_(special) {}

  // The first delimiter, CR or LF at or after `p`, or `end`. REQUIRES: `p`
  // is not before the `p` of the previous call.
  const char* Next(const char* p) {
    while (true) {
      if (block_ != nullptr && p - block_ < 64) {  // p never moves back: p >= block_
        const uint64_t m = mask_ & (~uint64_t{0} << (p - block_));
        if (m != 0) return block_ + __builtin_ctzll(m);
        p = block_ + 64;
      }
      if (end_ - p < 64) {
        while (p < end_ && !special_[static_cast<unsigned char>(*p)]) ++p;
        return p;
      }
      block_ = p;
      mask_ = Mask(p);
    }
  }

 private:
  uint64_t Mask(const char* p) const {
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delim_), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    uint64_t m = 0;
    for (int i = 0; i < 4; ++i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, lf)),
                                       _mm_cmpeq_epi8(v, cr));
      m |= static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(hit))) << (16 * i);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) {
      m |= static_cast<uint64_t>(special_[static_cast<unsigned char>(p[i])]) << i;
    }
    return m;
#endif
  }

  const char* const end_;
  const char delim_;
  const std::array<bool, 256>& special_;
  const char* block_ = nullptr;  // the 64 bytes `mask_` describes
  uint64_t mask_ = 0;
};

}  // namespace

std::string_view QuotedFieldText(std::string_view raw, std::string* scratch) {
  std::string_view body = raw.substr(1);
  size_t q = body.find('"');
  if (q == std::string_view::npos) return body;  // cannot happen after ParseRows
  if (q + 1 == body.size()) return body.substr(0, q);
  scratch->clear();
  size_t i = 0;
  while (true) {
    q = body.find('"', i);
    scratch->append(body.substr(i, q - i));
    if (q + 1 < body.size() && body[q + 1] == '"') {
      scratch->push_back('"');
      i = q + 2;
      continue;
    }
    scratch->append(body.substr(q + 1));  // bytes after the closing quote
    return *scratch;
  }
}

char DetectDelimiter(std::string_view text) {
  char best = ',';
  size_t best_count = 0;
  bool best_consistent = false;
  for (char d : {',', ';', '\t', '|'}) {
    std::vector<size_t> counts = CountsPerLine(text, d, 20);
    if (counts.empty() || counts[0] == 0) continue;
    bool consistent =
        std::all_of(counts.begin(), counts.end(), [&](size_t c) { return c == counts[0]; });
    if ((consistent && !best_consistent) ||
        (consistent == best_consistent && counts[0] > best_count)) {
      best = d;
      best_count = counts[0];
      best_consistent = consistent;
    }
  }
  return best;
}

void ParseRows(std::string_view text, size_t begin, size_t soft_end, char delim, size_t ncols,
               size_t max_rows, CsvChunk* chunk) {
  std::array<bool, 256> special{};
  special[static_cast<unsigned char>(delim)] = true;
  special['\n'] = special['\r'] = true;

  const char* const data = text.data();
  const char* const end = data + text.size();
  const char* const base = data + begin;
  const char* p = base;
  chunk->base = begin;
  if (ncols > 0) {
    // Room for fields of 4 bytes on average (delimiter included), more than
    // most data files need: growing past it would copy the index and fault
    // in pages twice, while reserved room never touched costs nothing.
    size_t est = std::min(soft_end, text.size()) - begin;
    chunk->ends.reserve(est / 4 + ncols);
    chunk->row_starts.reserve(est / (4 * ncols) + 1);
  }
  auto rel = [base](const char* q) { return static_cast<uint32_t>(q - base); };
  SpecialFinder finder(end, delim, special);

  while (p < end && static_cast<size_t>(p - data) < soft_end && chunk->rows() < max_rows) {
    if (*p == '\n' || *p == '\r') {  // blank line
      p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
      continue;
    }
    const char* row_start = p;
    size_t fields = 0;
    while (true) {
      if (p < end && *p == '"') {
        const char* q = p + 1;
        while (true) {
          q = static_cast<const char*>(std::memchr(q, '"', end - q));
          if (q == nullptr) {
            chunk->error = {ScanError::Kind::kUnterminated, static_cast<size_t>(p - data), 0};
            chunk->end = text.size();
            return;
          }
          if (q + 1 < end && q[1] == '"') {
            q += 2;
            continue;
          }
          break;
        }
        p = q + 1;
      }
      p = finder.Next(p);
      if (static_cast<size_t>(p - base) > kMaxChunkBytes) {
        chunk->error = {ScanError::Kind::kTooLarge, static_cast<size_t>(row_start - data), 0};
        chunk->end = text.size();
        return;
      }
      chunk->ends.push_back(rel(p));
      ++fields;
      if (p == end) break;
      char c = *p++;
      if (c == delim) continue;
      if (c == '\r' && p < end && *p == '\n') ++p;
      break;
    }
    if (ncols > 0 && fields != ncols) {
      chunk->error = {ScanError::Kind::kRagged, static_cast<size_t>(row_start - data), fields};
      chunk->end = static_cast<size_t>(p - data);
      return;
    }
    chunk->row_starts.push_back(rel(row_start));
  }
  chunk->end = static_cast<size_t>(p - data);
}

size_t FindInvalidUtf8(std::string_view text, size_t begin, size_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = begin;
  while (i < end) {
    // ASCII runs 32 bytes per step (four words OR-ed: one test, one branch).
    while (i + 32 <= end) {
      uint64_t w[4];
      std::memcpy(w, s + i, 32);
      if (((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) != 0) break;
      i += 32;
    }
    // The loop above may stop exactly at `end`: s[end] is not ours to read.
    if (i == end) break;
    if (i + 8 <= end) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > end) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

void RunParallel(core::ThreadPool* pool, size_t n, const std::function<void(size_t)>& fn) {
  if (pool == nullptr || n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  // One lane per pool thread, the calling thread being one of them, each
  // taking the next index until none is left: more threads than cores would
  // only take turns, each evicting the others' data from the caches.
  const size_t lanes = std::min(pool->size(), n);
  std::atomic<size_t> next{0};
  pool->ParallelFor(
      lanes,
      [&](size_t, size_t) {
        for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
      },
      lanes);
}

namespace {

// Parses one chunk and checks its bytes for UTF-8.
void ParseChunk(std::string_view text, size_t begin, size_t soft_end, char delim, size_t ncols,
                CsvChunk* chunk) {
  ParseRows(text, begin, soft_end, delim, ncols, std::numeric_limits<size_t>::max(), chunk);
  size_t bad = FindInvalidUtf8(text, begin, chunk->end);
  if (bad != std::string_view::npos &&
      (chunk->error.kind == ScanError::Kind::kNone || bad < chunk->error.pos))
    chunk->error = {ScanError::Kind::kUtf8, bad, 0};
}

// Guesses row starts near `parts` evenly spaced offsets: after an LF preceded
// by an even number of quote characters since `begin`.
std::vector<size_t> GuessBoundaries(std::string_view text, size_t begin, size_t parts,
                                    core::ThreadPool* pool) {
  size_t n = text.size() - begin;
  std::vector<size_t> quotes(parts, 0);  // quotes in each part
  RunParallel(pool, parts, [&](size_t i) {
    const char* b = text.data() + begin + n * i / parts;
    const char* e = text.data() + begin + n * (i + 1) / parts;
    size_t count = 0;  // memchr skips quote-free stretches fast
    while ((b = static_cast<const char*>(std::memchr(b, '"', e - b))) != nullptr) ++count, ++b;
    quotes[i] = count;
  });
  std::vector<size_t> bounds = {begin};
  size_t parity = 0;
  for (size_t i = 1; i < parts; ++i) {
    parity += quotes[i - 1];
    size_t p = begin + n * i / parts;
    if (p < bounds.back()) continue;  // inside the row found for an earlier part
    size_t odd = parity & 1;
    while (p < text.size()) {
      char c = text[p++];
      if (c == '"') odd ^= 1;
      if (c == '\n' && odd == 0) break;
    }
    if (p < text.size() && p > bounds.back()) bounds.push_back(p);
  }
  bounds.push_back(text.size());
  return bounds;
}

}  // namespace

void ScanChunks(std::string_view text, size_t begin, char delim, size_t ncols, size_t chunk_bytes,
                core::ThreadPool* pool, std::vector<CsvChunk>* chunks) {
  chunks->clear();
  if (begin >= text.size()) return;
  chunk_bytes = std::clamp<size_t>(chunk_bytes, 1, kMaxChunkBytes / 2);
  size_t parts = (text.size() - begin + chunk_bytes - 1) / chunk_bytes;
  std::vector<size_t> bounds = GuessBoundaries(text, begin, parts, pool);
  std::vector<CsvChunk> guessed(bounds.size() - 1);
  RunParallel(pool, guessed.size(), [&](size_t i) {
    ParseChunk(text, bounds[i], bounds[i + 1], delim, ncols, &guessed[i]);
  });
  // Appends a chunk, numbering its rows after those kept before; false when
  // it ends in an error.
  size_t rows = 0;
  auto keep = [&](CsvChunk&& c) {
    c.first_row = rows;
    rows += c.rows();
    chunks->push_back(std::move(c));
    return chunks->back().error.kind == ScanError::Kind::kNone;
  };
  // Keep chunks while their starts are proven row starts (the first is; each
  // next one is when the previous chunk ended exactly there).
  size_t pos = begin;
  for (size_t i = 0; i < guessed.size(); ++i) {
    if (!keep(std::move(guessed[i]))) return;
    pos = chunks->back().end;
    if (pos != bounds[i + 1]) break;
  }
  // A guess was wrong (quotes inside unquoted fields): go on sequentially.
  while (pos < text.size()) {
    CsvChunk c;
    ParseChunk(text, pos, pos + chunk_bytes, delim, ncols, &c);
    pos = c.end;
    if (!keep(std::move(c))) return;
  }
}

}  // namespace mlpipe::table::internal
