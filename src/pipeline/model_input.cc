// A bundle's test-part predictions as a MetricInput.
#include "model_input.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "mlpipe/eval/cv.h"

namespace mlpipe::pipeline::internal {

Result<TestScores> ScoreTest(const bundle::Predictor& model, const table::Table& test,
                             const std::string& target) {
  MLPIPE_ASSIGN_OR_RETURN(bundle::Scores scores, model.Predict(test));
  MLPIPE_ASSIGN_OR_RETURN(const table::Column* truth, test.GetColumn(target));
  const bundle::ModelBundle& b = model.bundle();
  TestScores out;
  if (b.task == models::Task::kRegression) {
    for (size_t i = 0; i < truth->size(); ++i) {
      if (!truth->IsValid(i)) {
        return InvalidArgumentError(fmt::format("target '{}': missing at test row {}", target, i));
      }
      out.y_true.push_back(truth->NumericAt(i));
    }
    out.y_pred = std::move(scores.values);
    out.input.y_true = out.y_true;
    out.input.y_pred = out.y_pred;
    return out;
  }
  for (size_t i = 0; i < truth->size(); ++i) {
    const std::string label = truth->IsValid(i) ? truth->ToStringAt(i) : "";
    auto it = std::find(b.classes.begin(), b.classes.end(), label);
    if (!truth->IsValid(i) || it == b.classes.end()) {
      return InvalidArgumentError(fmt::format(
          "target '{}': test row {} has label '{}', not a class of the model", target, i, label));
    }
    out.labels.push_back(static_cast<int32_t>(it - b.classes.begin()));
  }
  out.predicted = std::move(scores.labels);
  const size_t k = scores.num_classes;
  if (b.task == models::Task::kBinary) {
    for (size_t i = 0; i < scores.rows; ++i)
      out.probabilities.push_back(scores.probabilities[i * k + 1]);
  } else {
    out.probabilities = std::move(scores.probabilities);
  }
  out.input.labels = out.labels;
  out.input.predicted = out.predicted;
  out.input.probabilities = out.probabilities;
  out.input.num_classes = static_cast<int>(b.classes.size());
  return out;
}

}  // namespace mlpipe::pipeline::internal
