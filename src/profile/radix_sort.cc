#include <array>
#include <bit>
#include <cstring>

#include "profile_internal.h"

namespace mlpipe::profile::internal {

uint64_t OrderedKey(double v) {
  if (v == 0) v = 0.0;  // -0.0 sorts and counts as 0.0
  uint64_t bits = std::bit_cast<uint64_t>(v);
  return (bits & (1ULL << 63)) ? ~bits : bits | (1ULL << 63);
}

double FromOrderedKey(uint64_t key) {
  uint64_t bits = (key & (1ULL << 63)) ? key & ~(1ULL << 63) : ~key;
  return std::bit_cast<double>(bits);
}

void RadixSort(std::vector<KeyRow>& items) {
  constexpr int kBits = 11;
  constexpr int kPasses = (64 + kBits - 1) / kBits;
  constexpr size_t kBuckets = size_t{1} << kBits;
  const size_t n = items.size();
  if (n < 2) return;
  // One read of the input counts the digits of every pass.
  std::vector<std::array<uint32_t, kBuckets>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (const KeyRow& it : items) {
    for (int p = 0; p < kPasses; ++p) ++counts[p][(it.key >> (p * kBits)) & (kBuckets - 1)];
  }
  std::vector<KeyRow> scratch(n);
  std::vector<KeyRow>* from = &items;
  std::vector<KeyRow>* to = &scratch;
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    uint64_t first = ((*from)[0].key >> (p * kBits)) & (kBuckets - 1);
    if (c[first] == n) continue;  // every key has the same digit here
    std::array<uint32_t, kBuckets> offset;
    uint32_t sum = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      offset[b] = sum;
      sum += c[b];
    }
    KeyRow* dst = to->data();
    for (const KeyRow& it : *from) dst[offset[(it.key >> (p * kBits)) & (kBuckets - 1)]++] = it;
    std::swap(from, to);
  }
  if (from != &items) items.swap(scratch);
}

}  // namespace mlpipe::profile::internal
