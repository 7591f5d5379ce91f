// correlation_filter: greedy removal of redundant numeric columns. Columns are
// visited in frame order; one is kept unless its |Pearson r| with an already
// kept column exceeds `threshold` (r over the rows where both are present; an
// undefined r, e.g. a constant column, never removes). Deterministic.
#include <cmath>

#include <fmt/format.h>

#include "column_util.h"
#include "mlpipe/stats/association.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

class CorrelationFilter final : public Transform {
 public:
  std::string_view name() const override { return "correlation_filter"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override { return {"columns", "threshold"}; }
  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(threshold_, core::GetFieldOr<double>(j, "threshold", ctx, 0.95));
    if (!(threshold_ >= 0 && threshold_ <= 1)) {
      return InvalidArgumentError(ctx + ".threshold: expected a number in [0, 1]");
    }
    return Status::OK();
  }
  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["threshold"] = threshold_;
    return j;
  }
  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(dropped_, RequiredStrings(s, "dropped", ctx));
    return Status::OK();
  }
  core::Json StateJson() const override { return {{"dropped", dropped_}}; }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(auto columns,
                            ResolveColumns(frame, name(), requested_, kNumericTypes,
                                           kInt64Bit | kFloat64Bit, "encode it first"));
    dropped_.clear();
    std::vector<size_t> kept;  // indices into `columns`
    std::vector<std::vector<double>> values;
    std::vector<const std::vector<uint8_t>*> valid;
    for (const auto& col : columns) {
      const auto& c = frame.column(static_cast<size_t>(frame.Find(col)));
      values.push_back(ValuesOrZero(c));
      valid.push_back(&c.validity());
    }
    std::vector<double> x, y;
    for (size_t a = 0; a < columns.size(); ++a) {
      bool drop = false;
      for (size_t b : kept) {
        x.clear();
        y.clear();
        for (size_t i = 0; i < values[a].size(); ++i) {
          if ((*valid[a])[i] && (*valid[b])[i]) {
            x.push_back(values[a][i]);
            y.push_back(values[b][i]);
          }
        }
        const double r = stats::Pearson(x, y);
        if (!std::isnan(r) && std::abs(r) > threshold_) {
          drop = true;
          break;
        }
      }
      if (drop) {
        dropped_.push_back(columns[a]);
      } else {
        kept.push_back(a);
      }
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    for (const auto& c : dropped_) MLPIPE_RETURN_IF_ERROR(frame.Get(name(), c).status());
    frame.Remove(dropped_);
    return Status::OK();
  }

 private:
  std::optional<std::vector<std::string>> requested_;
  double threshold_ = 0.95;
  std::vector<std::string> dropped_;
};

}  // namespace

std::unique_ptr<Transform> NewCorrelationFilter() { return std::make_unique<CorrelationFilter>(); }

}  // namespace mlpipe::features::internal
