// The C API as a user sees it: schema, scoring through both entries (which
// must agree with each other and with the one-row path), explanations that sum
// to the margin, and every kind of bad input refused with a status and a
// message naming what is wrong — never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "c_api_test_util.h"
#include "mlpipe/c_api.h"

namespace capi_test {
namespace {

std::string LastError() { return mlpipe_last_error(); }

// The matrix inputs of `rows` data rows of a test CSV.
struct MatrixInput {
  std::vector<double> numeric;
  std::vector<std::string> text;  // owns the strings
  std::vector<const char*> categorical;
  size_t nn = 0, nc = 0;
};

MatrixInput ToMatrix(const mlpipe_model* m, const std::vector<std::vector<std::string>>& csv,
                     size_t rows) {
  MatrixInput in;
  mlpipe_model_input_widths(m, &in.nn, &in.nc);
  size_t n = 0;
  mlpipe_model_num_columns(m, &n);
  std::vector<size_t> pos(n);  // column of the CSV per schema column
  std::vector<int> types(n);
  for (size_t k = 0; k < n; ++k) {
    const char* name = nullptr;
    mlpipe_model_column(m, k, &name, &types[k]);
    for (size_t c = 0; c < csv[0].size(); ++c) {
      if (csv[0][c] == name) pos[k] = c;
    }
  }
  in.text.reserve(rows * in.nc);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < n; ++k) {
      const std::string& v = csv[r + 1][pos[k]];
      if (types[k] == MLPIPE_TYPE_CATEGORICAL || types[k] == MLPIPE_TYPE_STRING) {
        in.text.push_back(v);
        in.categorical.push_back(v.empty() ? nullptr : in.text.back().c_str());
      } else {
        in.numeric.push_back(v.empty() ? NAN : std::strtod(v.c_str(), nullptr));
      }
    }
  }
  return in;
}

TEST(CApi, VersionAndSchema) {
  EXPECT_STRNE(mlpipe_version(), "");
  Model model("binary");
  ASSERT_NE(model.m, nullptr);
  int task = -1;
  ASSERT_EQ(mlpipe_model_task(model.m, &task), MLPIPE_OK);
  EXPECT_EQ(task, MLPIPE_TASK_BINARY);
  size_t k = 0;
  ASSERT_EQ(mlpipe_model_num_classes(model.m, &k), MLPIPE_OK);
  ASSERT_EQ(k, 2u);
  const char* c0 = nullptr;
  const char* c1 = nullptr;
  ASSERT_EQ(mlpipe_model_class_name(model.m, 0, &c0), MLPIPE_OK);
  ASSERT_EQ(mlpipe_model_class_name(model.m, 1, &c1), MLPIPE_OK);
  // credit-g's classes; the positive one defaults to the minority, "bad".
  EXPECT_STREQ(c0, "good");
  EXPECT_STREQ(c1, "bad");
  // The columns are credit-g's header without the target, in file order.
  const auto csv = ReadCsv("binary");
  size_t n = 0, nn = 0, nc = 0;
  ASSERT_EQ(mlpipe_model_num_columns(model.m, &n), MLPIPE_OK);
  ASSERT_EQ(n, csv[0].size());
  ASSERT_EQ(mlpipe_model_input_widths(model.m, &nn, &nc), MLPIPE_OK);
  EXPECT_EQ(nn + nc, n);
  for (size_t i = 0; i < n; ++i) {
    const char* name = nullptr;
    int type = -1;
    ASSERT_EQ(mlpipe_model_column(model.m, i, &name, &type), MLPIPE_OK);
    EXPECT_EQ(name, csv[0][i]);
    if (std::string(name) == "purpose") {
      EXPECT_EQ(type, MLPIPE_TYPE_CATEGORICAL);
      size_t cats = 0;
      ASSERT_EQ(mlpipe_model_column_num_categories(model.m, i, &cats), MLPIPE_OK);
      std::vector<std::string> got;
      for (size_t j = 0; j < cats; ++j) {
        const char* c = nullptr;
        ASSERT_EQ(mlpipe_model_column_category(model.m, i, j, &c), MLPIPE_OK);
        got.push_back(c);
      }
      EXPECT_NE(std::find(got.begin(), got.end(), "radio/tv"), got.end());
    }
    if (std::string(name) == "duration") {
      EXPECT_EQ(type, MLPIPE_TYPE_INT64);
    }
  }
}

