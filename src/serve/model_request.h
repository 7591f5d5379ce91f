// Parsing of scoring request bodies into a table of a model's input schema:
// the Open Inference Protocol v2 infer request, named-feature instances
// (KServe v1, MLflow dataframe_records / instances), MLflow dataframe_split
// and CSV. Pure functions of the bytes and the schema (no model, no server):
// what the fuzz target (fuzz/model_request_fuzzer.cc) drives.
//
// Every refusal is InvalidArgument naming the field at fault in the body's
// terms ("inputs[2] (age): data[5]: expected a number, got string",
// "instances[3]: unknown feature 'colour'"). Rules shared by every format:
// each of the schema's features must be given (null is a missing value);
// a name that is not a feature is refused; numeric features take JSON numbers
// (an int64 feature an integral one), bool features true/false (or 0/1),
// categorical and string features strings; a non-finite number is refused.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/profile/schema.h"
#include "mlpipe/table/table.h"

namespace mlpipe::serve {

// Rows larger than this in one request are refused (the body limit bounds
// bytes; this bounds the work of a request of tiny rows).
inline constexpr size_t kMaxRequestRows = 1'000'000;

// The body parsed as JSON; InvalidArgument "body:LINE:COL: ..." when it is not.
Result<core::Json> ParseJsonBody(std::string_view body);

// The OIP v2 datatype a feature of `type` is declared with in model
// metadata: BYTES (categorical, string), FP64, INT64 or BOOL.
std::string_view V2Datatype(table::DataType type);

// A parsed OIP v2 infer request.
struct V2InferRequest {
  std::string id;  // "" when the request had none
  bool has_id = false;
  table::Table rows;                 // the schema's columns, in schema order
  std::vector<std::string> outputs;  // requested output names; empty: all
};

// `body` per the Open Inference Protocol v2 inference request: "inputs" one
// tensor per feature (name, shape [n] or [n, 1], datatype, data flat or
// nested, null for missing), or one 2-D tensor [n, k] in schema order when
// every feature is numeric; optional "id", "parameters", "outputs"
// (names among `output_names`).
Result<V2InferRequest> ParseV2Infer(const profile::Schema& schema, const core::Json& body,
                                    const std::vector<std::string>& output_names);

// A list of objects {feature: value}; `field` names the list in errors
// ("instances", "dataframe_records").
Result<table::Table> RowsFromRecords(const profile::Schema& schema, const core::Json& records,
                                     std::string_view field);

// MLflow's dataframe_split: {"columns": [...], "data": [[...], ...]}
// ("index" allowed and ignored).
Result<table::Table> RowsFromDataframeSplit(const profile::Schema& schema, const core::Json& split);

// CSV text with a header row naming the features (any order); values are
// converted to the schema's types as `mlpipe predict` does with a file.
Result<table::Table> RowsFromCsv(const profile::Schema& schema, std::string_view text);

// MLflow's scoring body (/invocations): `content_type` text/csv, or JSON with
// exactly one of dataframe_split, dataframe_records, instances.
Result<table::Table> RowsFromMlflowBody(const profile::Schema& schema,
                                        std::string_view content_type, std::string_view body);

}  // namespace mlpipe::serve
