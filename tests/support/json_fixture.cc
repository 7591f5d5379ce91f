#include "json_fixture.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace mlpipe::test_support {

core::Json LoadJsonFixture(const std::string& module, const std::string& name) {
  const std::string path =
      std::string(MLPIPE_SOURCE_DIR) + "/src/" + module + "/testdata/" + name + ".json";
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

size_t ForEachCase(const core::Json& fixture, const std::string& key, size_t min_cases,
                   const std::function<void(const core::Json&)>& fn) {
  if (!fixture.is_object() || !fixture.contains(key)) {
    ADD_FAILURE() << "fixture has no \"" << key << "\" cases";
    return 0;
  }
  const core::Json& cases = fixture[key];
  if (!cases.is_array()) {
    ADD_FAILURE() << "fixture \"" << key << "\" is not a list of cases";
    return 0;
  }
  if (cases.size() < min_cases) {
    ADD_FAILURE() << "fixture \"" << key << "\" has " << cases.size()
                  << " cases, expected at least " << min_cases;
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    const core::Json& c = cases[i];
    std::ostringstream label;
    label << key << '[' << i << ']';
    for (const char* field : {"name", "statistic", "model"}) {
      if (c.is_object() && c.contains(field) && c[field].is_string()) {
        label << ' ' << c[field].get<std::string>();
        break;
      }
    }
    SCOPED_TRACE(label.str());
    fn(c);
  }
  return cases.size();
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

}  // namespace mlpipe::test_support
