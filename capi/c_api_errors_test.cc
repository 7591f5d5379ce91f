// Bad input through the C API: each case returns a non-zero status and a
// message naming the column, row, buffer, pointer or bundle part at fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "c_api_test_util.h"
#include "mlpipe/c_api.h"

namespace capi_test {
namespace {

using ::testing::HasSubstr;

std::string LastError() { return mlpipe_last_error(); }

// A binary model and one valid row of it.
class CApiErrors : public ::testing::Test {
 protected:
  CApiErrors() : model_("binary"), csv_(ReadCsv("binary")) {}
  std::string Row(size_t r = 0) { return JsonRow(model_.m, csv_, r); }
  int PredictJson(const std::string& json) {
    int label = 0;
    double p[2];
    return mlpipe_predict_json(model_.m, json.c_str(), nullptr, &label, 1, p, 2, nullptr, 0);
  }
  Model model_;
  std::vector<std::vector<std::string>> csv_;
};

// "[a,b,...]", built by appending (GCC 12 warns falsely on "[" + a + ...).
std::string Array(const std::vector<std::string>& rows) {
  std::string out = "[";
  for (const auto& r : rows) {
    if (out.size() > 1) out += ',';
    out += r;
  }
  out += ']';
  return out;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

TEST_F(CApiErrors, UnknownColumnIsNamed) {
  std::string row = Row();
  row.replace(0, 1, "{\"agee\":3,");
  EXPECT_EQ(PredictJson(row), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("'agee' is not an input column"));
  EXPECT_THAT(LastError(), HasSubstr("did you mean 'age'"));
}

TEST_F(CApiErrors, MissingColumnIsNamed) {
  const std::string two = Array({Row(0), Replace(Row(1), "\"age\":", "\"x_unused\":")});
  // The unknown key is found first; without it, the absent column is named.
  EXPECT_EQ(PredictJson(two), MLPIPE_ERR_INVALID_ARGUMENT);
  std::string row = Row(1);
  const size_t at = row.find(",\"age\":");
  const size_t end = row.find(',', at + 1);
  row.erase(at, end - at);
  std::vector<int> labels(2);
  EXPECT_EQ(mlpipe_predict_json(model_.m, Array({Row(0), row}).c_str(), nullptr, labels.data(), 2,
                                nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("rows[1]: missing column 'age'"));
  EXPECT_EQ(PredictJson(row), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("missing column 'age'"));
}

TEST_F(CApiErrors, WrongTypeIsNamed) {
  const std::string row = Replace(Row(), "\"duration\":6", "\"duration\":\"six\"");
  EXPECT_EQ(PredictJson(row), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("column 'duration' row 0: 'six' is not a valid int64"));
  // A fractional value for an int64 column through the matrix entry.
  size_t nn = 0, nc = 0;
  mlpipe_model_input_widths(model_.m, &nn, &nc);
  std::vector<double> num(nn, 1.5);
  std::vector<const char*> cat(nc, nullptr);
  int label = 0;
  EXPECT_EQ(mlpipe_predict_matrix(model_.m, 1, num.data(), nn, cat.data(), nc, &label, 1, nullptr,
                                  0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("column 'duration' row 0: 1.5 is not a valid int64"));
}

TEST_F(CApiErrors, MalformedJsonIsPlaced) {
  EXPECT_EQ(PredictJson("[{\"age\": 3,}]"), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("json_rows:1:"));
  EXPECT_EQ(PredictJson("[1, 2]"), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("rows[0]: expected an object"));
  EXPECT_EQ(PredictJson("\"row\""), MLPIPE_ERR_INVALID_ARGUMENT);
}

TEST_F(CApiErrors, WrongBufferSizesAreNamed) {
  const std::string two = Array({Row(0), Row(1)});
  int labels[2];
  double p[4];
  double v[2];
  EXPECT_EQ(mlpipe_predict_json(model_.m, two.c_str(), nullptr, labels, 1, nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("labels: the buffer holds 1 values; 2 rows need 2"));
  EXPECT_EQ(mlpipe_predict_json(model_.m, two.c_str(), nullptr, labels, 2, p, 3, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("probabilities: the buffer holds 3 values; 2 rows x 2 "
                                     "classes need 4"));
  EXPECT_EQ(mlpipe_predict_json(model_.m, two.c_str(), nullptr, nullptr, 0, nullptr, 0, v, 2),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("values: must be NULL"));
  // Widths of the matrix entry that are not the model's.
  size_t nn = 0, nc = 0;
  mlpipe_model_input_widths(model_.m, &nn, &nc);
  std::vector<double> num(nn + 1, 1);
  std::vector<const char*> cat(nc, nullptr);
  EXPECT_EQ(mlpipe_predict_matrix(model_.m, 1, num.data(), nn + 1, cat.data(), nc, labels, 1,
                                  nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("input widths " + std::to_string(nn + 1) + " numeric"));
  // Explanation buffers.
  size_t f = 0;
  mlpipe_model_num_features(model_.m, &f);
  std::vector<double> contrib(f);
  double bias = 0;
  EXPECT_EQ(mlpipe_explain_json(model_.m, Row().c_str(), contrib.data(), f - 1, &bias, 1),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("contributions: the buffer holds"));
  EXPECT_EQ(mlpipe_explain_json(model_.m, two.c_str(), contrib.data(), f, &bias, 1),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("expected one row"));
  // A row count whose buffers could not be addressed.
  EXPECT_EQ(mlpipe_predict_matrix(model_.m, SIZE_MAX / 2, num.data(), nn, cat.data(), nc, labels, 2,
                                  nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("is too many"));
  // No buffer at all for a matrix call.
  EXPECT_EQ(mlpipe_predict_matrix(model_.m, 1, num.data(), nn, cat.data(), nc, nullptr, 0, nullptr,
                                  0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("no output buffer given"));
}

TEST_F(CApiErrors, NullPointersAreNamed) {
  int label = 0;
  size_t n = 0;
  const char* s = nullptr;
  EXPECT_EQ(mlpipe_model_load_file(nullptr, nullptr), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("path: NULL pointer"));
  mlpipe_model* loaded = model_.m;
  EXPECT_EQ(mlpipe_model_load_bytes(nullptr, 10, &loaded), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("data: NULL pointer"));
  EXPECT_EQ(loaded, nullptr);  // a failed load leaves NULL
  Model again("binary");
  EXPECT_EQ(mlpipe_predict_json(nullptr, "{}", nullptr, &label, 1, nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("model: NULL pointer"));
  EXPECT_EQ(mlpipe_predict_json(again.m, nullptr, nullptr, &label, 1, nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("json_rows: NULL pointer"));
  size_t nn = 0, nc = 0;
  mlpipe_model_input_widths(again.m, &nn, &nc);
  EXPECT_EQ(mlpipe_predict_matrix(again.m, 1, nullptr, nn, nullptr, nc, &label, 1, nullptr, 0,
                                  nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("numeric: NULL pointer"));
  EXPECT_EQ(mlpipe_model_num_columns(again.m, nullptr), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("out: NULL pointer"));
  EXPECT_EQ(mlpipe_model_task(nullptr, nullptr), MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(mlpipe_explain_json(again.m, "{}", nullptr, 0, nullptr, 0),
            MLPIPE_ERR_INVALID_ARGUMENT);
  EXPECT_THAT(LastError(), HasSubstr("contributions: NULL pointer"));
  // Indices past the end are out of range, not a crash.
  EXPECT_EQ(mlpipe_model_column(again.m, 999, &s, nullptr), MLPIPE_ERR_OUT_OF_RANGE);
  EXPECT_THAT(LastError(), HasSubstr("column index 999 is past the model's"));
  EXPECT_EQ(mlpipe_model_class_name(again.m, 2, &s), MLPIPE_ERR_OUT_OF_RANGE);
  EXPECT_THAT(LastError(), HasSubstr("class index 2"));
  EXPECT_EQ(mlpipe_model_column_category(again.m, 1, 9999, &s), MLPIPE_ERR_OUT_OF_RANGE);
  (void)n;
}

TEST(CApiLoad, DamagedBundleNamesThePart) {
  std::ifstream f(TestData("binary.mlpb"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  // A byte near the end lies in the last part's data: its checksum fails.
  bytes[bytes.size() - 10] ^= 0x55;
  mlpipe_model* m = reinterpret_cast<mlpipe_model*>(&bytes);  // overwritten with NULL
  EXPECT_EQ(mlpipe_model_load_bytes(bytes.data(), bytes.size(), &m), MLPIPE_ERR_DATA_LOSS);
  EXPECT_EQ(m, nullptr);
  EXPECT_THAT(LastError(), HasSubstr("bundle bytes"));
  EXPECT_THAT(LastError(), HasSubstr(".json"));
  // The same bytes as a file: the path is named.
  const std::string path = ::testing::TempDir() + "/damaged.mlpb";
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_EQ(mlpipe_model_load_file(path.c_str(), &m), MLPIPE_ERR_DATA_LOSS);
  EXPECT_THAT(LastError(), HasSubstr("damaged.mlpb"));
  // Truncated, and not a bundle at all.
  EXPECT_NE(mlpipe_model_load_bytes(bytes.data(), 100, &m), MLPIPE_OK);
  EXPECT_THAT(LastError(), HasSubstr("bundle bytes"));
  EXPECT_NE(mlpipe_model_load_bytes("hello", 5, &m), MLPIPE_OK);
  EXPECT_NE(mlpipe_model_load_bytes(nullptr, 0, &m), MLPIPE_OK);
  EXPECT_NE(mlpipe_model_load_file("/nonexistent/model.mlpb", &m), MLPIPE_OK);
  EXPECT_THAT(LastError(), HasSubstr("/nonexistent/model.mlpb"));
}

}  // namespace
}  // namespace capi_test
