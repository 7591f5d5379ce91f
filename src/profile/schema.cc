// Schema <-> JSON. Reading is strict: a hand-edited schema with a typo in a key
// or a type name must fail loudly rather than silently drop a constraint.
#include "mlpipe/profile/schema.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <span>

#include <fmt/format.h>

#include "mlpipe/core/output.h"

namespace mlpipe::profile {
namespace {

using core::Json;
using table::DataType;

constexpr std::string_view kTopKeys[] = {"format_version", "source", "columns"};
// The column keys of format version 2; version 1 has all but the last two.
constexpr std::string_view kColumnKeys[] = {"name",        "type", "required", "max_missing_share",
                                            "categories",  "min",  "max",      "observed_min",
                                            "observed_max"};
constexpr size_t kColumnKeysV1 = 7;

Status CheckKeys(const Json& j, std::span<const std::string_view> valid, std::string_view context) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
      return InvalidArgumentError(
          fmt::format("{}: unknown key '{}' (valid: {})", context, key, fmt::join(valid, ", ")));
    }
  }
  return Status::OK();
}

// "expected a string, found number" for the value at `where`.
Status WrongType(std::string_view where, std::string_view expected, const Json& value) {
  return InvalidArgumentError(
      fmt::format("{}: expected {}, found {}", where, expected, value.type_name()));
}

bool HasRange(DataType type) { return type == DataType::kInt64 || type == DataType::kFloat64; }

// Bounds of int64 columns are written as JSON integers when they are integral.
void PutBound(OrderedJson& j, const char* key, double v, DataType type) {
  if (type == DataType::kInt64 && std::floor(v) == v && std::fabs(v) < 9.2e18) {
    j[key] = static_cast<int64_t>(v);
  } else {
    j[key] = v;
  }
}

Result<double> GetNumber(const Json& j, const char* key, std::string_view context) {
  const Json& v = j.at(key);
  std::string where = fmt::format("{}.{}", context, key);
  if (!v.is_number()) return WrongType(where, "a number", v);
  double d = v.get<double>();
  if (!std::isfinite(d)) return InvalidArgumentError(where + ": must be finite");
  return d;
}

}  // namespace

OrderedJson ColumnSchema::ToJson() const {
  OrderedJson j;
  j["name"] = name;
  j["type"] = std::string(table::DataTypeName(type));
  j["required"] = required;
  j["max_missing_share"] = max_missing_share;
  if (categories) j["categories"] = *categories;
  if (min) PutBound(j, "min", *min, type);
  if (max) PutBound(j, "max", *max, type);
  if (observed_min) PutBound(j, "observed_min", *observed_min, type);
  if (observed_max) PutBound(j, "observed_max", *observed_max, type);
  return j;
}

Result<ColumnSchema> ColumnSchema::FromJson(const Json& j, std::string_view context) {
  return FromJson(j, context, kSchemaFormatVersion);
}

Result<ColumnSchema> ColumnSchema::FromJson(const Json& j, std::string_view context,
                                            int format_version) {
  if (!j.is_object()) return WrongType(context, "an object", j);
  std::span<const std::string_view> keys(kColumnKeys);
  if (format_version < 2) keys = keys.first(kColumnKeysV1);
  MLPIPE_RETURN_IF_ERROR(CheckKeys(j, keys, context));
  ColumnSchema c;
  if (!j.contains("name"))
    return InvalidArgumentError(fmt::format("{}.name: missing required key", context));
  if (!j["name"].is_string())
    return WrongType(fmt::format("{}.name", context), "a string", j["name"]);
  c.name = j["name"].get<std::string>();
  if (!j.contains("type"))
    return InvalidArgumentError(fmt::format("{}.type: missing required key", context));
  if (!j["type"].is_string())
    return WrongType(fmt::format("{}.type", context), "a string", j["type"]);
  auto type = table::ParseDataType(j["type"].get<std::string>());
  if (!type.ok()) return type.status().WithContext(fmt::format("{}.type", context));
  c.type = *type;
  if (j.contains("required")) {
    if (!j["required"].is_boolean())
      return WrongType(fmt::format("{}.required", context), "true or false", j["required"]);
    c.required = j["required"].get<bool>();
  }
  if (j.contains("max_missing_share")) {
    MLPIPE_ASSIGN_OR_RETURN(c.max_missing_share, GetNumber(j, "max_missing_share", context));
  }
  if (j.contains("categories")) {
    const Json& cats = j["categories"];
    std::string where = fmt::format("{}.categories", context);
    if (!cats.is_array()) return WrongType(where, "an array of strings", cats);
    c.categories.emplace();
    for (size_t i = 0; i < cats.size(); ++i) {
      if (!cats[i].is_string())
        return WrongType(fmt::format("{}[{}]", where, i), "a string", cats[i]);
      c.categories->push_back(cats[i].get<std::string>());
    }
  }
  if (j.contains("min")) {
    MLPIPE_ASSIGN_OR_RETURN(c.min, GetNumber(j, "min", context));
  }
  if (j.contains("max")) {
    MLPIPE_ASSIGN_OR_RETURN(c.max, GetNumber(j, "max", context));
  }
  if (j.contains("observed_min")) {
    MLPIPE_ASSIGN_OR_RETURN(c.observed_min, GetNumber(j, "observed_min", context));
  }
  if (j.contains("observed_max")) {
    MLPIPE_ASSIGN_OR_RETURN(c.observed_max, GetNumber(j, "observed_max", context));
  }
  MLPIPE_RETURN_IF_ERROR(c.Check(context));
  return c;
}

