// Private: converting a column to another type (predictor.h states the rules).
#pragma once

#include <string_view>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/status.h"
#include "mlpipe/features/row_kernel.h"
#include "mlpipe/table/column.h"

namespace mlpipe::bundle {

// `c` as `type` when every present value converts exactly; InvalidArgument
// "CONTEXT: column 'age' row 7: 'abc' is not a valid float64" otherwise.
Result<table::Column> ConvertColumn(const table::Column& c, table::DataType type,
                                    std::string_view context);

// One value of a row given for column `column` of `type`, converted by the
// rules of ConvertColumn (and TableFromJsonRows) into `cell`. A text cell
// views the value's own text or, for a number given for a text column, its
// formatting kept in `*store`. Errors as TableFromJsonRows gives them for row
// 0 ("CONTEXT: column 'age' row 0: 'abc' is not a valid float64").
Status ConvertRowValue(const RowValue& value, table::DataType type, const std::string& column,
                       std::string_view context, features::RowCell* cell, std::string* store);

}  // namespace mlpipe::bundle
