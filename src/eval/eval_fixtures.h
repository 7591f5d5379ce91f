// Test support: the golden case files of src/eval/testdata (written by
// make_fixtures.py from scikit-learn on real model predictions), loaded into
// owning structs with MetricInput views.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "json_fixture.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/eval/metric_input.h"

namespace mlpipe::eval::testing {

// The parsed src/eval/testdata/<name>.json; fails the test when missing.
inline core::Json LoadFixture(const std::string& name) {
  return test_support::LoadJsonFixture("eval", name);
}

using test_support::Doubles;
using test_support::ForEachCase;
using test_support::Ints;
using test_support::Num;
using test_support::RelNear;

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

}  // namespace mlpipe::eval::testing
