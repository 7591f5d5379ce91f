// Reading a table from a file of any supported format, chosen by extension:
// .csv .tsv .txt (CSV), .arff (ARFF), .jsonl .ndjson (JSON Lines), case-
// insensitively. A .tsv file is read with TAB as delimiter unless one is given.
#pragma once

#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/table/csv.h"
#include "mlpipe/table/table.h"

namespace mlpipe::table {

// `csv` applies to CSV files (and its `types`, `missing_tokens` where they
// make sense to the other formats). An unknown extension is read as CSV.
Result<Table> ReadTableFile(core::Env* env, const std::string& path,
                            const CsvReadOptions& csv = {});

}  // namespace mlpipe::table
