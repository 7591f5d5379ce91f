// Duplicate rows: a 64-bit hash per row (built column by column over row
// chunks in parallel), a radix sort of the hashes, and a value-by-value
// comparison of rows whose hashes are equal, so that the count is exact.
//
// A column folds into the row hash with one xor and one multiplication by an
// odd constant, a bijection of the hash for a given value, so rows that
// differ in one column always hash apart; the full mix runs once per row, at
// the end.
#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

#include "mlpipe/core/thread_pool.h"
#include "mlpipe/stats/sort.h"
#include "profile_internal.h"

namespace mlpipe::profile::internal {
namespace {

using table::Column;
using table::DataType;

// The 64-bit finaliser of MurmurHash3: a good mix for combining.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb93fe53b4ceULL;
  h ^= h >> 33;
  return h;
}

constexpr uint64_t kMissing = 0x6d697373696e6721ULL;

uint64_t HashBytes(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t ValueHash(const Column& c, size_t r) {
  if (!c.IsValid(r)) return kMissing;
  switch (c.type()) {
    case DataType::kBool:
      return c.bools()[r];
    case DataType::kInt64:
      return static_cast<uint64_t>(c.int64s()[r]);
    case DataType::kFloat64: {
      double v = c.float64s()[r];
      if (v == 0) v = 0.0;
      if (v != v) return kMissing;  // NaN is missing, as in pandas
      return std::bit_cast<uint64_t>(v);
    }
    case DataType::kCategorical:
      return static_cast<uint64_t>(c.codes()[r]);
    case DataType::kString:
      return HashBytes(c.strings()[r]);
  }
  return 0;
}

bool ValuesEqual(const Column& c, size_t a, size_t b) {
  bool va = c.IsValid(a), vb = c.IsValid(b);
  if (c.type() == DataType::kFloat64) {  // NaN counts as missing
    va = va && c.float64s()[a] == c.float64s()[a];
    vb = vb && c.float64s()[b] == c.float64s()[b];
  }
  if (!va || !vb) return va == vb;
  switch (c.type()) {
    case DataType::kBool:
      return c.bools()[a] == c.bools()[b];
    case DataType::kInt64:
      return c.int64s()[a] == c.int64s()[b];
    case DataType::kFloat64:
      return c.float64s()[a] == c.float64s()[b];
    case DataType::kCategorical:
      return c.codes()[a] == c.codes()[b];
    case DataType::kString:
      return c.strings()[a] == c.strings()[b];
  }
  return false;
}

bool RowsEqual(const table::Table& t, size_t a, size_t b) {
  for (const Column& c : t.columns()) {
    if (!ValuesEqual(c, a, b)) return false;
  }
  return true;
}

// Combines column `c`'s values of rows [begin, end) into their hashes, the
// type switch outside the row loop.
void HashColumn(const Column& c, size_t begin, size_t end, uint64_t* h) {
  auto combine = [&](auto&& value_hash) {
    for (size_t r = begin; r < end; ++r) {
      h[r] = (h[r] ^ (c.IsValid(r) ? value_hash(r) : kMissing)) * 0x9e3779b97f4a7c15ULL;
    }
  };
  switch (c.type()) {
    case DataType::kFloat64: {
      const double* v = c.float64s().data();
      combine([v](size_t r) {
        double x = v[r];
        if (x == 0) x = 0.0;
        if (x != x) return kMissing;  // NaN is missing, as in pandas
        return std::bit_cast<uint64_t>(x);
      });
      break;
    }
    case DataType::kInt64: {
      const int64_t* v = c.int64s().data();
      combine([v](size_t r) { return static_cast<uint64_t>(v[r]); });
      break;
    }
    case DataType::kCategorical: {
      const int32_t* v = c.codes().data();
      combine([v](size_t r) { return static_cast<uint64_t>(v[r]); });
      break;
    }
    default:
      combine([&c](size_t r) { return ValueHash(c, r); });
      break;
  }
}

}  // namespace

uint64_t CountDuplicateRows(const table::Table& table, ProfileScratch* scratch) {
  const size_t n = table.num_rows();
  if (n < 2 || table.num_columns() == 0) return 0;
  std::vector<uint64_t> hashes(n);
  core::ThreadPool::Shared().ParallelFor(
      n,
      [&](size_t begin, size_t end) {
        std::fill(hashes.begin() + begin, hashes.begin() + end, 0x243f6a8885a308d3ULL);
        for (const Column& c : table.columns()) HashColumn(c, begin, end, hashes.data());
        for (size_t r = begin; r < end; ++r) hashes[r] = Mix(hashes[r]);
      },
      64);
  // Most tables have few duplicates: sort the hashes alone, then carry rows
  // only for the rows whose hash repeats.
  ProfileScratch own;
  if (scratch == nullptr) scratch = &own;
  std::vector<uint64_t>& keys = scratch->keys;
  keys.assign(hashes.begin(), hashes.end());
  stats::RadixSort(keys, &scratch->sort_buffer);
  std::vector<uint64_t> repeated;
  for (size_t i = 1; i < n; ++i) {
    if (keys[i] == keys[i - 1] && (repeated.empty() || repeated.back() != keys[i]))
      repeated.push_back(keys[i]);
  }
  if (repeated.empty()) return 0;
  keys.clear();
  std::vector<uint32_t> rows;
  for (size_t r = 0; r < n; ++r) {
    if (std::binary_search(repeated.begin(), repeated.end(), hashes[r])) {
      keys.push_back(hashes[r]);
      rows.push_back(static_cast<uint32_t>(r));
    }
  }
  stats::RadixSort(keys, rows);  // stable: rows of equal hash stay in row order
  uint64_t duplicates = 0;
  std::vector<uint32_t> distinct;  // rows of the current hash run that differ from each other
  for (size_t i = 0; i < keys.size();) {
    size_t j = i + 1;
    while (j < keys.size() && keys[j] == keys[i]) ++j;
    distinct.assign(1, rows[i]);
    for (size_t k = i + 1; k < j; ++k) {
      bool dup = false;
      for (uint32_t d : distinct) {
        if (RowsEqual(table, d, rows[k])) {
          dup = true;
          break;
        }
      }
      if (dup) {
        ++duplicates;
      } else {
        distinct.push_back(rows[k]);  // a true 64-bit collision
      }
    }
    i = j;
  }
  return duplicates;
}

}  // namespace mlpipe::profile::internal
