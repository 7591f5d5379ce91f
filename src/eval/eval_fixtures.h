// Test support: the golden case files of src/eval/testdata (written by
// make_fixtures.py from scikit-learn on real model predictions), loaded into
// owning structs with MetricInput views.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mlpipe/core/json_util.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval::testing {

// The parsed src/eval/testdata/<name>.json; fails the test when missing.
core::Json LoadFixture(const std::string& name);

// A JSON number, or NaN for null.
double Num(const core::Json& j);
std::vector<double> Doubles(const core::Json& j);
std::vector<int32_t> Ints(const core::Json& j);

// One model's classification predictions on a fixture's rows.
struct ClassificationCase {
  std::string model;
  int num_classes = 2;
  std::vector<int32_t> labels, predicted;
  std::vector<double> probabilities, weights;
  core::Json json;  // the case object: metrics, weighted_metrics, ...
  // A view of labels/predicted/probabilities; weights only when `weighted`.
  MetricInput Input(bool weighted = false) const;
};

// The cases of binary.json (credit-g) or multiclass.json (iris).
std::vector<ClassificationCase> LoadClassification(const std::string& file);

struct RegressionCase {
  std::vector<double> y_true, y_pred, weights;
  core::Json json;
  MetricInput Input(bool weighted = false) const;
};
RegressionCase LoadRegression();

// |actual - expected| <= rel * max(|expected|, 1e-300); NaN matches NaN only.
::testing::AssertionResult RelNear(double actual, double expected, double rel);

}  // namespace mlpipe::eval::testing

#define EXPECT_REL(actual, expected, rel) \
  EXPECT_TRUE(::mlpipe::eval::testing::RelNear((actual), (expected), (rel)))
