#include "drop_filter.h"

#include <cmath>

#include <fmt/format.h>

#include "column_util.h"
#include "row_util.h"

namespace mlpipe::features::internal {

DropFilter::DropFilter(uint32_t accepted, uint32_t defaults, double default_threshold,
                       double max_threshold)
    : accepted_(accepted),
      defaults_(defaults),
      default_threshold_(default_threshold),
      max_threshold_(max_threshold),
      threshold_(default_threshold) {}

std::vector<std::string_view> DropFilter::ParamKeys() const { return {"columns", "threshold"}; }

Status DropFilter::LoadParams(const core::Json& j, const std::string& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
  MLPIPE_ASSIGN_OR_RETURN(threshold_,
                          core::GetFieldOr<double>(j, "threshold", ctx, default_threshold_));
  if (std::isinf(max_threshold_)) {
    if (!(threshold_ >= 0)) return InvalidArgumentError(ctx + ".threshold: expected >= 0");
  } else if (!(threshold_ >= 0 && threshold_ <= max_threshold_)) {
    return InvalidArgumentError(
        fmt::format("{}.threshold: expected a number in [0, {:g}]", ctx, max_threshold_));
  }
  return Status::OK();
}

core::Json DropFilter::ParamsJson() const {
  core::Json j;
  if (requested_) j["columns"] = *requested_;
  j["threshold"] = threshold_;
  return j;
}

Status DropFilter::LoadState(const core::Json& s, const std::string& ctx) {
  MLPIPE_ASSIGN_OR_RETURN(dropped_, RequiredStrings(s, "dropped", ctx));
  return Status::OK();
}

core::Json DropFilter::StateJson() const { return {{"dropped", dropped_}}; }

Status DropFilter::Fit(const Frame& frame, const FitContext&) {
  MLPIPE_ASSIGN_OR_RETURN(auto columns, ResolveColumns(frame, name(), requested_, accepted_,
                                                       defaults_, "encode it first"));
  MLPIPE_ASSIGN_OR_RETURN(dropped_, ChooseDropped(frame, columns));
  return Status::OK();
}

Status DropFilter::DoApply(Frame& frame) const {
  for (const auto& c : dropped_) MLPIPE_RETURN_IF_ERROR(frame.Get(name(), c).status());
  frame.Remove(dropped_);
  return Status::OK();
}

}  // namespace mlpipe::features::internal

namespace mlpipe::features::internal {

Result<std::unique_ptr<RowKernel>> DropFilter::CompileRow(RowCompiler& compiler) const {
  for (const auto& c : dropped_) MLPIPE_RETURN_IF_ERROR(compiler.Get(name(), c).status());
  compiler.Remove(dropped_);
  return NoOpRowKernel();
}

}  // namespace mlpipe::features::internal
