// clip (winsorising at bounds fitted on training data) and log1p.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "column_util.h"
#include "mlpipe/stats/quantile.h"
#include "numeric_map.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

class Clip final : public Transform {
 public:
  std::string_view name() const override { return "clip"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "method", "lower", "upper", "k"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(method_, Choice(j, "method", ctx, "quantile", {"quantile", "iqr"}));
    MLPIPE_ASSIGN_OR_RETURN(lower_, core::GetFieldOr<double>(j, "lower", ctx, 0.01));
    MLPIPE_ASSIGN_OR_RETURN(upper_, core::GetFieldOr<double>(j, "upper", ctx, 0.99));
    MLPIPE_ASSIGN_OR_RETURN(k_, core::GetFieldOr<double>(j, "k", ctx, 1.5));
    if (!(0 <= lower_ && lower_ < upper_ && upper_ <= 1)) {
      return InvalidArgumentError(ctx + ": expected 0 <= lower < upper <= 1 (quantiles)");
    }
    if (!(k_ >= 0)) return InvalidArgumentError(ctx + ".k: expected a number >= 0");
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["method"] = method_;
    j["lower"] = lower_;
    j["upper"] = upper_;
    j["k"] = k_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(lo_, NumsFromJson(s.value("low", core::Json()), ctx + ".low"));
    MLPIPE_ASSIGN_OR_RETURN(hi_, NumsFromJson(s.value("high", core::Json()), ctx + ".high"));
    if (lo_.size() != columns_.size() || hi_.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ": expected one low and one high bound per column");
    }
    return Status::OK();
  }

  core::Json StateJson() const override {
    return {{"columns", columns_}, {"low", lo_}, {"high", hi_}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, ResolveColumns(frame, name(), requested_, kNumericTypes,
                                                     kInt64Bit | kFloat64Bit, "encode it first"));
    lo_.clear();
    hi_.clear();
    for (const auto& col : columns_) {
      std::vector<double> v = PresentValues(frame.column(static_cast<size_t>(frame.Find(col))));
      if (v.empty()) {
        return InvalidArgumentError(
            fmt::format("clip: column '{}' has no present value in the training data", col));
      }
      if (method_ == "quantile") {
        const double qs[2] = {lower_, upper_};
        auto q = stats::Quantiles(v, qs);
        lo_.push_back(q[0]);
        hi_.push_back(q[1]);
      } else {
        const double qs[2] = {0.25, 0.75};
        auto q = stats::Quantiles(v, qs);
        const double iqr = q[1] - q[0];
        lo_.push_back(q[0] - k_ * iqr);
        hi_.push_back(q[1] + k_ * iqr);
      }
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    return MapNumericColumns(
        frame, name(), columns_,
        [&](size_t k, double& x) {
          if (!std::isnan(x)) x = std::clamp(x, lo_[k], hi_[k]);
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    return CompileNumericMap(
        compiler, name(), columns_,
        [lo = lo_, hi = hi_](size_t k, double& x) {
          if (!std::isnan(x)) x = std::clamp(x, lo[k], hi[k]);
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 private:
  std::optional<std::vector<std::string>> requested_;
  std::string method_ = "quantile";
  double lower_ = 0.01, upper_ = 0.99, k_ = 1.5;
  std::vector<std::string> columns_;
  std::vector<double> lo_, hi_;
};

class Log1p final : public Transform {
 public:
  std::string_view name() const override { return "log1p"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override { return {"columns"}; }
  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(j, "columns", ctx));
    return Status::OK();
  }
  core::Json ParamsJson() const override { return {{"columns", columns_}}; }
  Status LoadState(const core::Json&, const std::string&) override { return Status::OK(); }
  core::Json StateJson() const override { return core::Json::object(); }

  Status Fit(const Frame& frame, const FitContext&) override {
    for (const auto& col : columns_) {
      MLPIPE_RETURN_IF_ERROR(
          RequireColumn(frame, name(), col, kNumericTypes, "encode it first").status());
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    return MapNumericColumns(
        frame, name(), columns_,
        [](size_t, double& x) {
          if (x <= -1) return false;
          x = std::log1p(x);
          return true;
        },
        [&](size_t k, size_t row, double x) {
          return InvalidArgumentError(fmt::format(
              "log1p: column '{}' row {}: value {} is <= -1 (log1p is undefined; clip or shift "
              "the column first)",
              columns_[k], row, x));
        });
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    return CompileNumericMap(
        compiler, name(), columns_,
        [](size_t, double& x) {
          if (x <= -1) return false;
          x = std::log1p(x);
          return true;
        },
        [columns = columns_](size_t k, size_t row, double x) {
          return InvalidArgumentError(fmt::format(
              "log1p: column '{}' row {}: value {} is <= -1 (log1p is undefined; clip or shift "
              "the column first)",
              columns[k], row, x));
        });
  }

 private:
  std::vector<std::string> columns_;
};

}  // namespace

std::unique_ptr<Transform> NewClip() { return std::make_unique<Clip>(); }
std::unique_ptr<Transform> NewLog1p() { return std::make_unique<Log1p>(); }

}  // namespace mlpipe::features::internal
