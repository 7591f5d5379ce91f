// Data schemas: the columns a data file is expected to have, with their types
// and constraints (allowed categories, value range, missing share). A schema is
// inferred from a reference table (InferSchema), saved as human-editable JSON
// and used to validate new data (validate.h).
//
// The JSON form (docs/validation.md) is one object per column with keys in a
// fixed order: name, type, required, max_missing_share, then categories (for
// categoricals) or min/max and observed_min/observed_max (for int64 and
// float64). Two kinds of range, because a person and a sample mean different
// things by one: min/max are bounds a person wrote, and a value beyond them is
// an error; observed_min/observed_max are what InferSchema saw in the
// reference data, and a value beyond them is only a warning unless it lies
// far outside (FarOutsideLimits), since any new sample extends the range a
// little. It carries "format_version"; FromJson reads versions 1 (no observed
// range) and 2, and refuses another version, an unknown key, an unknown type
// name, a column listed twice, min > max and a constraint that does not fit
// the column's type, each with a message naming the key.
//
// Schemas are plain values; no method touches shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::profile {

// JSON that keeps keys in insertion order, so that written files read top-down
// the way a person expects (name first, constraints after).
using OrderedJson = nlohmann::ordered_json;

// The schema format this build writes; it reads this one and every older one
// back to kOldestSchemaFormatVersion. Version 2 added observed_min/observed_max.
inline constexpr int kSchemaFormatVersion = 2;
inline constexpr int kOldestSchemaFormatVersion = 1;

// A value more than this many widths of the observed range outside it is an
// error (see FarOutsideLimits).
inline constexpr double kFarOutsideWidths = 10.0;

struct ColumnSchema {
  std::string name;
  table::DataType type = table::DataType::kString;
  // A required column missing from the data is an error; an optional one a warning.
  bool required = true;
  // Largest allowed share (0..1) of missing values; 1 allows any.
  double max_missing_share = 1.0;
  // Categorical only: the allowed values, as text. nullopt: any value is allowed.
  std::optional<std::vector<std::string>> categories;
  // int64 and float64 only: inclusive bounds that a person wrote; a value
  // beyond one is an error. nullopt: unbounded on that side.
  std::optional<double> min;
  std::optional<double> max;
  // int64 and float64 only: the range seen in the reference data (both or
  // neither). A value outside it is a warning, one beyond FarOutsideLimits an
  // error.
  std::optional<double> observed_min;
  std::optional<double> observed_max;

  // Keys in the documented order; absent optionals are omitted.
  OrderedJson ToJson() const;
  // `context` prefixes error messages, e.g. "schema.json: columns[3]". Reads
  // the keys of `format_version` (observed_min/observed_max are unknown keys
  // in version 1).
  static Result<ColumnSchema> FromJson(const core::Json& j, std::string_view context);
  static Result<ColumnSchema> FromJson(const core::Json& j, std::string_view context,
                                       int format_version);
  // The first rule this column breaks (min > max, bounds on a non-numeric type,
  // only one of observed_min/observed_max, duplicate categories, share outside
  // [0, 1]); `context` as above.
  Status Check(std::string_view context) const;

  bool operator==(const ColumnSchema&) const = default;
};

// The limits beyond which a value is far outside the observed range: the
// range widened on each side by kFarOutsideWidths times its width, or, when
// every observed value was the same c, by kFarOutsideWidths times |c|.
// nullopt when the column has no observed range or it is [0, 0] (no scale to
// measure "far" by). A value scaled by 100 lands beyond them; the other half
// of a random split of the reference data does not, even with heavy tails.
std::optional<std::pair<double, double>> FarOutsideLimits(const ColumnSchema& column);

struct Schema {
  // Informational: the file the schema was inferred from ("" when unknown).
  std::string source;
  // In the order of the reference data.
  std::vector<ColumnSchema> columns;

  // nullptr when no column has that name.
  const ColumnSchema* FindColumn(std::string_view name) const;

  // {"format_version" (always kSchemaFormatVersion), "source" (when set),
  // "columns": [...]}.
  OrderedJson ToJson() const;
  // ToJson() as indented text ending in a newline, each list of categories on
  // one line (filled to 100 columns when long): what `data schema` writes.
  std::string ToJsonText() const;
  // `source` names the file in error messages ("schema.json: columns[2].type: ...").
  static Result<Schema> FromJson(const core::Json& j, std::string_view source);
  // Parses JSON text; syntax errors read "SOURCE:LINE:COL: invalid JSON: ...".
  static Result<Schema> Parse(std::string_view text, std::string_view source);
  // Every column's Check() plus unique, non-empty names.
  Status Check(std::string_view source) const;

  bool operator==(const Schema&) const = default;
};

// Reads and parses the schema file at `path` (errors name the path).
Result<Schema> LoadSchemaFile(core::Env* env, const std::string& path);
// Writes ToJsonText() atomically.
Status SaveSchemaFile(core::Env* env, const Schema& schema, const std::string& path);

struct InferSchemaOptions {
  // The missing-share bound is the observed share plus a slack of
  // max(min_missing_slack, relative_missing_slack * observed), rounded up to the
  // next multiple of 0.01 and capped at 1. A column with no missing values
  // gets min_missing_slack too: one missing value in a new sample of a column
  // that happened to be complete is noise, not a broken source.
  double min_missing_slack = 0.02;
  // See min_missing_slack.
  double relative_missing_slack = 0.5;
  // Whether every inferred column is marked required.
  bool required = true;

  // Names the first field out of range.
  Status Validate() const;
};

// The missing-share bound for `observed_share` under `options` (see above).
double MissingShareBound(double observed_share, const InferSchemaOptions& options);

// One column per table column, in order, with the column's type; categoricals
// list their present categories sorted by byte order; int64 and float64
// columns get the observed range as observed_min/observed_max, never min/max
// (none when every value is missing; float64 ignores NaN); bool and string
// columns get no value constraint.
Result<Schema> InferSchema(const table::Table& table, const InferSchemaOptions& options = {});

}  // namespace mlpipe::profile
