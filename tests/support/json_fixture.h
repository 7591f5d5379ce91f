// Test support shared by the modules' unit tests: golden-value files (JSON
// written by a folder's testdata/make_fixtures.py from scipy, scikit-learn or
// python-xgboost) and relative comparison of doubles. Linked into every
// <module>_tests binary; not part of any module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/json_util.h"

namespace mlpipe::test_support {

// The parsed src/<module>/testdata/<name>.json of the source tree; fails the
// test (and returns an empty object) when it is missing or malformed.
core::Json LoadJsonFixture(const std::string& module, const std::string& name);

// Calls `fn` on every element of fixture[key], each inside a SCOPED_TRACE that
// names the key, the index and the case's "name" (or "statistic", "model")
// when it has one. Fails the test when fixture[key] is missing, is not an
// array or holds fewer than `min_cases` elements, so that a golden loop cannot
// pass by comparing nothing. Returns the number of cases visited. A fatal
// assertion inside `fn` ends that case only.
size_t ForEachCase(const core::Json& fixture, const std::string& key, size_t min_cases,
                   const std::function<void(const core::Json&)>& fn);

// A JSON number, or NaN for null.
double Num(const core::Json& j);
std::vector<double> Doubles(const core::Json& j);
std::vector<int32_t> Ints(const core::Json& j);

// |actual - expected| <= rel * max(|expected|, 1e-300); NaN matches NaN only.
::testing::AssertionResult RelNear(double actual, double expected, double rel);

}  // namespace mlpipe::test_support

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_TRUE(::mlpipe::test_support::RelNear((actual), (expected), (rel)))