Status ColumnSchema::Check(std::string_view context) const {
  if (name.empty()) return InvalidArgumentError(fmt::format("{}.name: must not be empty", context));
  std::string_view type_name = table::DataTypeName(type);
  if (!(max_missing_share >= 0.0 && max_missing_share <= 1.0)) {
    return InvalidArgumentError(
        fmt::format("{}.max_missing_share: {} is outside [0, 1] (column '{}')", context,
                    max_missing_share, name));
  }
  if (categories) {
    if (type != DataType::kCategorical) {
      return InvalidArgumentError(
          fmt::format("{}.categories: only categorical columns have categories (column '{}' is {})",
                      context, name, type_name));
    }
    std::set<std::string_view> seen;
    for (size_t i = 0; i < categories->size(); ++i) {
      if (!seen.insert((*categories)[i]).second) {
        return InvalidArgumentError(
            fmt::format("{}.categories[{}]: '{}' is listed twice", context, i, (*categories)[i]));
      }
    }
  }
  for (const auto& [key, bound] :
       {std::pair{"min", min}, std::pair{"max", max}, std::pair{"observed_min", observed_min},
        std::pair{"observed_max", observed_max}}) {
    if (bound && !HasRange(type)) {
      return InvalidArgumentError(
          fmt::format("{}.{}: only int64 and float64 columns have a range (column '{}' is {})",
                      context, key, name, type_name));
    }
  }
  if (min && max && *min > *max) {
    return InvalidArgumentError(
        fmt::format("{}.min: {} is greater than max {} (column '{}')", context, *min, *max, name));
  }
  if (observed_min.has_value() != observed_max.has_value()) {
    // One-sided, "far outside" would have no width to measure by.
    return InvalidArgumentError(fmt::format(
        "{}.{}: observed_min and observed_max go together; delete both to drop the check, or "
        "write min/max for a one-sided bound (column '{}')",
        context, observed_min ? "observed_max" : "observed_min", name));
  }
  if (observed_min && *observed_min > *observed_max) {
    return InvalidArgumentError(
        fmt::format("{}.observed_min: {} is greater than observed_max {} (column '{}')", context,
                    *observed_min, *observed_max, name));
  }
  return Status::OK();
}

std::optional<std::pair<double, double>> FarOutsideLimits(const ColumnSchema& column) {
  if (!column.observed_min || !column.observed_max) return std::nullopt;
  const double lo = *column.observed_min, hi = *column.observed_max;
  const double width = hi > lo ? hi - lo : std::fabs(lo);
  if (width == 0) return std::nullopt;
  return std::pair{lo - kFarOutsideWidths * width, hi + kFarOutsideWidths * width};
}

const ColumnSchema* Schema::FindColumn(std::string_view name) const {
  for (const ColumnSchema& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

OrderedJson Schema::ToJson() const {
  OrderedJson j;
  j["format_version"] = kSchemaFormatVersion;
  if (!source.empty()) j["source"] = source;
  j["columns"] = OrderedJson::array();
  for (const ColumnSchema& c : columns) j["columns"].push_back(c.ToJson());
  return j;
}

Result<Schema> Schema::FromJson(const Json& j, std::string_view source) {
  if (!j.is_object()) return WrongType(source, "a JSON object at the top level", j);
  MLPIPE_RETURN_IF_ERROR(CheckKeys(j, kTopKeys, source));
  if (!j.contains("format_version")) {
    return InvalidArgumentError(fmt::format("{}: format_version: missing required key", source));
  }
  const Json& version = j["format_version"];
  if (!version.is_number_integer()) {
    return WrongType(fmt::format("{}: format_version", source), "an integer", version);
  }
  const int64_t format_version = version.get<int64_t>();
  if (format_version < kOldestSchemaFormatVersion || format_version > kSchemaFormatVersion) {
    return InvalidArgumentError(fmt::format(
        "{}: format_version: unsupported version {} (this mlpipe reads versions {} to {})", source,
        format_version, kOldestSchemaFormatVersion, kSchemaFormatVersion));
  }
  Schema schema;
  if (j.contains("source")) {
    if (!j["source"].is_string())
      return WrongType(fmt::format("{}: source", source), "a string", j["source"]);
    schema.source = j["source"].get<std::string>();
  }
  if (!j.contains("columns")) {
    return InvalidArgumentError(fmt::format("{}: columns: missing required key", source));
  }
  const Json& cols = j["columns"];
  if (!cols.is_array()) return WrongType(fmt::format("{}: columns", source), "an array", cols);
  for (size_t i = 0; i < cols.size(); ++i) {
    MLPIPE_ASSIGN_OR_RETURN(
        ColumnSchema c, ColumnSchema::FromJson(cols[i], fmt::format("{}: columns[{}]", source, i),
                                               static_cast<int>(format_version)));
    schema.columns.push_back(std::move(c));
  }
  MLPIPE_RETURN_IF_ERROR(schema.Check(source));
  return schema;
}

Status Schema::Check(std::string_view source) const {
  std::map<std::string_view, size_t> first;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string context = fmt::format("{}: columns[{}]", source, i);
    MLPIPE_RETURN_IF_ERROR(columns[i].Check(context));
    auto [it, inserted] = first.emplace(columns[i].name, i);
    if (!inserted) {
      return InvalidArgumentError(
          fmt::format("{}.name: column '{}' is listed twice (also columns[{}])", context,
                      columns[i].name, it->second));
    }
  }
  return Status::OK();
}

Result<Schema> Schema::Parse(std::string_view text, std::string_view source) {
  MLPIPE_ASSIGN_OR_RETURN(Json j, core::ParseJson(text, source));
  return FromJson(j, source);
}

Result<Schema> LoadSchemaFile(core::Env* env, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return Schema::Parse(text, path);
}

Status SaveSchemaFile(core::Env* env, const Schema& schema, const std::string& path) {
  return core::WriteOutput(env, path, schema.ToJsonText());
}

}  // namespace mlpipe::profile
