// bin: KBinsDiscretizer(encode="ordinal") with strategy quantile or uniform.
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

class Bin final : public Transform {
 public:
  std::string_view name() const override { return "bin"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "method", "n_bins"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(method_, Choice(j, "method", ctx, "quantile", {"quantile", "uniform"}));
    MLPIPE_ASSIGN_OR_RETURN(n_bins_, core::GetFieldOr<int>(j, "n_bins", ctx, 5));
    if (n_bins_ < 2) return InvalidArgumentError(ctx + ".n_bins: expected an integer >= 2");
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["method"] = method_;
    j["n_bins"] = n_bins_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    auto it = s.find("edges");
    if (it == s.end() || !it->is_array() || it->size() != columns_.size()) {
      return InvalidArgumentError(ctx + ".edges: expected one list of bin edges per column");
    }
    edges_.clear();
    for (size_t k = 0; k < it->size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(auto e, NumsFromJson((*it)[k], fmt::format("{}.edges[{}]", ctx, k)));
      if (e.size() < 2) return InvalidArgumentError(ctx + ".edges: a column needs >= 2 edges");
      edges_.push_back(std::move(e));
    }
    return Status::OK();
  }

  core::Json StateJson() const override { return {{"columns", columns_}, {"edges", edges_}}; }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, ResolveColumns(frame, name(), requested_, kNumericTypes,
                                                     kInt64Bit | kFloat64Bit, "encode it first"));
    edges_.clear();
    for (const auto& col : columns_) {
      std::vector<double> v = PresentValues(frame.column(static_cast<size_t>(frame.Find(col))));
      if (v.empty()) {
        return InvalidArgumentError(
            fmt::format("bin: column '{}' has no present value in the training data", col));
      }
      std::vector<double> e(static_cast<size_t>(n_bins_) + 1);
      if (method_ == "uniform") {
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        // numpy.linspace(lo, hi, n + 1): lo + i * step, last edge exactly hi.
        const double step = (*hi - *lo) / n_bins_;
        for (size_t i = 0; i < e.size(); ++i) e[i] = *lo + static_cast<double>(i) * step;
        e.back() = *hi;
      } else {
        // numpy.percentile(v, linspace(0, 100, n + 1)).
        std::vector<double> qs(e.size());
        const double step = 100.0 / n_bins_;
        for (size_t i = 0; i < qs.size(); ++i) qs[i] = static_cast<double>(i) * step / 100.0;
        qs.back() = 1.0;
        e = stats::Quantiles(v, qs);
        // Bins narrower than 1e-8 are removed, as KBinsDiscretizer does.
        std::vector<double> kept = {e[0]};
        for (size_t i = 1; i < e.size(); ++i) {
          if (e[i] - kept.back() > 1e-8) kept.push_back(e[i]);
        }
        if (kept.size() < 2) kept.push_back(e.back());  // a constant column: one bin
        e = std::move(kept);
      }
      edges_.push_back(std::move(e));
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    return MapNumericColumns(
        frame, name(), columns_,
        [&](size_t k, double& x) {
          if (std::isnan(x)) return true;
          // np.digitize(x + eps, edges[1:]) clipped to [0, n_bins - 1].
          const auto& e = edges_[k];
          const double shifted = x + (1e-8 + 1e-5 * std::abs(x));
          const size_t bin = static_cast<size_t>(std::upper_bound(e.begin() + 1, e.end(), shifted) -
                                                 (e.begin() + 1));
          x = static_cast<double>(std::min(bin, e.size() - 2));
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    return CompileNumericMap(
        compiler, name(), columns_,
        [edges = edges_](size_t k, double& x) {
          if (std::isnan(x)) return true;
          const auto& e = edges[k];
          const double shifted = x + (1e-8 + 1e-5 * std::abs(x));
          const size_t bin = static_cast<size_t>(std::upper_bound(e.begin() + 1, e.end(), shifted) -
                                                 (e.begin() + 1));
          x = static_cast<double>(std::min(bin, e.size() - 2));
          return true;
        },
        [](size_t, size_t, double) { return Status::OK(); });
  }

 private:
  std::optional<std::vector<std::string>> requested_;
  std::string method_ = "quantile";
  int n_bins_ = 5;
  std::vector<std::string> columns_;
  std::vector<std::vector<double>> edges_;
};

}  // namespace

std::unique_ptr<Transform> NewBin() { return std::make_unique<Bin>(); }

}  // namespace mlpipe::features::internal
