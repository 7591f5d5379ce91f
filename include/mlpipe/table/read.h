// Reading a table from a file of any supported format, chosen by extension:
// .csv .tsv .txt (CSV), .arff (ARFF), .jsonl .ndjson (JSON Lines), case-
// insensitively. A .tsv file is read with TAB as delimiter unless one is given.
#pragma once

#include <string>
#include <vector>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/csv.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

// `csv` applies to CSV files (and its `types`, `missing_tokens` where they
// make sense to the other formats). An unknown extension is read as CSV.
Result<Table> ReadTableFile(core::Env* env, const std::string& path,
                            const CsvReadOptions& csv = {});

// The 1-based file line on which each data row of the file at `path` starts,
// for messages that name a row by its line (CsvRowLines for CSV files; an
// empty vector for ARFF and JSON Lines, whose callers name the data row).
Result<std::vector<size_t>> RowLinesOfFile(core::Env* env, const std::string& path,
                                           const CsvReadOptions& csv = {});

}  // namespace mlpipe::table
