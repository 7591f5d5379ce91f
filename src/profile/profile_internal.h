// Internal pieces of the EDA profile, shared between its .cc files and tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "mlpipe/profile/profile.h"
#include "mlpipe/table/table.h"

namespace mlpipe::profile::internal {

// A 64-bit key with the row it came from.
struct KeyRow {
  uint64_t key;
  uint32_t row;
};

// Sorts by key, stably (equal keys keep their order), with an LSD radix sort
// that skips the digits in which all keys agree.
void RadixSort(std::vector<KeyRow>& items);

// Maps a double to a key whose unsigned order is the numeric order
// (-0.0 and 0.0 map to the same key). REQUIRES: !isnan(v).
uint64_t OrderedKey(double v);
double FromOrderedKey(uint64_t key);

// What the association and target passes need from a column, kept from the
// per-column pass so that nothing is computed twice.
struct ColumnData {
  enum class Kind { kNumeric, kCategorical, kNone };
  Kind kind = Kind::kNone;
  // kNumeric: the value per row (NaN when missing) and the average rank
  // (1-based) among the column's present values (NaN when missing).
  std::vector<double> values;
  std::vector<double> ranks;
  double mean = 0;       // of the present values (a shift that keeps sums well conditioned)
  double rank_mean = 0;  // of the ranks: (present + 1) / 2
  // kCategorical (categorical and bool columns): the code per row (-1 when
  // missing) and the number of codes.
  std::vector<int32_t> codes;
  int32_t num_codes = 0;
};

// Profiles one column; fills `data` for later passes when it is not null.
ColumnProfile ProfileColumn(const table::Column& column, const ProfileOptions& options,
                            ColumnData* data);

// Rows equal to an earlier row in every column (missing equals missing), as
// pandas DataFrame.duplicated().sum(). Rows are hashed to 64 bits and rows
// with equal hashes are compared value by value, so the count is exact.
uint64_t CountDuplicateRows(const table::Table& table);

// Associations between the columns described by `data` (same order as the table).
AssociationSummary ComputeAssociations(const table::Table& table,
                                       const std::vector<ColumnData>& data,
                                       const ProfileOptions& options);

// The target balance and the rate per group of each protected column.
// NotFound / InvalidArgument as ProfileTable().
Status ComputeTargetAndGroups(const table::Table& table, const std::vector<ColumnProfile>& columns,
                              const ProfileOptions& options, TableProfile* out);

}  // namespace mlpipe::profile::internal

namespace mlpipe::profile::internal {

// The column predicates behind both the warnings and TableProfile's lists.
bool IsConstant(const ColumnProfile& c);
bool IsLikelyIdentifier(const ColumnProfile& c, const WarningThresholds& t);
bool IsHighCardinality(const ColumnProfile& c, const WarningThresholds& t);

}  // namespace mlpipe::profile::internal
