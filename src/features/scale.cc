// scale: standard (StandardScaler), minmax (MinMaxScaler) and robust
// (RobustScaler) scaling fitted on the present training values.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "column_util.h"
#include "mlpipe/stats/quantile.h"
#include "numeric_map.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

// sklearn's _handle_zeros_in_scale: a spread this small scales by 1.
double NonZeroScale(double s) {
  return std::abs(s) < 10 * std::numeric_limits<double>::epsilon() ? 1.0 : s;
}

class Scale final : public Transform {
 public:
  std::string_view name() const override { return "scale"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "method", "feature_range", "quantile_range"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(method_,
                            Choice(j, "method", ctx, "standard", {"standard", "minmax", "robust"}));
    if (j.contains("feature_range")) {
      MLPIPE_ASSIGN_OR_RETURN(feature_range_,
                              NumsFromJson(j["feature_range"], ctx + ".feature_range"));
    }
    if (j.contains("quantile_range")) {
      MLPIPE_ASSIGN_OR_RETURN(quantile_range_,
                              NumsFromJson(j["quantile_range"], ctx + ".quantile_range"));
    }
    if (feature_range_.size() != 2 || !(feature_range_[0] < feature_range_[1])) {
      return InvalidArgumentError(ctx + ".feature_range: expected [min, max] with min < max");
    }
    if (quantile_range_.size() != 2 || !(0 <= quantile_range_[0]) ||
        !(quantile_range_[0] < quantile_range_[1]) || !(quantile_range_[1] <= 100)) {
      return InvalidArgumentError(
          ctx + ".quantile_range: expected [low, high] percentages with 0 <= low < high <= 100");
    }
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["method"] = method_;
    j["feature_range"] = feature_range_;
    j["quantile_range"] = quantile_range_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(offset_,
                            NumsFromJson(s.value("offset", core::Json()), ctx + ".offset"));
    MLPIPE_ASSIGN_OR_RETURN(factor_,
                            NumsFromJson(s.value("factor", core::Json()), ctx + ".factor"));
    if (offset_.size() != columns_.size() || factor_.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ": expected one offset and one factor per column");
    }
    return Status::OK();
  }

  core::Json StateJson() const override {
    return {{"columns", columns_}, {"offset", offset_}, {"factor", factor_}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(
        columns_, ResolveColumns(frame, name(), requested_, kNumericTypes, kInt64Bit | kFloat64Bit,
                                 "encode it first, e.g. one_hot"));
    offset_.assign(columns_.size(), 0.0);
    factor_.assign(columns_.size(), 1.0);
    return ParallelColumns(columns_.size(), [&](size_t k) -> Status {
      const auto& c = frame.column(static_cast<size_t>(frame.Find(columns_[k])));
      std::vector<double> v = PresentValues(c);
      if (v.empty()) {
        return InvalidArgumentError(fmt::format(
            "scale: column '{}' has no present value in the training data", columns_[k]));
      }
      if (method_ == "standard") {
        double sum = 0;
        for (double x : v) sum += x;
        const double mean = sum / static_cast<double>(v.size());
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        offset_[k] = mean;
        factor_[k] = NonZeroScale(std::sqrt(ss / static_cast<double>(v.size())));
      } else if (method_ == "minmax") {
        double lo = v[0], hi = v[0];
        for (double x : v) {
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
        // out = x * factor + offset, as MinMaxScaler's scale_ and min_.
        factor_[k] = (feature_range_[1] - feature_range_[0]) / NonZeroScale(hi - lo);
        offset_[k] = feature_range_[0] - lo * factor_[k];
      } else {
        const double qs[3] = {0.5, quantile_range_[0] / 100.0, quantile_range_[1] / 100.0};
        std::vector<double> q = stats::Quantiles(v, qs);
        offset_[k] = q[0];
        factor_[k] = NonZeroScale(q[2] - q[1]);
      }
      return Status::OK();
    });
  }

  Status DoApply(Frame& frame) const override {
    const bool minmax = method_ == "minmax";
    return MapNumericColumns(
        frame, name(), columns_,
        [&](size_t k, double& x) {
          x = minmax ? x * factor_[k] + offset_[k] : (x - offset_[k]) / factor_[k];
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    const bool minmax = method_ == "minmax";
    return CompileNumericMap(
        compiler, name(), columns_,
        [minmax, offset = offset_, factor = factor_](size_t k, double& x) {
          x = minmax ? x * factor[k] + offset[k] : (x - offset[k]) / factor[k];
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 private:
  std::optional<std::vector<std::string>> requested_;
  std::string method_ = "standard";
  std::vector<double> feature_range_ = {0.0, 1.0};
  std::vector<double> quantile_range_ = {25.0, 75.0};
  // State: standard/robust out = (x - offset) / factor; minmax out = x * factor + offset.
  std::vector<std::string> columns_;
  std::vector<double> offset_, factor_;
};

}  // namespace

std::unique_ptr<Transform> NewScale() { return std::make_unique<Scale>(); }

}  // namespace mlpipe::features::internal
