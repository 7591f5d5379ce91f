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

std::vector<int32_t> ProtectedGroups(const table::Column& column, const std::vector<size_t>& rows,
                                     std::vector<std::string>* names) {
  const table::Column part = column.Take(rows);
  const bool numeric = table::IsNumeric(column.type()) && column.type() != table::DataType::kBool;
  std::vector<double> values;
  if (numeric) {
    for (size_t i = 0; i < column.size(); ++i) {
      if (column.IsValid(i) && !std::isnan(column.NumericAt(i)))
        values.push_back(column.NumericAt(i));
    }
    std::sort(values.begin(), values.end());
  }
  size_t distinct = 0;
  for (size_t i = 0; i < values.size(); ++i) distinct += i == 0 || values[i] != values[i - 1];
  if (!numeric || distinct <= 10) return eval::ColumnCodes(part, names);
  auto quantile = [&](double q) {  // numpy's linear method
    const double pos = q * static_cast<double>(values.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  std::vector<double> edges = {-std::numeric_limits<double>::infinity()};
  for (double q : {0.25, 0.5, 0.75}) {
    if (quantile(q) > edges.back()) edges.push_back(quantile(q));
  }
  edges.push_back(std::numeric_limits<double>::infinity());
  names->clear();
  for (size_t k = 0; k + 1 < edges.size(); ++k) {
    names->push_back(fmt::format("({:g}, {:g}]", edges[k], edges[k + 1]));
  }
  std::vector<int32_t> codes(part.size());
  for (size_t r = 0; r < part.size(); ++r) {
    if (!part.IsValid(r) || std::isnan(part.NumericAt(r))) {
      if (names->back() != "(missing)") names->push_back("(missing)");
      codes[r] = static_cast<int32_t>(names->size() - 1);
      continue;
    }
    auto it = std::lower_bound(edges.begin() + 1, edges.end(), part.NumericAt(r));
    codes[r] = static_cast<int32_t>(it - edges.begin() - 1);
  }
  return codes;
}

}  // namespace mlpipe::pipeline::internal
