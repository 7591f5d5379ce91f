// impute: fills missing values with a statistic of the training data
// (scikit-learn's SimpleImputer), optionally with missing-indicator columns.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "column_util.h"
#include "mlpipe/stats/quantile.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;
using table::DataType;

class Impute final : public Transform {
 public:
  std::string_view name() const override { return "impute"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "strategy", "fill_value", "add_indicator"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(strategy_, Choice(j, "strategy", ctx, "mean",
                                              {"mean", "median", "most_frequent", "constant"}));
    fill_value_ = j.contains("fill_value") ? j["fill_value"] : core::Json();
    if (!fill_value_.is_null() && !fill_value_.is_number() && !fill_value_.is_string()) {
      return InvalidArgumentError(ctx + ".fill_value: expected a number or a string");
    }
    MLPIPE_ASSIGN_OR_RETURN(add_indicator_, core::GetFieldOr<bool>(j, "add_indicator", ctx, false));
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["strategy"] = strategy_;
    if (!fill_value_.is_null()) j["fill_value"] = fill_value_;
    j["add_indicator"] = add_indicator_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(indicators_, RequiredStrings(s, "indicators", ctx));
    MLPIPE_ASSIGN_OR_RETURN(fills_, core::GetField<std::vector<core::Json>>(s, "fills", ctx));
    if (fills_.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ".fills: expected one value per column");
    }
    for (const auto& f : fills_) {
      if (!f.is_number() && !f.is_string()) {
        return InvalidArgumentError(ctx + ".fills: expected numbers or strings");
      }
    }
    return Status::OK();
  }

  core::Json StateJson() const override {
    return {{"columns", columns_}, {"fills", fills_}, {"indicators", indicators_}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    const bool numeric_only = strategy_ == "mean" || strategy_ == "median";
    const uint32_t accepted = numeric_only ? kNumericTypes : kAnyType;
    MLPIPE_ASSIGN_OR_RETURN(
        columns_, ResolveColumns(frame, name(), requested_, accepted, accepted,
                                 "use strategy most_frequent or constant for text columns"));
    fills_.assign(columns_.size(), core::Json());
    indicators_.clear();
    MLPIPE_RETURN_IF_ERROR(ParallelColumns(columns_.size(), [&](size_t k) -> Status {
      const Column& c = frame.column(static_cast<size_t>(frame.Find(columns_[k])));
      MLPIPE_ASSIGN_OR_RETURN(fills_[k], FitOne(c));
      return Status::OK();
    }));
    for (const auto& col_name : columns_) {
      const Column& c = frame.column(static_cast<size_t>(frame.Find(col_name)));
      if (add_indicator_ && c.null_count() > 0) indicators_.push_back(col_name);
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    std::vector<const Column*> in(columns_.size());
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(in[k], RequireColumn(frame, name(), columns_[k], kAnyType, ""));
    }
    std::vector<Column> filled(columns_.size()), missing(columns_.size());
    MLPIPE_RETURN_IF_ERROR(ParallelColumns(columns_.size(), [&](size_t k) -> Status {
      const Column& c = *in[k];
      if (std::find(indicators_.begin(), indicators_.end(), columns_[k]) != indicators_.end()) {
        std::vector<uint8_t> m(c.size());
        const auto& valid = c.validity();
        for (size_t i = 0; i < m.size(); ++i) m[i] = valid[i] == 0;
        missing[k] = Column::Bool(columns_[k] + "_missing", std::move(m));
      }
      MLPIPE_ASSIGN_OR_RETURN(filled[k], FillOne(c, fills_[k]));
      return Status::OK();
    }));
    for (size_t k = 0; k < columns_.size(); ++k) {
      const size_t at = static_cast<size_t>(frame.Find(columns_[k]));
      const bool indicator = !missing[k].name().empty();
      MLPIPE_RETURN_IF_ERROR(frame.Replace(at, std::move(filled[k])));
      if (indicator) MLPIPE_RETURN_IF_ERROR(frame.Insert(at + 1, std::move(missing[k])));
    }
    return Status::OK();
  }

 public:
  // Numeric columns: the fill as a double (float64 out); text columns: the
  // fill text (the type kept); an indicator slot per listed column.
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto k = std::make_unique<RowImpute>();
    for (size_t i = 0; i < columns_.size(); ++i) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in,
                              RequireSlot(compiler, name(), columns_[i], kAnyType, ""));
      const bool numeric = table::IsNumeric(in.type);
      if (numeric != fills_[i].is_number()) {
        return InvalidArgumentError(
            fmt::format("impute: column '{}' is {} but was fitted with fill value {}", columns_[i],
                        table::DataTypeName(in.type), fills_[i].dump()));
      }
      RowImpute::Step st;
      st.in = in.index;
      st.numeric = numeric;
      if (numeric) {
        st.fill_num = fills_[i].get<double>();
      } else {
        k->texts.push_back(std::make_unique<std::string>(fills_[i].get<std::string>()));
        st.fill_text = *k->texts.back();
      }
      const bool indicator =
          std::find(indicators_.begin(), indicators_.end(), columns_[i]) != indicators_.end();
      st.out = compiler.Define(columns_[i], numeric ? DataType::kFloat64 : in.type).index;
      if (indicator) {
        st.indicator =
            static_cast<int64_t>(compiler.Define(columns_[i] + "_missing", DataType::kBool).index);
      }
      k->steps.push_back(st);
    }
    return std::unique_ptr<RowKernel>(std::move(k));
  }

 private:
  struct RowImpute final : RowKernel {
    struct Step {
      uint32_t in = 0, out = 0;
      int64_t indicator = -1;
      bool numeric = true;
      double fill_num = 0;
      std::string_view fill_text;
    };
    std::vector<Step> steps;
    std::vector<std::unique_ptr<std::string>> texts;  // owns the fill texts
    Status Run(RowCell* cells, size_t) const override {
      for (const Step& s : steps) {
        const RowCell a = cells[s.in];
        if (s.indicator >= 0) {
          RowCell& m = cells[s.indicator];
          m.valid = true;
          m.num = a.valid ? 0.0 : 1.0;
        }
        RowCell& b = cells[s.out];
        b.valid = true;
        if (s.numeric) {
          b.num = a.valid ? a.num : s.fill_num;
        } else {
          b.text = a.valid ? a.text : s.fill_text;
        }
      }
      return Status::OK();
    }
  };

  Result<core::Json> FitOne(const Column& c) const {
    const bool numeric = table::IsNumeric(c.type());
    if (strategy_ == "constant") {
      if (fill_value_.is_null()) return numeric ? core::Json(0.0) : core::Json("missing");
      if (numeric != fill_value_.is_number()) {
        return InvalidArgumentError(
            fmt::format("impute: fill_value {} does not suit column '{}' of type {}",
                        fill_value_.dump(), c.name(), table::DataTypeName(c.type())));
      }
      return fill_value_;
    }
    if (c.null_count() == c.size() && !fill_value_.is_null()) {
      // No present value to learn from: fill_value is the fallback.
      if (numeric != fill_value_.is_number()) {
        return InvalidArgumentError(
            fmt::format("impute: fill_value {} does not suit column '{}' of type {}",
                        fill_value_.dump(), c.name(), table::DataTypeName(c.type())));
      }
      return fill_value_;
    }
    if (c.null_count() == c.size()) {
      return InvalidArgumentError(fmt::format(
          "impute: column '{}' has no present value in the training data to compute the {} "
          "(use strategy constant, give a fill_value, or drop the column)",
          c.name(), strategy_));
    }
    if (!numeric) {
      auto counts = CountValues(c);  // sorted by text: ties go to the smallest, as sklearn
      size_t best = 0;
      for (size_t i = 1; i < counts.size(); ++i) {
        if (counts[i].second > counts[best].second) best = i;
      }
      return core::Json(counts[best].first);
    }
    std::vector<double> v = PresentValues(c);
    if (strategy_ == "mean") {
      double sum = 0;
      for (double x : v) sum += x;
      return core::Json(sum / static_cast<double>(v.size()));
    }
    if (strategy_ == "median") {
      const double q = 0.5;
      return core::Json(stats::Quantiles(v, std::span<const double>(&q, 1))[0]);
    }
    std::sort(v.begin(), v.end());  // most_frequent: the smallest of the modes, as scipy.mode
    double best = v[0];
    size_t best_run = 0;
    for (size_t i = 0; i < v.size();) {
      size_t j = i;
      while (j < v.size() && v[j] == v[i]) ++j;
      if (j - i > best_run) {
        best_run = j - i;
        best = v[i];
      }
      i = j;
    }
    return core::Json(best);
  }

  Result<Column> FillOne(const Column& c, const core::Json& fill) const {
    const bool numeric = table::IsNumeric(c.type());
    if (numeric != fill.is_number()) {
      return InvalidArgumentError(
          fmt::format("impute: column '{}' is {} but was fitted with fill value {}", c.name(),
                      table::DataTypeName(c.type()), fill.dump()));
    }
    if (numeric) {
      std::vector<double> v = ValuesOrZero(c);
      const double f = fill.get<double>();
      const auto& valid = c.validity();
      for (size_t i = 0; i < v.size(); ++i) {
        if (!valid[i]) v[i] = f;
      }
      return Column::Float64(c.name(), std::move(v));
    }
    const std::string f = fill.get<std::string>();
    const auto& valid = c.validity();
    if (c.type() == DataType::kString) {
      std::vector<std::string> v = c.strings();
      for (size_t i = 0; i < v.size(); ++i) {
        if (!valid[i]) v[i] = f;
      }
      return Column::String(c.name(), std::move(v));
    }
    std::vector<std::string> cats = c.categories();
    auto it = std::find(cats.begin(), cats.end(), f);
    const int32_t code = static_cast<int32_t>(it - cats.begin());
    if (it == cats.end()) cats.push_back(f);
    std::vector<int32_t> codes = c.codes();
    for (size_t i = 0; i < codes.size(); ++i) {
      if (!valid[i]) codes[i] = code;
    }
    return Column::Categorical(c.name(), std::move(codes), std::move(cats));
  }

  std::optional<std::vector<std::string>> requested_;
  std::string strategy_ = "mean";
  core::Json fill_value_;
  bool add_indicator_ = false;
  // State.
  std::vector<std::string> columns_;
  std::vector<core::Json> fills_;  // number or string, per column
  std::vector<std::string> indicators_;
};

}  // namespace

std::unique_ptr<Transform> NewImpute() { return std::make_unique<Impute>(); }

}  // namespace mlpipe::features::internal
