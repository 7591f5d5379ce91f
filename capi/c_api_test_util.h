// Shared by the C API tests: the bundles and rows that capi/make_test_bundles.py
// wrote (MLPIPE_CAPI_TESTDATA), read through the C header alone.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mlpipe/c_api.h"

namespace capi_test {

inline std::string TestData(const std::string& name) {
  const char* dir = std::getenv("MLPIPE_CAPI_TESTDATA");
  return std::string(dir != nullptr ? dir : "capi_testdata") + "/" + name;
}

// Owns a model loaded from a test bundle; fails the test when it does not load.
struct Model {
  mlpipe_model* m = nullptr;
  explicit Model(const std::string& name) {
    const int rc = mlpipe_model_load_file(TestData(name + ".mlpb").c_str(), &m);
    EXPECT_EQ(rc, MLPIPE_OK) << mlpipe_last_error();
  }
  ~Model() { mlpipe_model_free(m); }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
};

// The rows of a test CSV (header first; the files have no quoted fields).
inline std::vector<std::vector<std::string>> ReadCsv(const std::string& name) {
  std::ifstream in(TestData(name + ".csv"));
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) fields.push_back(f);
    if (!line.empty() && line.back() == ',') fields.push_back("");
    rows.push_back(fields);
  }
  return rows;
}

// Data row `r` (0-based, header excluded) as a JSON object: numbers for the
// numeric columns, strings for the others, null for an empty field.
inline std::string JsonRow(const mlpipe_model* m, const std::vector<std::vector<std::string>>& csv,
                           size_t r) {
  std::string out = "{";
  for (size_t c = 0; c < csv[0].size(); ++c) {
    int type = 0;
    size_t n = 0;
    mlpipe_model_num_columns(m, &n);
    for (size_t k = 0; k < n; ++k) {
      const char* name = nullptr;
      mlpipe_model_column(m, k, &name, &type);
      if (csv[0][c] == name) break;
    }
    const std::string& v = csv[r + 1][c];
    out += (c ? ",\"" : "\"") + csv[0][c] + "\":";
    if (v.empty()) {
      out += "null";
    } else if (type == MLPIPE_TYPE_CATEGORICAL || type == MLPIPE_TYPE_STRING) {
      out += "\"" + v + "\"";
    } else {
      out += v;
    }
  }
  return out + "}";
}

}  // namespace capi_test
