// Request bodies into tables of a model's schema (model_request.h). Values are
// checked one by one against their feature's type here, so that a refusal
// names the request's field; the checked values then become a table through
// bundle::TableFromJsonRows, the conversion the golden rows use too.
#include "model_request.h"

#include <cmath>
#include <map>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/message.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::serve {
namespace {

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

// OK when `v` is an acceptable value of feature `col`; else InvalidArgument
// "WHERE: expected ..., got ...".
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

// Rows (one JSON list per row, schema order) filled cell by cell, then one table.
class RowsBuilder {
 public:
  RowsBuilder(const profile::Schema& schema, size_t n) : schema_(schema) {
    rows_ = Json::array();
    for (size_t r = 0; r < n; ++r) {
      rows_.push_back(Json::array());
      rows_.back().get_ref<Json::array_t&>().resize(schema.columns.size());
    }
  }
  Status Set(size_t row, size_t feature, const Json& v, const std::string& where) {
    MLPIPE_RETURN_IF_ERROR(CheckValue(schema_.columns[feature], v, where));
    rows_[row][feature] = v;
    return Status::OK();
  }
  Result<table::Table> Finish(std::string_view context) {
    return bundle::TableFromJsonRows(schema_, rows_, context);
  }

 private:
  const profile::Schema& schema_;
  Json rows_;
};

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

// The shape's dimensions; InvalidArgument unless a list of non-negative integers.
Result<std::vector<int64_t>> ParseShape(const Json& input, const std::string& where) {
  if (!input.contains("shape")) return InvalidArgumentError(where + ": missing 'shape'");
  const Json& s = input["shape"];
  if (!s.is_array() || s.empty() || s.size() > 8) {
    return InvalidArgumentError(where + ".shape: expected a list of 1 to 8 dimensions");
  }
  std::vector<int64_t> dims;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!s[i].is_number_integer() || s[i].get<int64_t>() < 0) {
      return InvalidArgumentError(
          fmt::format("{}.shape[{}]: expected a non-negative integer", where, i));
    }
    dims.push_back(s[i].get<int64_t>());
  }
  return dims;
}

// `data` flattened row-major (nested lists followed), at most `limit` values.
Status Flatten(const Json& data, std::vector<const Json*>& out, size_t limit,
               const std::string& where, int depth = 0) {
  if (!data.is_array()) {
    out.push_back(&data);
  } else {
    if (depth > 8) return InvalidArgumentError(where + ": nested deeper than the shape");
    for (const Json& v : data) {
      MLPIPE_RETURN_IF_ERROR(Flatten(v, out, limit, where, depth + 1));
      if (out.size() > limit) {
        return InvalidArgumentError(fmt::format("{}: more values than its shape holds", where));
      }
    }
  }
  return Status::OK();
}

// Datatypes of the protocol, by kind.
bool IsV2Float(std::string_view t) { return t == "FP16" || t == "FP32" || t == "FP64"; }
bool IsV2Int(std::string_view t) {
  return t == "INT8" || t == "INT16" || t == "INT32" || t == "INT64" || t == "UINT8" ||
         t == "UINT16" || t == "UINT32" || t == "UINT64";
}

// Whether a tensor of datatype `t` may feed a feature of `type`; the
// accepted names for the message otherwise.
Status CheckDatatype(const profile::ColumnSchema& col, std::string_view t,
                     const std::string& where) {
  const bool numeric = IsV2Float(t) || IsV2Int(t);
  bool ok = false;
  std::string_view want;
  switch (col.type) {
    case DataType::kFloat64:
    case DataType::kInt64:
      ok = numeric;
      want = "FP64, FP32, INT64 or another numeric datatype";
      break;
    case DataType::kBool:
      ok = t == "BOOL" || IsV2Int(t);
      want = "BOOL";
      break;
    case DataType::kCategorical:
    case DataType::kString:
      ok = t == "BYTES";
      want = "BYTES";
      break;
  }
  if (ok) return Status::OK();
  return InvalidArgumentError(
      fmt::format("{}.datatype: {} does not fit feature {} ({}); expected {}", where, Quoted(t),
                  Quoted(col.name), DataTypeName(col.type), want));
}

