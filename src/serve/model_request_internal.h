// Helpers shared by the request parsers (model_request.cc, model_request_v2.cc).
// Private to them.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/profile/schema.h"

namespace mlpipe::serve::request_internal {

// "number", "string", "list", ... for messages.
std::string JsonKind(const core::Json& v);
// `s` clipped and in single quotes.
std::string Quoted(std::string_view s);
// OK when `v` is an acceptable value of feature `col`; else InvalidArgument
// "WHERE: feature 'F' (TYPE) expected ..., got ...".
Status CheckValue(const profile::ColumnSchema& col, const core::Json& v, const std::string& where);

// Rows (one JSON list per row, schema order) filled cell by cell, then one table.
class RowsBuilder {
 public:
  RowsBuilder(const profile::Schema& schema, size_t n);
  // CheckValue, then stores the value.
  Status Set(size_t row, size_t feature, const core::Json& v, const std::string& where);
  Result<table::Table> Finish(std::string_view context);

 private:
  const profile::Schema& schema_;
  core::Json rows_;
};

std::unordered_map<std::string, size_t> FeatureIndex(const profile::Schema& schema);
// The feature names, comma-separated (clipped after ~300 bytes).
std::string FeatureList(const profile::Schema& schema);
// InvalidArgument naming `field` when n > kMaxRequestRows.
Status CheckRowCount(size_t n, std::string_view field);

}  // namespace mlpipe::serve::request_internal
