// Request bodies into tables of a model's schema (model_request.h). Values are
// checked one by one against their feature's type here, so that a refusal
// names the request's field; the checked values then become a table through
// bundle::TableFromJsonRows, the conversion the golden rows use too. The OIP
// v2 request is in model_request_v2.cc.
#include "model_request.h"
#include "model_request_internal.h"

#include <cmath>
#include <map>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/message.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::serve {
namespace request_internal {

using core::Json;
using table::DataType;

std::string JsonKind(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "list";
    case Json::value_t::object:
      return "object";
    default:
      return "number";
  }
}

std::string Quoted(std::string_view s) { return fmt::format("'{}'", core::ClipForMessage(s)); }

Status CheckValue(const profile::ColumnSchema& col, const Json& v, const std::string& where) {
  if (v.is_null()) return Status::OK();
  switch (col.type) {
    case DataType::kFloat64:
    case DataType::kInt64: {
      if (!v.is_number()) {
        return InvalidArgumentError(fmt::format("{}: feature {} ({}) expected a number, got {}",
                                                where, Quoted(col.name), DataTypeName(col.type),
                                                JsonKind(v)));
      }
      if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d)) {
          return InvalidArgumentError(
              fmt::format("{}: feature {}: {} is not a finite number", where, Quoted(col.name), d));
        }
        if (col.type == DataType::kInt64 &&
            (d != std::floor(d) || std::fabs(d) > 9.007199254740992e15)) {
          return InvalidArgumentError(fmt::format(
              "{}: feature {} (int64) expected an integer, got {}", where, Quoted(col.name), d));
        }
      }
      return Status::OK();
    }
    case DataType::kBool:
      if (v.is_boolean()) return Status::OK();
      if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1)) {
        return Status::OK();
      }
      return InvalidArgumentError(
          fmt::format("{}: feature {} (bool) expected true or false, got {}", where,
                      Quoted(col.name), core::ClipForMessage(v.dump())));
    case DataType::kCategorical:
    case DataType::kString:
      if (v.is_string()) return Status::OK();
      return InvalidArgumentError(fmt::format("{}: feature {} ({}) expected a string, got {}",
                                              where, Quoted(col.name), DataTypeName(col.type),
                                              JsonKind(v)));
  }
  return Status::OK();
}

RowsBuilder::RowsBuilder(const profile::Schema& schema, size_t n) : schema_(schema) {
  rows_ = Json::array();
  for (size_t r = 0; r < n; ++r) {
    rows_.push_back(Json::array());
    rows_.back().get_ref<Json::array_t&>().resize(schema.columns.size());
  }
}
Status RowsBuilder::Set(size_t row, size_t feature, const Json& v, const std::string& where) {
  MLPIPE_RETURN_IF_ERROR(CheckValue(schema_.columns[feature], v, where));
  rows_[row][feature] = v;
  return Status::OK();
}

Result<table::Table> RowsBuilder::Finish(std::string_view context) {
  return bundle::TableFromJsonRows(schema_, rows_, context);
}

std::unordered_map<std::string, size_t> FeatureIndex(const profile::Schema& schema) {
  std::unordered_map<std::string, size_t> index;
  for (size_t k = 0; k < schema.columns.size(); ++k) index[schema.columns[k].name] = k;
  return index;
}

std::string FeatureList(const profile::Schema& schema) {
  std::string out;
  for (const auto& c : schema.columns) {
    if (!out.empty()) out += ", ";
    out += c.name;
    if (out.size() > 300) return out + ", ...";
  }
  return out;
}

Status CheckRowCount(size_t n, std::string_view field) {
  if (n > kMaxRequestRows) {
    return InvalidArgumentError(
        fmt::format("{}: {} rows, more than the {} a request may hold", field, n, kMaxRequestRows));
  }
  return Status::OK();
}

}  // namespace request_internal

using namespace request_internal;  // NOLINT: this file defines them

Result<core::Json> ParseJsonBody(std::string_view body) { return core::ParseJson(body, "body"); }

std::string_view V2Datatype(table::DataType type) {
  switch (type) {
    case DataType::kBool:
      return "BOOL";
    case DataType::kInt64:
      return "INT64";
    case DataType::kFloat64:
      return "FP64";
    default:
      return "BYTES";
  }
}

Result<table::Table> RowsFromRecords(const profile::Schema& schema, const core::Json& records,
                                     std::string_view field) {
  if (!records.is_array()) {
    return InvalidArgumentError(fmt::format("{}: expected a list of objects", field));
  }
  MLPIPE_RETURN_IF_ERROR(CheckRowCount(records.size(), field));
  const auto index = FeatureIndex(schema);
  RowsBuilder rows(schema, records.size());
  std::vector<char> given(schema.columns.size());
  for (size_t r = 0; r < records.size(); ++r) {
    const std::string where = fmt::format("{}[{}]", field, r);
    const Json& rec = records[r];
    if (!rec.is_object()) {
      return InvalidArgumentError(
          fmt::format("{}: expected an object {{feature: value}}, got {}", where, JsonKind(rec)));
    }
    std::fill(given.begin(), given.end(), 0);
    for (auto it = rec.begin(); it != rec.end(); ++it) {
      auto f = index.find(it.key());
      if (f == index.end()) {
        return InvalidArgumentError(fmt::format("{}: unknown feature {}; features: {}", where,
                                                Quoted(it.key()), FeatureList(schema)));
      }
      given[f->second] = 1;
      MLPIPE_RETURN_IF_ERROR(rows.Set(r, f->second, it.value(), where));
    }
    for (size_t k = 0; k < given.size(); ++k) {
      if (!given[k]) {
        return InvalidArgumentError(fmt::format("{}: missing feature {} (null for a missing value)",
                                                where, Quoted(schema.columns[k].name)));
      }
    }
  }
  return rows.Finish(field);
}

