#include <array>

#include "mlpipe/stats/sort.h"

namespace mlpipe::stats {
namespace {

// 11-bit digits: six passes cover 64 bits and a pass's 2,048 counters stay in
// L1. Digits on which all keys agree (the high bits of values of one sign and
// magnitude) are skipped, so typical columns take four or five passes.
constexpr int kBits = 11;
constexpr int kPasses = 6;
constexpr size_t kBuckets = size_t{1} << kBits;

// LSD passes over keys and an optional payload, alternating with `kbuf`,
// with every digit's counts taken in one read of the keys.
void Sort(std::vector<uint64_t>& keys, std::vector<uint64_t>& kbuf,
          std::vector<uint32_t>* payload) {
  const size_t n = keys.size();
  if (n < 2) return;
  std::vector<std::array<uint32_t, kBuckets>> hist(kPasses);
  for (auto& h : hist) h.fill(0);
  for (uint64_t k : keys) {
    for (int p = 0; p < kPasses; ++p) ++hist[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  kbuf.resize(n);
  std::vector<uint32_t> pbuf(payload ? n : 0);
  for (int p = 0; p < kPasses; ++p) {
    auto& h = hist[p];
    const int shift = p * kBits;
    if (h[(keys[0] >> shift) & (kBuckets - 1)] == n) continue;  // one bucket: no-op
    uint32_t sum = 0;
    for (auto& c : h) {
      const uint32_t t = c;
      c = sum;
      sum += t;
    }
    const uint64_t* src = keys.data();
    uint64_t* dst = kbuf.data();
    if (payload) {
      const uint32_t* psrc = payload->data();
      uint32_t* pdst = pbuf.data();
      for (size_t i = 0; i < n; ++i) {
        const uint32_t pos = h[(src[i] >> shift) & (kBuckets - 1)]++;
        dst[pos] = src[i];
        pdst[pos] = psrc[i];
      }
      payload->swap(pbuf);
    } else {
      for (size_t i = 0; i < n; ++i) dst[h[(src[i] >> shift) & (kBuckets - 1)]++] = src[i];
    }
    keys.swap(kbuf);
  }
}

}  // namespace

void RadixSort(std::vector<uint64_t>& keys) {
  std::vector<uint64_t> kbuf;
  Sort(keys, kbuf, nullptr);
}

void RadixSort(std::vector<uint64_t>& keys, std::vector<uint64_t>* scratch) {
  Sort(keys, *scratch, nullptr);
}

void RadixSort(std::vector<uint64_t>& keys, std::vector<uint32_t>& payload) {
  std::vector<uint64_t> kbuf;
  Sort(keys, kbuf, &payload);
}

void RadixSort(std::vector<double>& values) {
  std::vector<uint64_t> keys(values.size());
  for (size_t i = 0; i < values.size(); ++i) keys[i] = OrderedKey(values[i]);
  std::vector<uint64_t> kbuf;
  Sort(keys, kbuf, nullptr);
  for (size_t i = 0; i < values.size(); ++i) values[i] = FromOrderedKey(keys[i]);
}

std::vector<uint32_t> RadixArgSort(std::span<const double> values) {
  std::vector<uint64_t> keys(values.size());
  std::vector<uint32_t> order(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    keys[i] = OrderedKey(values[i]);
    order[i] = static_cast<uint32_t>(i);
  }
  std::vector<uint64_t> kbuf;
  Sort(keys, kbuf, &order);
  return order;
}

}  // namespace mlpipe::stats
