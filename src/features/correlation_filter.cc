// correlation_filter: greedy removal of redundant numeric columns. Columns are
// visited in frame order; one is kept unless its |Pearson r| with an already
// kept column exceeds `threshold` (r over the rows where both are present; an
// undefined r, e.g. a constant column, never removes). Deterministic.
#include <cmath>

#include "column_util.h"
#include "drop_filter.h"
#include "mlpipe/stats/association.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

class CorrelationFilter final : public DropFilter {
 public:
  CorrelationFilter() : DropFilter(kNumericTypes, kInt64Bit | kFloat64Bit, 0.95, 1.0) {}
  std::string_view name() const override { return "correlation_filter"; }

 protected:
  Result<std::vector<std::string>> ChooseDropped(
      const Frame& frame, const std::vector<std::string>& columns) const override {
    std::vector<std::string> dropped;
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
        if (!std::isnan(r) && std::abs(r) > threshold()) {
          drop = true;
          break;
        }
      }
      if (drop) {
        dropped.push_back(columns[a]);
      } else {
        kept.push_back(a);
      }
    }
    return dropped;
  }
};

}  // namespace

std::unique_ptr<Transform> NewCorrelationFilter() { return std::make_unique<CorrelationFilter>(); }

}  // namespace mlpipe::features::internal
