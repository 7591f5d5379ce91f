// Test support: the golden case files of src/stats/testdata (written by
// make_fixtures.py from scipy), through tests/support.
#pragma once

#include <string>

#include "json_fixture.h"

namespace mlpipe::stats::testing {

// The parsed src/stats/testdata/<name>.json; fails the test when missing.
inline core::Json LoadFixture(const std::string& name) {
  return test_support::LoadJsonFixture("stats", name);
}

using test_support::Doubles;
using test_support::ForEachCase;
using test_support::Ints;
using test_support::Num;
using test_support::RelNear;

}  // namespace mlpipe::stats::testing
