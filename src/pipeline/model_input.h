// Internal to the runner: a bundle's predictions on the test part as the
// MetricInput every evaluation function reads (evaluate and compare steps).
#pragma once

#include <string>
#include <vector>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"
#include "mlpipe/table/table.h"

namespace mlpipe::pipeline::internal {

// Owns the vectors `input` points into (do not copy; moving keeps the spans valid).
struct TestScores {
  std::vector<int32_t> labels, predicted;
  std::vector<double> probabilities, y_true, y_pred;
  eval::MetricInput input;
  TestScores() = default;
  TestScores(TestScores&&) = default;
  TestScores(const TestScores&) = delete;
};

// Scores `test` with `model`; the truth is the `target` column encoded with
// the bundle's classes. InvalidArgument naming the row for a missing or
// unknown label.
Result<TestScores> ScoreTest(const bundle::Predictor& model, const table::Table& test,
                             const std::string& target);

}  // namespace mlpipe::pipeline::internal
