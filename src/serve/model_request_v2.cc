// The Open Inference Protocol v2 infer request (model_request.h): one tensor
// per feature, or one 2-D tensor of every numeric feature.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mlpipe/core/message.h"
#include "model_request.h"
#include "model_request_internal.h"

namespace mlpipe::serve {
namespace {

using core::Json;
using table::DataType;
using namespace request_internal;  // NOLINT

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

}  // namespace mlpipe::serve
