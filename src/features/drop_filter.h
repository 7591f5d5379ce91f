// Internal: the shape shared by the filters that drop columns chosen at fit
// time (variance_threshold, correlation_filter). Parameters: optional
// "columns" (default: every column of the default types) and "threshold";
// state: the "dropped" list, which applying removes from the frame.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mlpipe/features/transform.h"

namespace mlpipe::features::internal {

class DropFilter : public Transform {
 protected:
  // `accepted`/`defaults` are type bit sets (column_util.h) as for
  // ResolveColumns; the threshold must lie in [0, max_threshold] (no upper
  // bound when max_threshold is infinite).
  DropFilter(uint32_t accepted, uint32_t defaults, double default_threshold, double max_threshold);

  // The columns among `columns` (resolved, in frame order) to drop; called by
  // Fit with the frame the filter is fitted on.
  virtual Result<std::vector<std::string>> ChooseDropped(
      const Frame& frame, const std::vector<std::string>& columns) const = 0;
  double threshold() const { return threshold_; }

  std::vector<std::string_view> ParamKeys() const final;
  Status LoadParams(const core::Json& j, const std::string& ctx) final;
  core::Json ParamsJson() const final;
  Status LoadState(const core::Json& s, const std::string& ctx) final;
  core::Json StateJson() const final;
  Status Fit(const Frame& frame, const FitContext& ctx) final;
  Status DoApply(Frame& frame) const final;

 public:
  // Unbinds the dropped columns; nothing runs per row.
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const final;

 private:
  uint32_t accepted_;
  uint32_t defaults_;
  double default_threshold_;
  double max_threshold_;
  std::optional<std::vector<std::string>> requested_;
  double threshold_;
  std::vector<std::string> dropped_;
};

}  // namespace mlpipe::features::internal
