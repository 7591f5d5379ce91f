// Batch scoring: a whole table through a Predictor in chunks, written as the
// prediction CSV of `mlpipe predict` (docs/bundle.md). Shared by the command
// line and the server's batch endpoint, so both write the same bytes.
//
// The CSV: a header "row," + Predictor::OutputColumns(), then one line per
// input row: its 0-based index, then for binary targets the predicted label,
// the score P(positive) and P(class) per class; multiclass the predicted label
// and P(class) per class; regression the prediction. Numbers are written with
// 17 significant digits, so they read back to the same doubles.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/table.h"

namespace mlpipe::bundle {

// A row that could not be scored, and why (the Predictor's error for it alone).
struct UnscoredRow {
  size_t row = 0;  // 0-based row of the input table
  Status status;
};

struct ScoreOptions {
  // Rows scored per Predict call (bounds the memory of one batch); 0 acts as 1.
  size_t chunk = 65536;
  // Called after each chunk with the number of rows it scored (a progress bar).
  std::function<void(size_t rows)> on_chunk;
  // When not null, a row that cannot be scored (an InvalidArgument error for
  // that row alone, e.g. a value that does not convert) is recorded here and
  // written with empty output fields, and the other rows are scored. When
  // null, or when no row of a batch can be scored (a missing column), the
  // error fails the whole call.
  std::vector<UnscoredRow>* unscored = nullptr;
};

// The prediction CSV header line, with its newline.
std::string PredictionCsvHeader(const Predictor& predictor);

// Appends the CSV lines of `scores` (rows first_row, first_row + 1, ...) to `out`.
void AppendPredictionCsv(const Predictor& predictor, const Scores& scores, size_t first_row,
                         std::string* out);

// Scores every row of `data` and returns the whole CSV, header included. An
// error is the Predictor's (a missing column, a value that does not convert).
Result<std::string> ScoreToCsv(const Predictor& predictor, const table::Table& data,
                               const ScoreOptions& options = {});

// Warning lines for unscored rows, each naming the row as SOURCE:LINE when
// `row_lines` (the file line of each data row) covers it, as "SOURCE: data
// row N" otherwise; at most `max_lines` lines, then one that counts the rest.
std::vector<std::string> DescribeUnscored(const std::vector<UnscoredRow>& unscored,
                                          const std::string& source,
                                          const std::vector<size_t>& row_lines,
                                          size_t max_lines = 20);

}  // namespace mlpipe::bundle
