#include "eval_fixtures.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace mlpipe::eval::testing {

core::Json LoadFixture(const std::string& name) {
  const std::string path = std::string(MLPIPE_SOURCE_DIR) + "/src/eval/testdata/" + name + ".json";
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return core::Json::object();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = core::ParseJson(ss.str(), path);
  if (!parsed.ok()) {
    ADD_FAILURE() << parsed.status().ToString();
    return core::Json::object();
  }
  return *parsed;
}

double Num(const core::Json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

std::vector<double> Doubles(const core::Json& j) {
  std::vector<double> out;
  out.reserve(j.size());
  for (const auto& v : j) out.push_back(Num(v));
  return out;
}

std::vector<int32_t> Ints(const core::Json& j) {
  std::vector<int32_t> out;
  out.reserve(j.size());
  for (const auto& v : j) out.push_back(v.get<int32_t>());
  return out;
}

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
  if (!j.contains("cases")) return out;
  for (const auto& c : j["cases"]) {
    ClassificationCase k;
    k.model = c["model"].get<std::string>();
    k.num_classes = j.value("num_classes", 2);
    k.labels = Ints(j["labels"]);
    k.weights = Doubles(j["weights"]);
    k.predicted = Ints(c["predicted"]);
    k.probabilities = Doubles(c["probabilities"]);
    k.json = c;
    out.push_back(std::move(k));
  }
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

::testing::AssertionResult RelNear(double actual, double expected, double rel) {
  if (std::isnan(expected) || std::isnan(actual)) {
    if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected;
  }
  const double tol = rel * std::max(std::abs(expected), 1e-300);
  if (std::abs(actual - expected) <= tol || actual == expected) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << std::setprecision(17) << "actual " << actual << " vs expected " << expected
         << " (relative error " << std::abs(actual - expected) / std::abs(expected) << " > " << rel
         << ")";
}

}  // namespace mlpipe::eval::testing
