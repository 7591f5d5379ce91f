// Decimal commas (internal to the table module): the CSV reader's second look
// at text columns of a ';'-delimited file (csv.h).
#pragma once

#include "mlpipe/table/column.h"
#include "value_parse.h"

namespace mlpipe::table::internal {

// When every present value of text column `c` is [+-]digits[,digits] (spaces
// around ignored) and at least one has the comma, sets `*out` to the float64
// column of those numbers read with ',' as the decimal separator and returns
// true; otherwise returns false.
bool ReadDecimalCommas(const Column& c, Column* out);

}  // namespace mlpipe::table::internal
