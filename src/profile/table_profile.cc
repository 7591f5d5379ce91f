// ProfileTable: the per-column pass and the duplicate count in parallel, then
// the associations, target and groups, then the warning rules.
#include <algorithm>
#include <atomic>

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
    // One list of tasks, the duplicate count and the columns, dealt out
    // largest first (numeric columns sort; the rest only count) so that both
    // cores stay busy to the end. The associations need the columns' means.
    constexpr size_t kDuplicates = SIZE_MAX;
    std::vector<std::pair<uint64_t, size_t>> tasks;  // (cost, column or kDuplicates)
    tasks.push_back({UINT64_MAX, kDuplicates});
    for (size_t i = 0; i < m; ++i) {
      const table::Column& c = table.column(i);
      const uint64_t present = c.size() - c.null_count();
      tasks.push_back({table::IsNumeric(c.type()) ? 4 * present : present, i});
    }
    std::stable_sort(tasks.begin(), tasks.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    // One lane per pool thread, the calling thread being one of them (more
    // threads than cores would only take turns), each taking the next task
    // until none is left, with buffers of its own reused across its tasks.
    core::ThreadPool& pool = core::ThreadPool::Shared();
    const size_t lanes = std::min(pool.size(), tasks.size());
    std::vector<internal::ProfileScratch> scratch(lanes);
    std::atomic<size_t> next{0};
    int64_t t_dup = 0;
    pool.ParallelFor(
        lanes,
        [&](size_t lane, size_t) {
          for (size_t k; (k = next.fetch_add(1)) < tasks.size();) {
            const size_t i = tasks[k].second;
            if (i == kDuplicates) {
              int64_t d0 = env->NowMicros();
              out.duplicate_rows = internal::CountDuplicateRows(table, &scratch[lane]);
              t_dup = env->NowMicros() - d0;
            } else {
              out.columns[i] =
                  internal::ProfileColumn(table.column(i), options, &data[i], &scratch[lane]);
            }
            progress.Add(1);
          }
        },
        lanes);
    int64_t t2 = env->NowMicros();
    out.associations = internal::ComputeAssociations(table, data, options);
    progress.Add(1);
    int64_t t3 = env->NowMicros();
    core::LogDebug(
        "profile: columns and duplicates {:.3f} s (duplicates {:.3f} s of it), associations "
        "{:.3f} s",
        (t2 - t0) / 1e6, t_dup / 1e6, (t3 - t2) / 1e6);
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
