#include "eval_fixtures.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace mlpipe::eval::testing {

MetricInput ClassificationCase::Input(bool weighted) const {
  MetricInput in;
  in.labels = labels;
  in.predicted = predicted;
  in.probabilities = probabilities;
  in.num_classes = num_classes;
  if (weighted) in.weights = weights;
  return in;
}

std::vector<ClassificationCase> LoadClassification(const std::string& file) {
  const core::Json j = LoadFixture(file);
  std::vector<ClassificationCase> out;
  ForEachCase(j, "cases", 2, [&](const core::Json& c) {
    ClassificationCase k;
    k.model = c["model"].get<std::string>();
    k.num_classes = j.value("num_classes", 2);
    k.labels = Ints(j["labels"]);
    k.weights = Doubles(j["weights"]);
    k.predicted = Ints(c["predicted"]);
    k.probabilities = Doubles(c["probabilities"]);
    k.json = c;
    out.push_back(std::move(k));
  });
  return out;
}

MetricInput RegressionCase::Input(bool weighted) const {
  MetricInput in;
  in.y_true = y_true;
  in.y_pred = y_pred;
  if (weighted) in.weights = weights;
  return in;
}

RegressionCase LoadRegression() {
  const core::Json j = LoadFixture("regression");
  RegressionCase r;
  if (!j.contains("y_true")) return r;
  r.y_true = Doubles(j["y_true"]);
  r.y_pred = Doubles(j["y_pred"]);
  r.weights = Doubles(j["weights"]);
  r.json = j;
  return r;
}

}  // namespace mlpipe::eval::testing
