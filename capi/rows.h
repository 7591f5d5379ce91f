// The two input forms of the scoring functions turned into what the
// Predictor takes, and the outputs written into the caller's buffers.
#pragma once

#include <string_view>
#include <vector>

#include "handle.h"
#include "mlpipe/core/json_util.h"

namespace mlpipe::capi {

// JSON rows: an array of objects, or one object (one row). Each object is
// checked against the schema: a key that is no input column is
// InvalidArgument "rows[R]: 'KEY' is not an input column of the model
// (did you mean ...?) ...". `objects` receives the row objects (views into `doc`).
Status ParseJsonRows(const mlpipe_model& model, std::string_view text, core::Json* doc,
                     std::vector<const core::Json*>* objects);

// The rows as a table of the schema's columns (a key absent from a row is
// InvalidArgument naming the row and column).
Result<table::Table> JsonRowsTable(const mlpipe_model& model,
                                   const std::vector<const core::Json*>& objects);

// The matrix form as a table: numeric columns as float64 (NaN = missing),
// categorical columns as strings (NULL = missing); the Predictor converts
// them to the schema's types.
table::Table MatrixTable(const mlpipe_model& model, size_t rows, const double* numeric,
                         const char* const* categorical);

// The caller's output buffers, each with its length in elements.
struct OutputBuffers {
  int* labels = nullptr;
  size_t labels_len = 0;
  double* probabilities = nullptr;
  size_t probabilities_len = 0;
  double* values = nullptr;
  size_t values_len = 0;

  bool empty() const { return !labels && !probabilities && !values; }
};

// InvalidArgument naming the buffer when one is given that the task has no
// use for, is too short for `rows`, or when none is given.
Status CheckBuffers(const mlpipe_model& model, size_t rows, const OutputBuffers& out);
// Copies `scores` into the buffers (CheckBuffers passed).
void WriteScores(const bundle::Scores& scores, const OutputBuffers& out);
// One row of the matrix form scored through the Predictor's row path (no
// table, no allocation once the thread has scored a row), written into the
// buffers (CheckBuffers passed for one row). REQUIRES: row_path().
Status PredictOneMatrixRow(const mlpipe_model& model, const double* numeric,
                           const char* const* categorical, const OutputBuffers& out);

}  // namespace mlpipe::capi
