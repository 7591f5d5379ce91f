// Validation of a table against a Schema: the anomalies that new data shows
// compared with the reference it was inferred from.
//
// Every kind of anomaly, its severity and description live in one table
// (AnomalyKinds()); docs/validation.md lists the same table. Rows are named by
// 1-based data row number: row 1 is the first record after the header (for a
// CSV file without line breaks inside quoted fields, file line = row + 1).
//
// How values are compared when the table's inferred type differs from the
// schema's (e.g. a CSV reader inferred float64 or categorical where the schema
// says int64): each present value is judged by its own content. A value that
// is not of the schema's type is a type_mismatch; values that are go on to the
// range check. A categorical schema compares values by their text, whatever
// type the data was inferred as (codes 1, 2, 3 read as int64 are fine), so it
// never reports a type_mismatch; a string schema accepts any value.
//   int64    accepts integers; a float such as 3.0 is accepted (integral), 2.5 is not
//   float64  accepts any number, integers included
//   bool     accepts true and false in any letter case (as the CSV reader does;
//            0 and 1 are integers, not booleans)
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/profile/schema.h"
#include "mlpipe/table/table.h"

namespace mlpipe::profile {

enum class Severity { kWarning, kError };

// "warning", "error".
std::string_view SeverityName(Severity severity);

enum class AnomalyKind {
  kMissingRequiredColumn,
  kMissingOptionalColumn,
  kUnexpectedColumn,
  kTypeMismatch,
  kUnseenCategory,
  kOutOfRange,
  kFarOutsideObservedRange,
  kOutsideObservedRange,
  kMissingShareExceeded,
};

struct AnomalyKindInfo {
  AnomalyKind kind;
  std::string_view name;  // stable snake_case name used in JSON, e.g. "type_mismatch"
  Severity severity;
  std::string_view description;  // one sentence for docs and --help
};

// Every kind, in the order reports list them within a column.
std::span<const AnomalyKindInfo> AnomalyKinds();
const AnomalyKindInfo& GetAnomalyKindInfo(AnomalyKind kind);

struct AnomalyExample {
  size_t row = 0;     // 1-based data row number
  std::string value;  // the value as text; "" for a missing value
  bool operator==(const AnomalyExample&) const = default;
};

struct Anomaly {
  AnomalyKind kind = AnomalyKind::kTypeMismatch;
  std::string column;
  // Offending values: rows whose value breaks the rule. For a missing column,
  // every row of the data; for an unexpected column, its present values.
  size_t count = 0;
  // Human-readable detail, e.g. "expected int64; 3 values are not integers".
  std::string message;
  // The first offending rows, in row order (at most ValidateOptions::max_examples).
  std::vector<AnomalyExample> examples;

  Severity severity() const { return GetAnomalyKindInfo(kind).severity; }
};

struct ValidationReport {
  // Informational names of the data and the schema ("" when unknown).
  std::string data_source;
  std::string schema_source;
  size_t num_rows = 0;
  size_t num_columns = 0;
  // Schema columns in schema order, then unexpected columns in data order;
  // within a column, in AnomalyKinds() order.
  std::vector<Anomaly> anomalies;

  size_t ErrorCount() const;
  size_t WarningCount() const;
  bool HasErrors() const { return ErrorCount() > 0; }
};

struct ValidateOptions {
  // Example rows kept per anomaly.
  size_t max_examples = 5;
};

// Compares `table` with `schema`. REQUIRES: schema.Check() is OK (as it is
// after Schema::FromJson or InferSchema).
ValidationReport Validate(const table::Table& table, const Schema& schema,
                          const ValidateOptions& options = {});

// {"format_version", "data", "schema", "rows", "columns", "row_numbering",
//  "errors", "warnings", "anomalies": [{kind, severity, column, count, message,
//  examples: [{row, value}]}]}
OrderedJson ReportToJson(const ValidationReport& report);

// A table for the terminal: one line per anomaly (severity, kind, column,
// count, message) followed by its examples, then a summary line.
std::string RenderReportText(const ValidationReport& report);

}  // namespace mlpipe::profile
