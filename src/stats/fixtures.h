// Test support: loads the golden case files of src/stats/testdata (written by
// make_fixtures.py from scipy) and compares doubles relatively.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/json_util.h"

namespace mlpipe::stats::testing {

// The parsed src/stats/testdata/<name>.json; fails the test when missing.
core::Json LoadFixture(const std::string& name);

// A JSON number, or NaN for null.
double Num(const core::Json& j);
std::vector<double> Doubles(const core::Json& j);
std::vector<int32_t> Ints(const core::Json& j);

// |actual - expected| <= rel * max(|expected|, 1e-300); NaN matches NaN only.
::testing::AssertionResult RelNear(double actual, double expected, double rel);

}  // namespace mlpipe::stats::testing

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_TRUE(::mlpipe::stats::testing::RelNear((actual), (expected), (rel)))
