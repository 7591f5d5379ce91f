// Validate: one pass per column over the present values. Each value is judged
// by its content against the schema type (validate.h), so that a CSV column
// inferred as categorical because of one stray "abc" still gets every other
// value range-checked, and the stray value is reported with its row.
#include "mlpipe/profile/validate.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>

#include "mlpipe/core/message.h"

namespace mlpipe::profile {
namespace {

using table::Column;
using table::DataType;

// Counts offending values of one kind and keeps the first few as examples.
class Collector {
 public:
  Collector(AnomalyKind kind, size_t max_examples) : max_examples_(max_examples) {
    anomaly_.kind = kind;
  }
  // `row` is 0-based.
  void Add(size_t row, std::string value) {
    if (anomaly_.examples.size() < max_examples_)
      anomaly_.examples.push_back({row + 1, core::ClipForMessage(value)});
    ++anomaly_.count;
  }
  // The anomaly with its column and message (even when no value was added).
  Anomaly Finish(const std::string& column, std::string message) {
    anomaly_.column = column;
    anomaly_.message = std::move(message);
    return std::move(anomaly_);
  }
  // Appends Finish(...) to `out` when any value was added.
  void Emit(const std::string& column, std::string message, std::vector<Anomaly>& out) {
    if (anomaly_.count > 0) out.push_back(Finish(column, std::move(message)));
  }
  size_t count() const { return anomaly_.count; }

