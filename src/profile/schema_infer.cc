// InferSchema: a schema that the reference table itself passes, and that a
// fresh sample of the same source passes too: a little slack on the missing
// share, and ranges recorded as observed (observed_min/observed_max), which
// validation reports as a warning unless a value lies far outside. Categories
// are the observed ones: a new category is what validation exists to point
// out.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/profile/schema.h"

namespace mlpipe::profile {
namespace {

using table::Column;
using table::DataType;

void InferRange(const Column& col, ColumnSchema& out) {
  bool any = false;
  double lo = 0, hi = 0;
  for (size_t r = 0; r < col.size(); ++r) {
    if (!col.IsValid(r)) continue;
    double v = col.NumericAt(r);
    if (std::isnan(v)) continue;
    if (!any || v < lo) lo = v;
    if (!any || v > hi) hi = v;
    any = true;
  }
  if (!any) return;
  out.observed_min = lo;
  out.observed_max = hi;
}

std::vector<std::string> PresentCategories(const Column& col) {
  std::vector<uint8_t> used(col.categories().size(), 0);
  for (size_t r = 0; r < col.size(); ++r) {
    if (col.IsValid(r)) used[static_cast<size_t>(col.codes()[r])] = 1;
  }
  std::vector<std::string> cats;
  for (size_t i = 0; i < used.size(); ++i) {
    if (used[i]) cats.push_back(col.categories()[i]);
  }
  std::sort(cats.begin(), cats.end());
  // A dictionary may hold the same text twice after Take() or a merge.
  cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
  return cats;
}

}  // namespace

Status InferSchemaOptions::Validate() const {
  if (!(min_missing_slack >= 0.0 && min_missing_slack <= 1.0)) {
    return InvalidArgumentError(
        fmt::format("min_missing_slack: {} is outside [0, 1]", min_missing_slack));
  }
  if (!(relative_missing_slack >= 0.0 && std::isfinite(relative_missing_slack))) {
    return InvalidArgumentError(fmt::format(
        "relative_missing_slack: {} must be a finite number >= 0", relative_missing_slack));
  }
  return Status::OK();
}

double MissingShareBound(double observed_share, const InferSchemaOptions& options) {
  observed_share = std::max(0.0, observed_share);
  double slack =
      std::max(options.min_missing_slack, options.relative_missing_slack * observed_share);
  // Round up to hundredths; the epsilon keeps 0.07 (stored as 0.07000000000000001) at 0.07.
  double bound = std::ceil((observed_share + slack) * 100.0 - 1e-9) / 100.0;
  if (!(bound > 0.0)) return 0.0;  // no slack on a complete column; and never -0
  return std::min(1.0, bound);
}

Result<Schema> InferSchema(const table::Table& table, const InferSchemaOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  Schema schema;
  for (const Column& col : table.columns()) {
    ColumnSchema c;
    c.name = col.name();
    c.type = col.type();
    c.required = options.required;
    double share = col.size() == 0
                       ? 0.0
                       : static_cast<double>(col.null_count()) / static_cast<double>(col.size());
    c.max_missing_share = MissingShareBound(share, options);
    if (col.type() == DataType::kCategorical) c.categories = PresentCategories(col);
    if (col.type() == DataType::kInt64 || col.type() == DataType::kFloat64) InferRange(col, c);
    schema.columns.push_back(std::move(c));
  }
  MLPIPE_RETURN_IF_ERROR(schema.Check("inferred schema"));
  return schema;
}

}  // namespace mlpipe::profile
