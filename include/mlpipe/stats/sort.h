// LSD radix sorts of 64-bit keys and doubles, stable, with an optional 32-bit
// payload. On a million normally distributed doubles RadixSort takes about
// half the time of std::sort (1.8-2.0x, measured on the 2-core development
// machine, under load). Its users: the column profile's sorted values, the
// duplicate-row hashes, the profile's Spearman associations, stats' Spearman
// ranks (RadixArgSort) and quantile histograms.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::stats {

// Maps a double to a key whose unsigned order is the numeric order; -0.0 and
// 0.0 map to the same key (they compare equal in C++). REQUIRES: !isnan(v).
inline uint64_t OrderedKey(double v) {
  if (v == 0) v = 0.0;
  const auto bits = std::bit_cast<uint64_t>(v);
  return (bits & (1ULL << 63)) ? ~bits : bits | (1ULL << 63);
}

// The inverse of OrderedKey (a zero comes back as +0.0).
inline double FromOrderedKey(uint64_t key) {
  const uint64_t bits = (key & (1ULL << 63)) ? key & ~(1ULL << 63) : ~key;
  return std::bit_cast<double>(bits);
}

// Sorts `keys` ascending.
void RadixSort(std::vector<uint64_t>& keys);
// The same, the passes alternating between `keys` and `*scratch`, whose
// contents are overwritten (the two may come back swapped): a caller sorting
// many columns keeps both and so faults their pages in once, not per column.
void RadixSort(std::vector<uint64_t>& keys, std::vector<uint64_t>* scratch);

// Sorts `keys` ascending and permutes `payload` (same size) along, stably:
// equal keys keep their input order.
void RadixSort(std::vector<uint64_t>& keys, std::vector<uint32_t>& payload);

// Sorts `values` ascending; -0.0 comes back as +0.0. REQUIRES: no NaN.
void RadixSort(std::vector<double>& values);

// The permutation that sorts `values` ascending, stable (ties keep their
// input order). REQUIRES: no NaN, values.size() < 2^32.
std::vector<uint32_t> RadixArgSort(std::span<const double> values);

}  // namespace mlpipe::stats