Result<table::Table> RowsFromDataframeSplit(const profile::Schema& schema,
                                            const core::Json& split) {
  if (!split.is_object()) return InvalidArgumentError("dataframe_split: expected an object");
  for (auto it = split.begin(); it != split.end(); ++it) {
    if (it.key() != "columns" && it.key() != "data" && it.key() != "index") {
      return InvalidArgumentError("dataframe_split: unknown key " + Quoted(it.key()) +
                                  "; expected columns, data (and index)");
    }
  }
  if (!split.contains("columns") || !split["columns"].is_array()) {
    return InvalidArgumentError("dataframe_split.columns: expected a list of feature names");
  }
  if (!split.contains("data") || !split["data"].is_array()) {
    return InvalidArgumentError("dataframe_split.data: expected a list of rows");
  }
  const Json& columns = split["columns"];
  const Json& data = split["data"];
  MLPIPE_RETURN_IF_ERROR(CheckRowCount(data.size(), "dataframe_split.data"));
  const auto index = FeatureIndex(schema);
  std::vector<size_t> position(columns.size());
  std::vector<int> seen(schema.columns.size(), -1);
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string where = fmt::format("dataframe_split.columns[{}]", c);
    if (!columns[c].is_string()) return InvalidArgumentError(where + ": expected a string");
    const std::string name = columns[c].get<std::string>();
    auto f = index.find(name);
    if (f == index.end()) {
      return InvalidArgumentError(fmt::format("{}: unknown feature {}; features: {}", where,
                                              Quoted(name), FeatureList(schema)));
    }
    if (seen[f->second] >= 0) {
      return InvalidArgumentError(fmt::format("{}: feature {} listed twice", where, Quoted(name)));
    }
    seen[f->second] = static_cast<int>(c);
    position[c] = f->second;
  }
  for (size_t k = 0; k < seen.size(); ++k) {
    if (seen[k] < 0) {
      return InvalidArgumentError("dataframe_split.columns: missing feature " +
                                  Quoted(schema.columns[k].name));
    }
  }
  RowsBuilder rows(schema, data.size());
  for (size_t r = 0; r < data.size(); ++r) {
    const std::string where = fmt::format("dataframe_split.data[{}]", r);
    if (!data[r].is_array() || data[r].size() != columns.size()) {
      return InvalidArgumentError(
          fmt::format("{}: expected a list of {} values (one per column)", where, columns.size()));
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      MLPIPE_RETURN_IF_ERROR(rows.Set(r, position[c], data[r][c], where));
    }
  }
  return rows.Finish("dataframe_split");
}

Result<table::Table> RowsFromCsv(const profile::Schema& schema, std::string_view text) {
  MLPIPE_ASSIGN_OR_RETURN(table::Table t, table::ReadCsvString(text, "body"));
  MLPIPE_RETURN_IF_ERROR(CheckRowCount(t.num_rows(), "body"));
  const auto index = FeatureIndex(schema);
  std::vector<char> given(schema.columns.size());
  for (const auto& c : t.columns()) {
    auto f = index.find(c.name());
    if (f == index.end()) {
      return InvalidArgumentError(fmt::format("body: column {} is not a feature; features: {}",
                                              Quoted(c.name()), FeatureList(schema)));
    }
    given[f->second] = 1;
  }
  for (size_t k = 0; k < given.size(); ++k) {
    if (!given[k]) {
      return InvalidArgumentError("body: missing feature column " + Quoted(schema.columns[k].name));
    }
  }
  return t;
}

Result<table::Table> RowsFromMlflowBody(const profile::Schema& schema,
                                        std::string_view content_type, std::string_view body) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  if (media == "text/csv") return RowsFromCsv(schema, body);
  if (media != "application/json" && !media.empty()) {
    return InvalidArgumentError("Content-Type " + Quoted(media) +
                                ": expected application/json or text/csv");
  }
  MLPIPE_ASSIGN_OR_RETURN(Json j, ParseJsonBody(body));
  if (!j.is_object()) return InvalidArgumentError("body: expected a JSON object");
  static const char* kKeys[] = {"dataframe_split", "dataframe_records", "instances"};
  const char* found = nullptr;
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (const char* k : kKeys) known |= it.key() == k;
    if (!known && it.key() != "params") {
      return InvalidArgumentError(
          "body: unknown key " + Quoted(it.key()) +
          "; expected one of dataframe_split, dataframe_records, instances");
    }
    if (known) {
      if (found) {
        return InvalidArgumentError(fmt::format("body: both {} and {}; give one", found, it.key()));
      }
      for (const char* k : kKeys) {
        if (it.key() == k) found = k;
      }
    }
  }
  if (!found) {
    return InvalidArgumentError(
        "body: expected one of dataframe_split, dataframe_records, instances");
  }
  if (std::string_view(found) == "dataframe_split") {
    return RowsFromDataframeSplit(schema, j[found]);
  }
  return RowsFromRecords(schema, j[found], found);
}

}  // namespace mlpipe::serve
