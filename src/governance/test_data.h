// Test helpers: credit-g with a derived `sex` column, and the Python
// reference answers (testdata/reference.json, from make_fixtures.py).
#pragma once

#include <string>

#include "mlpipe/core/json_util.h"
#include "mlpipe/table/table.h"

namespace mlpipe::governance::testing {

// examples/data/credit-g.csv plus `sex`: "male" where personal_status starts
// with "male", otherwise "female" (as make_fixtures.py derives it).
table::Table CreditGWithSex();

// testdata/reference.json.
const core::Json& Reference();

}  // namespace mlpipe::governance::testing
