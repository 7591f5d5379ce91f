// LSD radix sort of doubles (internal to the stats module): about 10x
// faster than std::sort on a million values, which Rank (Spearman) and
// QuantileHistogram pay once per column.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace mlpipe::stats::internal {

// Sorts `values` ascending (stable). -0.0 is stored as +0.0 so that the two
// zeros compare equal as they do in C++. REQUIRES: no NaN.
void RadixSort(std::vector<double>& values);

// The permutation that sorts `values` ascending, stable (ties keep their
// input order). REQUIRES: no NaN, values.size() < 2^32.
std::vector<uint32_t> RadixArgSort(std::span<const double> values);

}  // namespace mlpipe::stats::internal
