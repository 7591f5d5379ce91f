#include "radix_sort.h"

#include <array>
#include <bit>
#include <cstring>

namespace mlpipe::stats::internal {
namespace {

constexpr int kBits = 11;
constexpr int kPasses = 6;  // 6 x 11 >= 64
constexpr size_t kBuckets = size_t{1} << kBits;

// Maps a double to an unsigned key with the same order (IEEE-754 total
// order with the sign handled: negatives reversed).
uint64_t Key(double v) {
  if (v == 0) v = 0.0;  // -0.0 and +0.0 sort as one value
  const auto bits = std::bit_cast<uint64_t>(v);
  return (bits & 0x8000000000000000ULL) ? ~bits : (bits | 0x8000000000000000ULL);
}

double FromKey(uint64_t k) {
  const uint64_t bits = (k & 0x8000000000000000ULL) ? (k & ~0x8000000000000000ULL) : ~k;
  return std::bit_cast<double>(bits);
}

// Histograms of every digit in one pass over the keys.
std::array<std::array<size_t, kBuckets>, kPasses> Histograms(const std::vector<uint64_t>& keys) {
  std::array<std::array<size_t, kBuckets>, kPasses> h{};
  for (uint64_t k : keys) {
    for (int p = 0; p < kPasses; ++p) ++h[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  return h;
}

// LSD passes over keys (and an optional payload), skipping digits that are
// the same for every key.
void Sort(std::vector<uint64_t>& keys, std::vector<uint32_t>* payload) {
  const size_t n = keys.size();
  if (n < 2) return;
  auto hist = Histograms(keys);
  std::vector<uint64_t> kbuf(n);
  std::vector<uint32_t> pbuf(payload ? n : 0);
  for (int p = 0; p < kPasses; ++p) {
    auto& h = hist[p];
    const int shift = p * kBits;
    if (h[(keys[0] >> shift) & (kBuckets - 1)] == n) continue;  // one bucket: no-op
    size_t sum = 0;
    for (auto& c : h) {
      const size_t t = c;
      c = sum;
      sum += t;
    }
    for (size_t i = 0; i < n; ++i) {
      const size_t pos = h[(keys[i] >> shift) & (kBuckets - 1)]++;
      kbuf[pos] = keys[i];
      if (payload) pbuf[pos] = (*payload)[i];
    }
    keys.swap(kbuf);
    if (payload) payload->swap(pbuf);
  }
}

}  // namespace

void RadixSort(std::vector<double>& values) {
  std::vector<uint64_t> keys(values.size());
  for (size_t i = 0; i < values.size(); ++i) keys[i] = Key(values[i]);
  Sort(keys, nullptr);
  for (size_t i = 0; i < values.size(); ++i) values[i] = FromKey(keys[i]);
}

std::vector<uint32_t> RadixArgSort(std::span<const double> values) {
  std::vector<uint64_t> keys(values.size());
  std::vector<uint32_t> order(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    keys[i] = Key(values[i]);
    order[i] = static_cast<uint32_t>(i);
  }
  Sort(keys, &order);
  return order;
}

}  // namespace mlpipe::stats::internal