// A value of a tensor of datatype `t`: integers for INT types, booleans for BOOL.
Status CheckElement(std::string_view t, const Json& v, const std::string& where) {
  if (v.is_null()) return Status::OK();
  if (IsV2Int(t) && !v.is_number_integer()) {
    return InvalidArgumentError(
        fmt::format("{}: expected an integer for datatype {}, got {}", where, t, JsonKind(v)));
  }
  if (t == "BOOL" && !v.is_boolean()) {
    return InvalidArgumentError(
        fmt::format("{}: expected true or false for datatype BOOL, got {}", where, JsonKind(v)));
  }
  return Status::OK();
}

Result<std::string> InputName(const Json& input, const std::string& where) {
  if (!input.is_object()) return InvalidArgumentError(where + ": expected an object");
  if (!input.contains("name") || !input["name"].is_string()) {
    return InvalidArgumentError(where + ".name: expected a string");
  }
  if (!input.contains("datatype") || !input["datatype"].is_string()) {
    return InvalidArgumentError(where + ".datatype: expected a string");
  }
  if (!input.contains("data")) return InvalidArgumentError(where + ": missing 'data'");
  return input["name"].get<std::string>();
}

// One 2-D tensor [n, k] holding every (numeric) feature in schema order.
Result<table::Table> MatrixInput(const profile::Schema& schema, const Json& input,
                                 const std::vector<int64_t>& dims, const std::string& where) {
  for (const auto& c : schema.columns) {
    if (!table::IsNumeric(c.type)) {
      return InvalidArgumentError(fmt::format(
          "{}: a 2-D tensor needs every feature numeric, and feature {} is {}; send one tensor "
          "per feature",
          where, Quoted(c.name), DataTypeName(c.type)));
    }
  }
  const std::string t = input["datatype"].get<std::string>();
  if (!IsV2Float(t) && !IsV2Int(t)) {
    return InvalidArgumentError(fmt::format(
        "{}.datatype: {} for a 2-D tensor; expected FP64 (or FP32, INT64)", where, Quoted(t)));
  }
  const size_t n = static_cast<size_t>(dims[0]), k = schema.columns.size();
  MLPIPE_RETURN_IF_ERROR(CheckRowCount(n, where + ".shape[0]"));
  std::vector<const Json*> values;
  MLPIPE_RETURN_IF_ERROR(Flatten(input["data"], values, n * k, where + ".data"));
  if (values.size() != n * k) {
    return InvalidArgumentError(fmt::format("{}.data: {} values, the shape [{}, {}] needs {}",
                                            where, values.size(), n, k, n * k));
  }
  RowsBuilder rows(schema, n);
  for (size_t i = 0; i < n * k; ++i) {
    const std::string at = fmt::format("{}.data[{}]", where, i);
    MLPIPE_RETURN_IF_ERROR(CheckElement(t, *values[i], at));
    MLPIPE_RETURN_IF_ERROR(rows.Set(i / k, i % k, *values[i], at));
  }
  return rows.Finish("inputs");
}

}  // namespace

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