 private:
  size_t max_examples_;
  Anomaly anomaly_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> ParseNumber(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || s[0] == '+') return std::nullopt;
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ptr != s.data() + s.size()) return std::nullopt;
  if (r.ec == std::errc::result_out_of_range) {
    // As the CSV reader does: overflow gives +-inf, underflow a denormal or 0.
    return std::strtod(std::string(s).c_str(), nullptr);
  }
  if (r.ec != std::errc()) return std::nullopt;
  return v;
}

bool IsInt64Value(double v) {
  // [-2^63, 2^63): the doubles that convert to int64 exactly.
  return std::isfinite(v) && std::floor(v) == v && v >= -9223372036854775808.0 &&
         v < 9223372036854775808.0;
}

std::optional<double> ParseBoolText(std::string_view s) {
  s = Trim(s);
  auto eq = [&s](std::string_view lower) {
    return s.size() == lower.size() &&
           std::equal(s.begin(), s.end(), lower.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  };
  if (eq("true")) return 1.0;
  if (eq("false")) return 0.0;
  return std::nullopt;
}

// The value of `text` under a bool, int64 or float64 schema; nullopt when it is
// not of that type.
std::optional<double> JudgeText(std::string_view text, DataType schema_type) {
  if (schema_type == DataType::kBool) return ParseBoolText(text);
  std::string_view t = Trim(text);
  if (schema_type == DataType::kInt64) {
    int64_t i = 0;
    std::string_view digits = !t.empty() && t[0] == '+' ? t.substr(1) : t;
    auto r = std::from_chars(digits.data(), digits.data() + digits.size(), i);
    if (!digits.empty() && r.ec == std::errc() && r.ptr == digits.data() + digits.size())
      return static_cast<double>(i);
  }
  std::optional<double> v = ParseNumber(t);
  if (v && schema_type == DataType::kInt64 && !IsInt64Value(*v)) return std::nullopt;
  return v;
}

// The value of a numeric data value under a bool, int64 or float64 schema.
std::optional<double> JudgeNumber(const Column& col, size_t row, DataType schema_type) {
  if (col.type() == DataType::kBool) {
    // true/false are not numbers; only a bool schema takes them.
    if (schema_type == DataType::kBool) return col.NumericAt(row);
    return std::nullopt;
  }
  double v = col.NumericAt(row);
  switch (schema_type) {
    case DataType::kBool:
      return std::nullopt;
    case DataType::kInt64:
      if (col.type() == DataType::kInt64 || IsInt64Value(v)) return v;
      return std::nullopt;
    default:
      return v;
  }
}

// "3 values are not integers", "1 value is not an integer".
std::string NotOfType(size_t n, DataType type) {
  std::string_view one = type == DataType::kBool    ? "true or false"
                         : type == DataType::kInt64 ? "an integer"
                                                    : "a number";
  std::string_view many = type == DataType::kBool    ? "true or false"
                          : type == DataType::kInt64 ? "integers"
                                                     : "numbers";
  return n == 1 ? fmt::format("1 value is not {}", one)
                : fmt::format("{} values are not {}", n, many);
}

std::string RangeText(const ColumnSchema& cs) {
  if (cs.min && cs.max) return fmt::format("outside [{}, {}]", *cs.min, *cs.max);
  if (cs.min) return fmt::format("below min {}", *cs.min);
  return fmt::format("above max {}", *cs.max);
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Where a value stands against a column's ranges: a bound a person wrote
// (min/max) speaks first; only values within it are held against the
// observed range, so that each value is reported once.
enum class RangeVerdict { kInside, kOutOfRange, kFarOutsideObserved, kOutsideObserved };

class RangeJudge {
 public:
  explicit RangeJudge(const ColumnSchema& cs) : cs_(cs), far_(FarOutsideLimits(cs)) {}

  bool active() const { return cs_.min || cs_.max || cs_.observed_min; }

  // NaN compares false both ways: like InferSchema, the ranges ignore it.
  RangeVerdict operator()(double v) const {
    if ((cs_.min && v < *cs_.min) || (cs_.max && v > *cs_.max)) return RangeVerdict::kOutOfRange;
    if (!cs_.observed_min || !(v < *cs_.observed_min || v > *cs_.observed_max)) {
      return RangeVerdict::kInside;
    }
    if (far_ && (v < far_->first || v > far_->second)) return RangeVerdict::kFarOutsideObserved;
    return RangeVerdict::kOutsideObserved;
  }

 private:
  const ColumnSchema& cs_;
  std::optional<std::pair<double, double>> far_;
};

std::string ObservedText(const ColumnSchema& cs) {
  return fmt::format("the observed range [{}, {}]", *cs.observed_min, *cs.observed_max);
}

// bool / int64 / float64 schema: type_mismatch, out_of_range and the
// observed-range kinds.
void CheckTyped(const Column& col, const ColumnSchema& cs, const ValidateOptions& opt,
                std::vector<Anomaly>& out) {
  Collector mismatch(AnomalyKind::kTypeMismatch, opt.max_examples);
  Collector range(AnomalyKind::kOutOfRange, opt.max_examples);
  Collector far(AnomalyKind::kFarOutsideObservedRange, opt.max_examples);
  Collector outside(AnomalyKind::kOutsideObservedRange, opt.max_examples);
  const RangeJudge judge(cs);
  // Categorical data: judge each category's text once.
  std::vector<std::optional<double>> by_code;
  if (col.type() == DataType::kCategorical) {
    for (const std::string& c : col.categories()) by_code.push_back(JudgeText(c, cs.type));
  }
  for (size_t r = 0; r < col.size(); ++r) {
    if (!col.IsValid(r)) continue;
    std::optional<double> v;
    if (table::IsNumeric(col.type())) {
      v = JudgeNumber(col, r, cs.type);
    } else if (col.type() == DataType::kCategorical) {
      v = by_code[static_cast<size_t>(col.codes()[r])];
    } else {
      v = JudgeText(col.TextAt(r), cs.type);
    }
    if (!v) {
      mismatch.Add(r, col.ToStringAt(r));
      continue;
    }
    if (!judge.active()) continue;
    switch (judge(*v)) {
      case RangeVerdict::kInside:
        break;
      case RangeVerdict::kOutOfRange:
        range.Add(r, col.ToStringAt(r));
        break;
      case RangeVerdict::kFarOutsideObserved:
        far.Add(r, col.ToStringAt(r));
        break;
      case RangeVerdict::kOutsideObserved:
        outside.Add(r, col.ToStringAt(r));
        break;
    }
  }
  std::string_view type = table::DataTypeName(cs.type);
  mismatch.Emit(cs.name,
                fmt::format("expected {}; {} (the data column reads as {})", type,
                            NotOfType(mismatch.count(), cs.type), table::DataTypeName(col.type())),
                out);
  if (cs.min || cs.max) {
    range.Emit(cs.name,
               fmt::format("{} {}", Plural(range.count(), "value", "values"), RangeText(cs)), out);
  }
  if (!cs.observed_min) return;
  if (auto limits = FarOutsideLimits(cs)) {
    far.Emit(cs.name,
             fmt::format("{} far outside {}: beyond [{}, {}] ({} widths of it on each side)",
                         Plural(far.count(), "value", "values"), ObservedText(cs), limits->first,
                         limits->second, kFarOutsideWidths),
             out);
  }
  outside.Emit(cs.name,
               fmt::format("{} outside {} of the reference data",
                           Plural(outside.count(), "value", "values"), ObservedText(cs)),
               out);
}

void CheckCategories(const Column& col, const ColumnSchema& cs, const ValidateOptions& opt,
                     std::vector<Anomaly>& out) {
  if (!cs.categories) return;
  std::unordered_set<std::string_view> allowed(cs.categories->begin(), cs.categories->end());
  Collector unseen(AnomalyKind::kUnseenCategory, opt.max_examples);
  std::vector<uint8_t> code_ok;
  if (col.type() == DataType::kCategorical) {
    for (const std::string& c : col.categories()) code_ok.push_back(allowed.count(c) > 0);
  }
  for (size_t r = 0; r < col.size(); ++r) {
    if (!col.IsValid(r)) continue;
    bool ok = col.type() == DataType::kCategorical
                  ? code_ok[static_cast<size_t>(col.codes()[r])] != 0
                  : allowed.count(col.ToStringAt(r)) > 0;
    if (!ok) unseen.Add(r, col.ToStringAt(r));
  }
  // Name the allowed values too, so the reader sees at once what was expected.
  constexpr size_t kListed = 10;
  size_t listed = std::min(kListed, cs.categories->size());
  std::string allowed_text =
      fmt::format("{}{}",
                  fmt::join(cs.categories->begin(),
                            cs.categories->begin() + static_cast<ptrdiff_t>(listed), ", "),
                  cs.categories->size() > listed ? ", ..." : "");
  unseen.Emit(cs.name,
              fmt::format("{} not among the {} allowed categories ({})",
                          Plural(unseen.count(), "value is", "values are"), cs.categories->size(),
                          core::ClipForMessage(allowed_text, 400)),
              out);
}

void CheckMissingShare(const Column& col, const ColumnSchema& cs, const ValidateOptions& opt,
                       std::vector<Anomaly>& out) {
  size_t rows = col.size();
  if (rows == 0) return;
  double share = static_cast<double>(col.null_count()) / static_cast<double>(rows);
  // The epsilon forgives the rounding of a bound written as a decimal.
  if (share <= cs.max_missing_share + 1e-12) return;
  Collector missing(AnomalyKind::kMissingShareExceeded, opt.max_examples);
  for (size_t r = 0; r < rows; ++r) {
    if (!col.IsValid(r)) missing.Add(r, "");
  }
  missing.Emit(cs.name,
               fmt::format("missing share {:.4g} ({} of {} rows) exceeds max_missing_share {}",
                           share, col.null_count(), rows, cs.max_missing_share),
               out);
}

}  // namespace

ValidationReport Validate(const table::Table& table, const Schema& schema,
                          const ValidateOptions& options) {
  ValidationReport report;
  report.num_rows = table.num_rows();
  report.num_columns = table.num_columns();
  std::vector<Anomaly>& out = report.anomalies;
  for (const ColumnSchema& cs : schema.columns) {
    const Column* col = table.FindColumn(cs.name);
    if (col == nullptr) {
      Anomaly a;
      a.kind =
          cs.required ? AnomalyKind::kMissingRequiredColumn : AnomalyKind::kMissingOptionalColumn;
      a.column = cs.name;
      a.count = table.num_rows();
      a.message = fmt::format("{} column ({}) is not in the data",
                              cs.required ? "required" : "optional", table::DataTypeName(cs.type));
      out.push_back(std::move(a));
      continue;
    }
    if (cs.type == DataType::kCategorical) {
      CheckCategories(*col, cs, options, out);
    } else if (cs.type != DataType::kString) {
      CheckTyped(*col, cs, options, out);
    }
    CheckMissingShare(*col, cs, options, out);
  }
  for (const Column& col : table.columns()) {
    if (schema.FindColumn(col.name()) != nullptr) continue;
    Collector extra(AnomalyKind::kUnexpectedColumn, options.max_examples);
    for (size_t r = 0; r < col.size(); ++r) {
      if (col.IsValid(r)) extra.Add(r, col.ToStringAt(r));
    }
    out.push_back(extra.Finish(
        col.name(),
        fmt::format("column is not in the schema (reads as {}, {} present)",
                    table::DataTypeName(col.type()), Plural(extra.count(), "value", "values"))));
  }
  return report;
}

}  // namespace mlpipe::profile
