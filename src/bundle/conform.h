// Private: converting a column to another type (predictor.h states the rules).
#pragma once

#include <string_view>

#include "mlpipe/core/status.h"
#include "mlpipe/table/column.h"

namespace mlpipe::bundle {

// `c` as `type` when every present value converts exactly; InvalidArgument
// "CONTEXT: column 'age' row 7: 'abc' is not a valid float64" otherwise.
Result<table::Column> ConvertColumn(const table::Column& c, table::DataType type,
                                    std::string_view context);

}  // namespace mlpipe::bundle
