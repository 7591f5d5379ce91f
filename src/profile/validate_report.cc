// The table of anomaly kinds and the two renderings of a report: JSON for
// machines (--json) and an aligned table for the terminal.
#include <algorithm>

#include <fmt/format.h>

#include "mlpipe/profile/validate.h"

namespace mlpipe::profile {
namespace {

// One row per kind; docs/validation.md mirrors this table and a unit test
// checks that every kind appears here once, in enum order.
constexpr AnomalyKindInfo kAnomalyKinds[] = {
    {AnomalyKind::kMissingRequiredColumn, "missing_required_column", Severity::kError,
     "a column the schema marks required is not in the data"},
    {AnomalyKind::kMissingOptionalColumn, "missing_optional_column", Severity::kWarning,
     "a column the schema marks optional (\"required\": false) is not in the data"},
    {AnomalyKind::kUnexpectedColumn, "unexpected_column", Severity::kWarning,
     "the data has a column the schema does not list"},
    {AnomalyKind::kTypeMismatch, "type_mismatch", Severity::kError,
     "present values that are not of the schema type (text or a fraction in an int64 column, "
     "text in a float64 column, anything but true/false in a bool column)"},
    {AnomalyKind::kUnseenCategory, "unseen_category", Severity::kError,
     "values of a categorical column that are not among the schema's categories"},
    {AnomalyKind::kOutOfRange, "out_of_range", Severity::kError,
     "numeric values below the schema's min or above its max (NaN is not range-checked)"},
    {AnomalyKind::kFarOutsideObservedRange, "far_outside_observed_range", Severity::kError,
     "numeric values more than 10 widths of the observed range outside it (observed_min, "
     "observed_max), such as a column in other units"},
    {AnomalyKind::kOutsideObservedRange, "outside_observed_range", Severity::kWarning,
     "numeric values outside the observed range but within 10 widths of it"},
    {AnomalyKind::kMissingShareExceeded, "missing_share_exceeded", Severity::kError,
     "the share of missing values in a column is above the schema's max_missing_share"},
};

std::string FormatExamples(const Anomaly& a) {
  if (a.examples.empty()) return "";
  std::string s = a.examples.size() == 1 ? "row " : "rows ";
  for (size_t i = 0; i < a.examples.size(); ++i) {
    if (i > 0) s += ", ";
    const AnomalyExample& e = a.examples[i];
    if (a.kind == AnomalyKind::kMissingShareExceeded) {
      s += std::to_string(e.row);
    } else {
      s += fmt::format("{} \"{}\"", e.row, e.value);
    }
  }
  if (a.count > a.examples.size()) s += ", ...";
  return s;
}

std::string Plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::span<const AnomalyKindInfo> AnomalyKinds() { return kAnomalyKinds; }

const AnomalyKindInfo& GetAnomalyKindInfo(AnomalyKind kind) {
  return kAnomalyKinds[static_cast<size_t>(kind)];
}

size_t ValidationReport::ErrorCount() const {
  return static_cast<size_t>(
      std::count_if(anomalies.begin(), anomalies.end(),
                    [](const Anomaly& a) { return a.severity() == Severity::kError; }));
}

size_t ValidationReport::WarningCount() const { return anomalies.size() - ErrorCount(); }

OrderedJson ReportToJson(const ValidationReport& report) {
  OrderedJson j;
  j["format_version"] = 1;
  j["data"] = report.data_source;
  j["schema"] = report.schema_source;
  j["rows"] = report.num_rows;
  j["columns"] = report.num_columns;
  j["row_numbering"] = "1-based data rows; row 1 is the first record after the header";
  j["errors"] = report.ErrorCount();
  j["warnings"] = report.WarningCount();
  j["anomalies"] = OrderedJson::array();
  for (const Anomaly& a : report.anomalies) {
    OrderedJson ja;
    const AnomalyKindInfo& info = GetAnomalyKindInfo(a.kind);
    ja["kind"] = info.name;
    ja["severity"] = SeverityName(info.severity);
    ja["column"] = a.column;
    ja["count"] = a.count;
    ja["message"] = a.message;
    ja["examples"] = OrderedJson::array();
    for (const AnomalyExample& e : a.examples) {
      ja["examples"].push_back(OrderedJson{{"row", e.row}, {"value", e.value}});
    }
    j["anomalies"].push_back(std::move(ja));
  }
  return j;
}

std::string RenderReportText(const ValidationReport& report) {
  std::string out;
  if (!report.data_source.empty()) {
    out += fmt::format("data:   {} ({}, {})\n", report.data_source, Plural(report.num_rows, "row"),
                       Plural(report.num_columns, "column"));
  }
  if (!report.schema_source.empty()) out += fmt::format("schema: {}\n", report.schema_source);
  if (!out.empty()) out += "\n";
  if (!report.anomalies.empty()) {
    size_t w_kind = 4, w_col = 6, w_count = 5;
    for (const Anomaly& a : report.anomalies) {
      w_kind = std::max(w_kind, GetAnomalyKindInfo(a.kind).name.size());
      w_col = std::max(w_col, a.column.size());
      w_count = std::max(w_count, std::to_string(a.count).size());
    }
    out += fmt::format("{:<8}  {:<{}}  {:<{}}  {:>{}}  {}\n", "SEVERITY", "KIND", w_kind, "COLUMN",
                       w_col, "COUNT", w_count, "DETAIL");
    for (const Anomaly& a : report.anomalies) {
      const AnomalyKindInfo& info = GetAnomalyKindInfo(a.kind);
      out += fmt::format("{:<8}  {:<{}}  {:<{}}  {:>{}}  {}\n", SeverityName(info.severity),
                         info.name, w_kind, a.column, w_col, a.count, w_count, a.message);
      std::string examples = FormatExamples(a);
      if (!examples.empty()) out += fmt::format("{:<{}}{}\n", "", 10 + w_kind + 2, examples);
    }
    out += "\n";
  }
  size_t errors = report.ErrorCount(), warnings = report.WarningCount();
  if (errors > 0) {
    out += fmt::format("{}, {}: the data does not match the schema\n", Plural(errors, "error"),
                       Plural(warnings, "warning"));
  } else if (warnings > 0) {
    out += fmt::format("{}, no errors: the data matches the schema\n", Plural(warnings, "warning"));
  } else {
    out += "no anomalies: the data matches the schema\n";
  }
  return out;
}

}  // namespace mlpipe::profile
