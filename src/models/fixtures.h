// Test support: loads the matrices and reference outputs of src/models/testdata
// (written by make_fixtures.py from python3-xgboost and scikit-learn).
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "json_fixture.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/table/matrix.h"

namespace mlpipe::models::testing {

struct Fixture {
  std::string name;
  table::DenseMatrix x;       // every row of <name>.csv
  std::vector<float> labels;  // its label column
  core::Json expected;        // <name>_expected.json
  Task task = Task::kBinary;
  int num_classes = 2;
};

// The data sets: credit_g, credit_data, iris, cpu, diamonds.
const std::vector<std::string>& FixtureNames();
// Loads (once, cached) the fixture; fails the test when a file is missing.
const Fixture& LoadFixture(const std::string& name);

// The case's hyperparameters as HyperParams.
HyperParams CaseParams(const core::Json& c);
// The rows [0, end) of `x` / `labels`.
table::DenseMatrix Head(const table::DenseMatrix& x, size_t end);
// Row weights for a scheme name of make_fixtures.py ("none" -> empty).
std::vector<float> Weights(const std::string& scheme, size_t n);

// |a - b| <= abs_tol + rel_tol * |b|.
::testing::AssertionResult Near(double a, double b, double abs_tol, double rel_tol);

}  // namespace mlpipe::models::testing
