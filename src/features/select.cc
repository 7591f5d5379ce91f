// Column selection: select, drop and variance_threshold.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "column_util.h"
#include "drop_filter.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

// select (keep) or drop a fixed list of columns.
class SelectOrDrop final : public Transform {
 public:
  explicit SelectOrDrop(bool keep) : keep_(keep) {}
  std::string_view name() const override { return keep_ ? "select" : "drop"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override { return {"columns"}; }
  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(j, "columns", ctx));
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (std::find(columns_.begin(), columns_.begin() + static_cast<std::ptrdiff_t>(i),
                    columns_[i]) != columns_.begin() + static_cast<std::ptrdiff_t>(i)) {
        return InvalidArgumentError(
            fmt::format("{}.columns: '{}' is listed twice", ctx, columns_[i]));
      }
    }
    return Status::OK();
  }
  core::Json ParamsJson() const override { return {{"columns", columns_}}; }
  Status LoadState(const core::Json&, const std::string&) override { return Status::OK(); }
  core::Json StateJson() const override { return core::Json::object(); }

  Status Fit(const Frame& frame, const FitContext&) override {
    for (const auto& c : columns_) MLPIPE_RETURN_IF_ERROR(frame.Get(name(), c).status());
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    if (keep_) return frame.Select(name(), columns_);
    for (const auto& c : columns_) MLPIPE_RETURN_IF_ERROR(frame.Get(name(), c).status());
    frame.Remove(columns_);
    return Status::OK();
  }

 public:
  // Only the bindings change; the kernel does nothing per row.
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    if (keep_) {
      MLPIPE_RETURN_IF_ERROR(compiler.Select(name(), columns_));
    } else {
      for (const auto& c : columns_) MLPIPE_RETURN_IF_ERROR(compiler.Get(name(), c).status());
      compiler.Remove(columns_);
    }
    return NoOpRowKernel();
  }

 private:
  bool keep_;
  std::vector<std::string> columns_;
};

// VarianceThreshold: drops numeric columns whose population variance over
// the present training values is <= threshold (with threshold 0, exactly the
// constant columns).
class VarianceThreshold final : public DropFilter {
 public:
  VarianceThreshold()
      : DropFilter(kNumericTypes, kNumericTypes, 0.0, std::numeric_limits<double>::infinity()) {}
  std::string_view name() const override { return "variance_threshold"; }

 protected:
  Result<std::vector<std::string>> ChooseDropped(
      const Frame& frame, const std::vector<std::string>& columns) const override {
    std::vector<std::string> dropped;
    for (const auto& col : columns) {
      std::vector<double> v = PresentValues(frame.column(static_cast<size_t>(frame.Find(col))));
      double mean = 0, ss = 0, lo = 0, hi = 0;
      if (!v.empty()) {
        for (double x : v) mean += x;
        mean /= static_cast<double>(v.size());
        for (double x : v) ss += (x - mean) * (x - mean);
        const auto [a, b] = std::minmax_element(v.begin(), v.end());
        lo = *a;
        hi = *b;
      }
      const double var = v.empty() ? 0.0 : ss / static_cast<double>(v.size());
      // sklearn also treats a zero peak-to-peak as zero variance (rounding).
      if (var <= threshold() || (threshold() == 0 && hi == lo)) dropped.push_back(col);
    }
    return dropped;
  }
};

}  // namespace

std::unique_ptr<Transform> NewSelect() { return std::make_unique<SelectOrDrop>(true); }
std::unique_ptr<Transform> NewDrop() { return std::make_unique<SelectOrDrop>(false); }
std::unique_ptr<Transform> NewVarianceThreshold() { return std::make_unique<VarianceThreshold>(); }

}  // namespace mlpipe::features::internal