// Every row of the file through the matrix entry, through one JSON array,
// one JSON row at a time and one matrix row at a time: all agree exactly.
void ExpectEntriesAgree(const std::string& name) {
  Model model(name);
  ASSERT_NE(model.m, nullptr);
  const auto csv = ReadCsv(name);
  const size_t rows = csv.size() - 1;
  int task = 0;
  size_t k = 0;
  mlpipe_model_task(model.m, &task);
  mlpipe_model_num_classes(model.m, &k);
  const bool reg = task == MLPIPE_TASK_REGRESSION;
  const size_t width = reg ? 1 : k;

  MatrixInput in = ToMatrix(model.m, csv, rows);
  std::vector<int> labels(rows);
  std::vector<double> out(rows * width);
  ASSERT_EQ(mlpipe_predict_matrix(model.m, rows, in.numeric.data(), in.nn, in.categorical.data(),
                                  in.nc, reg ? nullptr : labels.data(), reg ? 0 : rows,
                                  reg ? nullptr : out.data(), reg ? 0 : out.size(),
                                  reg ? out.data() : nullptr, reg ? out.size() : 0),
            MLPIPE_OK)
      << LastError();

  std::string all = "[";
  for (size_t r = 0; r < rows; ++r) {
    if (r > 0) all += ',';
    all += JsonRow(model.m, csv, r);
  }
  all += "]";
  size_t counted = 0;
  ASSERT_EQ(mlpipe_predict_json(model.m, all.c_str(), &counted, nullptr, 0, nullptr, 0, nullptr, 0),
            MLPIPE_OK)
      << LastError();
  EXPECT_EQ(counted, rows);  // the size query
  std::vector<int> labels2(rows);
  std::vector<double> out2(rows * width);
  ASSERT_EQ(mlpipe_predict_json(model.m, all.c_str(), nullptr, reg ? nullptr : labels2.data(),
                                reg ? 0 : rows, reg ? nullptr : out2.data(), reg ? 0 : out2.size(),
                                reg ? out2.data() : nullptr, reg ? out2.size() : 0),
            MLPIPE_OK)
      << LastError();
  EXPECT_EQ(labels, labels2);
  EXPECT_EQ(out, out2);

  for (size_t r = 0; r < rows; r += 7) {
    const std::string one = JsonRow(model.m, csv, r);
    int label = -1;
    std::vector<double> o(width);
    ASSERT_EQ(mlpipe_predict_json(model.m, one.c_str(), nullptr, reg ? nullptr : &label,
                                  reg ? 0 : 1, reg ? nullptr : o.data(), reg ? 0 : width,
                                  reg ? o.data() : nullptr, reg ? 1 : 0),
              MLPIPE_OK)
        << LastError();
    for (size_t j = 0; j < width; ++j) EXPECT_EQ(o[j], out[r * width + j]) << "row " << r;
    if (!reg) {
      EXPECT_EQ(label, labels[r]) << "row " << r;
    }
    // One row through the matrix entry (the Predictor's row path).
    int label1 = -1;
    std::vector<double> o1(width);
    ASSERT_EQ(mlpipe_predict_matrix(model.m, 1, in.numeric.data() + r * in.nn, in.nn,
                                    in.categorical.data() + r * in.nc, in.nc,
                                    reg ? nullptr : &label1, reg ? 0 : 1, reg ? nullptr : o1.data(),
                                    reg ? 0 : width, reg ? o1.data() : nullptr, reg ? 1 : 0),
              MLPIPE_OK)
        << LastError();
    for (size_t j = 0; j < width; ++j) EXPECT_EQ(o1[j], out[r * width + j]) << "row " << r;
    if (!reg) {
      EXPECT_EQ(label1, labels[r]) << "row " << r;
    }
  }
  if (!reg) {
    for (size_t r = 0; r < rows; ++r) {
      double sum = 0;
      for (size_t j = 0; j < k; ++j) sum += out[r * k + j];
      EXPECT_NEAR(sum, 1.0, 1e-6);  // softmax in single precision
    }
  }
}

TEST(CApi, BinaryEntriesAgree) { ExpectEntriesAgree("binary"); }
TEST(CApi, MulticlassEntriesAgree) { ExpectEntriesAgree("multiclass"); }
TEST(CApi, RegressionEntriesAgree) { ExpectEntriesAgree("regression"); }

TEST(CApi, ExplanationSumsToTheMargin) {
  Model model("binary");
  ASSERT_NE(model.m, nullptr);
  const auto csv = ReadCsv("binary");
  size_t f = 0, o = 0;
  ASSERT_EQ(mlpipe_model_num_features(model.m, &f), MLPIPE_OK);
  ASSERT_EQ(mlpipe_model_num_outputs(model.m, &o), MLPIPE_OK);
  ASSERT_EQ(o, 1u);
  ASSERT_GT(f, 0u);
  const char* fname = nullptr;
  ASSERT_EQ(mlpipe_model_feature_name(model.m, f - 1, &fname), MLPIPE_OK);
  EXPECT_STRNE(fname, "");
  for (size_t r = 0; r < 20; ++r) {
    const std::string row = JsonRow(model.m, csv, r);
    std::vector<double> contrib(f);
    double bias = 0;
    ASSERT_EQ(mlpipe_explain_json(model.m, row.c_str(), contrib.data(), f, &bias, 1), MLPIPE_OK)
        << LastError();
    double margin = bias;
    for (double c : contrib) margin += c;
    double p[2];
    ASSERT_EQ(mlpipe_predict_json(model.m, row.c_str(), nullptr, nullptr, 0, p, 2, nullptr, 0),
              MLPIPE_OK);
    // Binary: the positive class' log-odds through the logistic link.
    EXPECT_NEAR(1 / (1 + std::exp(-margin)), p[1], 1e-5) << "row " << r;
  }
}

TEST(CApi, LoadFromBytes) {
  std::ifstream f(TestData("regression.mlpb"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  mlpipe_model* m = nullptr;
  ASSERT_EQ(mlpipe_model_load_bytes(bytes.data(), bytes.size(), &m), MLPIPE_OK) << LastError();
  int task = -1;
  EXPECT_EQ(mlpipe_model_task(m, &task), MLPIPE_OK);
  EXPECT_EQ(task, MLPIPE_TASK_REGRESSION);
  size_t k = 7;
  EXPECT_EQ(mlpipe_model_num_classes(m, &k), MLPIPE_OK);
  EXPECT_EQ(k, 0u);
  EXPECT_EQ(mlpipe_model_free(m), MLPIPE_OK);
  EXPECT_EQ(mlpipe_model_free(nullptr), MLPIPE_OK);
}

}  // namespace
}  // namespace capi_test
