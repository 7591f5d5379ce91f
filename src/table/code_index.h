// CodeIndex: text → dictionary code for building categorical columns
// (internal to the table module).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace mlpipe::table::internal {

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

}  // namespace mlpipe::table::internal
