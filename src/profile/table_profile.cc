// ProfileTable: the per-column pass in parallel, then the whole-table figures
// (duplicates, associations, target and groups), then the warning rules.
#include <fmt/format.h>

#include "mlpipe/core/env.h"
#include "mlpipe/core/log.h"
#include "mlpipe/core/progress.h"
#include "mlpipe/core/thread_pool.h"
#include "mlpipe/profile/profile.h"
#include "profile_internal.h"

namespace mlpipe::profile {

Status ProfileOptions::Validate() const {
  if (histogram_bins < 1 || histogram_bins > 1000) {
    return InvalidArgumentError(
        fmt::format("histogram_bins: {} is outside [1, 1000]", histogram_bins));
  }
  if (max_association_categories < 2) {
    return InvalidArgumentError("max_association_categories: must be at least 2");
  }
  if (max_protected_groups < 1) {
    return InvalidArgumentError("max_protected_groups: must be at least 1");
  }
  if (thresholds.missing_share < 0 || thresholds.missing_share > 1) {
    return InvalidArgumentError("thresholds.missing_share: must be in [0, 1]");
  }
  return Status::OK();
}

Result<TableProfile> ProfileTable(const table::Table& table, const ProfileOptions& options,
                                  std::string source) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  if (!options.target.empty()) {
    MLPIPE_RETURN_IF_ERROR(table.GetColumn(options.target).status().WithContext("--target"));
  }
  for (const std::string& name : options.protected_columns) {
    MLPIPE_RETURN_IF_ERROR(table.GetColumn(name).status().WithContext("--protected"));
  }
  if (table.num_rows() >= (uint64_t{1} << 32)) {
    return InvalidArgumentError("the profile supports at most 2^32 - 1 rows");
  }

  TableProfile out;
  out.source = std::move(source);
  out.rows = table.num_rows();
  const size_t m = table.num_columns();
  out.columns.resize(m);
  std::vector<internal::ColumnData> data(m);
  {
    // Columns plus the two whole-table passes.
    core::Progress progress("profiling", m + 2, "steps");
    if (!options.show_progress) progress.Finish();
    core::Env* env = core::Env::Default();
    int64_t t0 = env->NowMicros();
    core::ThreadPool::Shared().ParallelFor(
        m,
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            out.columns[i] = internal::ProfileColumn(table.column(i), options, &data[i]);
            progress.Add(1);
          }
        },
        m);
    int64_t t1 = env->NowMicros();
    out.duplicate_rows = internal::CountDuplicateRows(table);
    progress.Add(1);
    int64_t t2 = env->NowMicros();
    out.associations = internal::ComputeAssociations(table, data, options);
    progress.Add(1);
    int64_t t3 = env->NowMicros();
    core::LogDebug("profile: columns {:.3f} s, duplicates {:.3f} s, associations {:.3f} s",
                   (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
  }
  for (const auto& c : out.columns) {
    out.missing_cells += c.missing;
    if (internal::IsConstant(c)) out.constant_columns.push_back(c.name);
    if (internal::IsHighCardinality(c, options.thresholds) ||
        internal::IsLikelyIdentifier(c, options.thresholds)) {
      out.high_cardinality_columns.push_back(c.name);
    }
  }
  MLPIPE_RETURN_IF_ERROR(internal::ComputeTargetAndGroups(table, out.columns, options, &out));
  out.warnings = CheckWarnings(out, options);
  return out;
}

}  // namespace mlpipe::profile