Result<V2InferRequest> ParseV2Infer(const profile::Schema& schema, const core::Json& body,
                                    const std::vector<std::string>& output_names) {
  if (!body.is_object()) return InvalidArgumentError("body: expected a JSON object");
  V2InferRequest req;
  if (body.contains("id")) {
    if (!body["id"].is_string()) return InvalidArgumentError("id: expected a string");
    req.id = body["id"].get<std::string>();
    req.has_id = true;
  }
  if (body.contains("parameters") && !body["parameters"].is_object()) {
    return InvalidArgumentError("parameters: expected an object");
  }
  if (body.contains("outputs")) {
    const Json& outs = body["outputs"];
    if (!outs.is_array()) return InvalidArgumentError("outputs: expected a list");
    for (size_t i = 0; i < outs.size(); ++i) {
      if (!outs[i].is_object() || !outs[i].contains("name") || !outs[i]["name"].is_string()) {
        return InvalidArgumentError(fmt::format("outputs[{}].name: expected a string", i));
      }
      std::string name = outs[i]["name"].get<std::string>();
      bool known = false;
      for (const auto& o : output_names) known |= o == name;
      if (!known) {
        std::string list;
        for (const auto& o : output_names) list += fmt::format("{}{}", list.empty() ? "" : ", ", o);
        return InvalidArgumentError(
            fmt::format("outputs[{}].name: unknown output {}; outputs: {}", i, Quoted(name), list));
      }
      req.outputs.push_back(std::move(name));
    }
  }
  if (!body.contains("inputs") || !body["inputs"].is_array() || body["inputs"].empty()) {
    return InvalidArgumentError("inputs: expected a non-empty list of tensors");
  }
  const Json& inputs = body["inputs"];
  const auto index = FeatureIndex(schema);
  // One 2-D tensor whose name is not a feature: the matrix form.
  if (inputs.size() == 1) {
    MLPIPE_ASSIGN_OR_RETURN(std::string name, InputName(inputs[0], "inputs[0]"));
    const std::string where = "inputs[0] (" + core::ClipForMessage(name) + ")";
    MLPIPE_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ParseShape(inputs[0], where));
    if (dims.size() == 2 && !index.count(name)) {
      if (static_cast<size_t>(dims[1]) != schema.columns.size()) {
        return InvalidArgumentError(
            fmt::format("{}.shape: [{}, {}]; the model has {} features ({})", where, dims[0],
                        dims[1], schema.columns.size(), FeatureList(schema)));
      }
      MLPIPE_ASSIGN_OR_RETURN(req.rows, MatrixInput(schema, inputs[0], dims, where));
      return req;
    }
  }
  std::vector<int> seen(schema.columns.size(), -1);
  std::vector<std::vector<const Json*>> values(schema.columns.size());
  std::vector<std::string> types(schema.columns.size());
  size_t n = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    MLPIPE_ASSIGN_OR_RETURN(std::string name, InputName(inputs[i], fmt::format("inputs[{}]", i)));
    const std::string where = fmt::format("inputs[{}] ({})", i, core::ClipForMessage(name));
    auto it = index.find(name);
    if (it == index.end()) {
      return InvalidArgumentError(fmt::format("{}: {} is not a feature of the model; features: {}",
                                              where, Quoted(name), FeatureList(schema)));
    }
    const size_t k = it->second;
    if (seen[k] >= 0) {
      return InvalidArgumentError(fmt::format("{}: feature {} given twice (also inputs[{}])", where,
                                              Quoted(name), seen[k]));
    }
    seen[k] = static_cast<int>(i);
    MLPIPE_ASSIGN_OR_RETURN(std::vector<int64_t> dims, ParseShape(inputs[i], where));
    if (dims.size() > 2 || (dims.size() == 2 && dims[1] != 1)) {
      return InvalidArgumentError(
          fmt::format("{}.shape: a feature's tensor is [n] or [n, 1], one value per row", where));
    }
    const size_t rows = static_cast<size_t>(dims[0]);
    MLPIPE_RETURN_IF_ERROR(CheckRowCount(rows, where + ".shape[0]"));
    if (i > 0 && rows != n) {
      return InvalidArgumentError(
          fmt::format("{}.shape: {} rows, but inputs[0] has {}", where, rows, n));
    }
    n = rows;
    types[k] = inputs[i]["datatype"].get<std::string>();
    MLPIPE_RETURN_IF_ERROR(CheckDatatype(schema.columns[k], types[k], where));
    MLPIPE_RETURN_IF_ERROR(Flatten(inputs[i]["data"], values[k], rows, where + ".data"));
    if (values[k].size() != rows) {
      return InvalidArgumentError(
          fmt::format("{}.data: {} values, the shape needs {}", where, values[k].size(), rows));
    }
  }
  for (size_t k = 0; k < schema.columns.size(); ++k) {
    if (seen[k] < 0) {
      return InvalidArgumentError(fmt::format(
          "inputs: missing feature {} ({}, datatype {})", Quoted(schema.columns[k].name),
          DataTypeName(schema.columns[k].type), V2Datatype(schema.columns[k].type)));
    }
  }
  RowsBuilder rows(schema, n);
  for (size_t k = 0; k < schema.columns.size(); ++k) {
    for (size_t r = 0; r < n; ++r) {
      const std::string at = fmt::format("inputs[{}] ({}).data[{}]", seen[k],
                                         core::ClipForMessage(schema.columns[k].name), r);
      MLPIPE_RETURN_IF_ERROR(CheckElement(types[k], *values[k][r], at));
      MLPIPE_RETURN_IF_ERROR(rows.Set(r, k, *values[k][r], at));
    }
  }
  MLPIPE_ASSIGN_OR_RETURN(req.rows, rows.Finish("inputs"));
  return req;
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
