// Test support for the features module: the golden cases of
// src/features/testdata/reference.json (written by make_fixtures.py from
// scikit-learn), the example data files, and small table builders.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/json_util.h"
#include "mlpipe/table/table.h"

namespace mlpipe::features::testing {

// The parsed reference.json; fails the test when missing.
const core::Json& Reference();
// examples/data/<name>, read once with the default CSV options.
const table::Table& ExampleData(const std::string& name);
// Rows [begin, end) of `t`.
table::Table Rows(const table::Table& t, size_t begin, size_t end);

// Compares column `actual` with `expected` (null = missing) within a relative
// tolerance; with `sign_free`, also accepts -expected.
::testing::AssertionResult ColumnNear(const table::Column& actual, const core::Json& expected,
                                      double rel, bool sign_free = false);

// A mixed table for round-trip and error tests: numeric with missing values,
// an int, a bool, two categoricals (one with missing), a string, a target.
table::Table MixedTable(size_t rows, uint64_t seed);

}  // namespace mlpipe::features::testing
