// Internal: applies a per-value function to numeric columns, producing float64
// columns with the same validity (missing stays missing).
#pragma once

#include <string>
#include <vector>

#include "column_util.h"

namespace mlpipe::features::internal {

// For each k, replaces column `columns[k]` by f(k, x) of its present values.
// `f` returns a Status through `bad` to abort (e.g. a value outside a domain):
// f(k, row, x, &out) -> bool ok; on false, `error(k, row, x)` builds the Status.
template <typename F, typename E>
Status MapNumericColumns(Frame& frame, std::string_view transform,
                         const std::vector<std::string>& columns, F&& f, E&& error) {
  std::vector<const table::Column*> in(columns.size());
  for (size_t k = 0; k < columns.size(); ++k) {
    MLPIPE_ASSIGN_OR_RETURN(
        in[k], RequireColumn(frame, transform, columns[k], kNumericTypes, "encode it first"));
  }
  std::vector<table::Column> out(columns.size());
  MLPIPE_RETURN_IF_ERROR(ParallelColumns(columns.size(), [&](size_t k) -> Status {
    const table::Column& c = *in[k];
    std::vector<double> v = ValuesOrZero(c);
    const auto& valid = c.validity();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!valid[i]) continue;
      if (!f(k, v[i])) return error(k, i, v[i]);
    }
    out[k] = table::Column::Float64(c.name(), std::move(v), valid);
    return Status::OK();
  }));
  for (size_t k = 0; k < columns.size(); ++k) {
    MLPIPE_RETURN_IF_ERROR(
        frame.Replace(static_cast<size_t>(frame.Find(columns[k])), std::move(out[k])));
  }
  return Status::OK();
}

}  // namespace mlpipe::features::internal
