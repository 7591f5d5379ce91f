// Internal pieces of the EDA profile, shared between its .cc files and tests.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "mlpipe/profile/profile.h"
#include "mlpipe/table/table.h"

namespace mlpipe::profile::internal {

// What the association and target passes need from a column, kept from the
// per-column pass so that nothing is computed twice.
struct ColumnData {
  enum class Kind { kNumeric, kCategorical, kNone };
  Kind kind = Kind::kNone;
  // kNumeric: the mean of the present values (a shift that keeps the
  // association sums well conditioned).
  double mean = 0;
  // kCategorical (categorical and bool columns): the number of codes.
  int32_t num_codes = 0;
};

// Buffers that ProfileColumn and CountDuplicateRows reuse from one task to
// the next, one set per thread: the pages of a large column's sort are
// faulted in once, not once per column.
struct ProfileScratch {
  std::vector<double> values;
  std::vector<uint64_t> keys;
  std::vector<uint64_t> sort_buffer;
};

// Profiles one column; fills `data` for later passes when it is not null.
// `scratch` may be null (buffers of its own).
ColumnProfile ProfileColumn(const table::Column& column, const ProfileOptions& options,
                            ColumnData* data, ProfileScratch* scratch = nullptr);

// Rows equal to an earlier row in every column (missing equals missing), as
// pandas DataFrame.duplicated().sum(). Rows are hashed to 64 bits and rows
// with equal hashes are compared value by value, so the count is exact.
// `scratch` may be null (buffers of its own).
uint64_t CountDuplicateRows(const table::Table& table, ProfileScratch* scratch = nullptr);

// Associations between the columns described by `data` (same order as the
// table), on every row or, above options.association_sample_rows rows, on a
// fixed pseudo-random sample of about that many rows.
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
