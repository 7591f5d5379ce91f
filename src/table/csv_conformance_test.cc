// The CSV conformance corpus (testdata/csv/NAME.csv beside NAME.expected.json,
// written by testdata/make_fixtures.py from Python's csv module and pandas)
// and checks against independent parsers: Python's csv module for the fields
// of every corpus file, pandas for the example datasets.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mlpipe/table/csv.h"

namespace mlpipe::table {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSource = MLPIPE_SOURCE_DIR;
const fs::path kTestdata = kSource / "src/table/testdata";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a command and returns its standard output; fails the test on a
// non-zero exit.
std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) {
    ADD_FAILURE() << "cannot run " << cmd;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  int rc = pclose(f);
  EXPECT_EQ(rc, 0) << cmd;
  return out;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kTestdata / "csv"))
    if (e.path().extension() == ".csv") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Compares one value of `col` with its expectation (null: missing; for
// float64, "nan"/"inf"/"-inf" strings stand for those values).
void ExpectValue(const Column& col, size_t row, const json& want, const std::string& where) {
  if (want.is_null()) {
    EXPECT_FALSE(col.IsValid(row)) << where;
    return;
  }
  ASSERT_TRUE(col.IsValid(row)) << where;
  switch (col.type()) {
    case DataType::kBool:
      EXPECT_EQ(col.bools()[row] != 0, want.get<bool>()) << where;
      break;
    case DataType::kInt64:
      EXPECT_EQ(col.int64s()[row], want.get<int64_t>()) << where;
      break;
    case DataType::kFloat64: {
      double got = col.float64s()[row];
      if (want.is_string()) {
        std::string s = want.get<std::string>();
        double w = s == "nan" ? NAN : s == "inf" ? INFINITY : -INFINITY;
        if (std::isnan(w)) {
          EXPECT_TRUE(std::isnan(got)) << where;
        } else {
          EXPECT_EQ(got, w) << where;
        }
      } else {
        EXPECT_EQ(got, want.get<double>()) << where;
      }
      break;
    }
    case DataType::kCategorical:
    case DataType::kString:
      EXPECT_EQ(col.TextAt(row), want.get<std::string>()) << where;
      break;
  }
}

TEST(CsvConformanceTest, CorpusMatchesGoldenFiles) {
  std::vector<fs::path> files = CorpusFiles();
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    fs::path golden = file;
    golden.replace_extension(".expected.json");
    json want = json::parse(Slurp(golden));
    // Sequential and tiny parallel chunks must agree with the golden file.
    for (size_t chunk_bytes : {size_t{0}, size_t{3}}) {
      CsvReadOptions o;
      o.chunk_bytes = chunk_bytes;
      o.threads = chunk_bytes == 0 ? 1 : 4;
      Result<Table> t = ReadCsvString(Slurp(file), file.filename().string(), o);
      if (want.contains("error")) {
        ASSERT_FALSE(t.ok());
        EXPECT_EQ(t.status().message(), want["error"].get<std::string>());
        continue;
      }
      ASSERT_TRUE(t.ok()) << t.status().ToString();
      const json& cols = want["columns"];
      ASSERT_EQ(t->num_columns(), cols.size());
      for (size_t c = 0; c < cols.size(); ++c) {
        const Column& col = t->column(c);
        EXPECT_EQ(col.name(), cols[c]["name"].get<std::string>());
        EXPECT_EQ(DataTypeName(col.type()), cols[c]["type"].get<std::string>()) << col.name();
        const json& values = cols[c]["values"];
        ASSERT_EQ(col.size(), values.size()) << col.name();
        for (size_t r = 0; r < values.size(); ++r)
          ExpectValue(col, r, values[r], col.name() + " row " + std::to_string(r));
      }
    }
  }
}

TEST(CsvConformanceTest, FieldsMatchPythonCsvModule) {
  size_t compared = 0;
  for (const fs::path& file : CorpusFiles()) {
    SCOPED_TRACE(file.filename().string());
    json golden = json::parse(Slurp(fs::path(file).replace_extension(".expected.json")));
    if (golden.contains("error")) continue;
    std::string delim = golden.value("delimiter", ",");
    json rows =
        json::parse(RunCommand("/usr/bin/python3 " + Quote((kTestdata / "csv_fields.py").string()) +
                               " " + Quote(file.string()) + " " + Quote(delim)));
    // Read every column as string with no missing tokens: then a field is
    // missing only when it is empty (quoted or not), which Python gives as "".
    std::string text = Slurp(file);
    CsvReadOptions o;
    o.missing_tokens = {""};
    Result<Table> names = ReadCsvString(text, "f", o);
    ASSERT_TRUE(names.ok()) << names.status().ToString();
    for (const auto& n : names->ColumnNames()) o.types[n] = DataType::kString;
    Result<Table> t = ReadCsvString(text, "f", o);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_EQ(rows.size(), t->num_rows() + 1);  // + the header
    for (size_t r = 0; r < t->num_rows(); ++r) {
      ASSERT_EQ(rows[r + 1].size(), t->num_columns()) << "row " << r;
      for (size_t c = 0; c < t->num_columns(); ++c) {
        const Column& col = t->column(c);
        std::string got = col.IsValid(r) ? std::string(col.TextAt(r)) : "";
        EXPECT_EQ(got, rows[r + 1][c].get<std::string>()) << "row " << r << " column " << c;
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, 7u);
}

// Row count, column names, types, missing counts and sums agree with pandas.
void ExpectMatchesPandas(const std::string& relative) {
  std::string path = (kSource / relative).string();
  json want = json::parse(RunCommand(
      "/usr/bin/python3 " + Quote((kTestdata / "pandas_summary.py").string()) + " " + Quote(path)));
  Result<Table> t = ReadCsv(core::Env::Default(), path);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->num_rows(), want["rows"].get<size_t>());
  ASSERT_EQ(t->num_columns(), want["columns"].size());
  for (size_t c = 0; c < t->num_columns(); ++c) {
    const Column& col = t->column(c);
    const json& w = want["columns"][c];
    SCOPED_TRACE(col.name());
    EXPECT_EQ(col.name(), w["name"].get<std::string>());
    EXPECT_EQ(col.null_count(), w["missing"].get<size_t>());
    std::string kind = w["kind"].get<std::string>();
    // pandas cannot hold a missing value in an integer column: it makes it float.
    bool int_with_nan = col.type() == DataType::kInt64 && col.null_count() > 0;
    std::string want_kind = int_with_nan                       ? "f"
                            : col.type() == DataType::kInt64   ? "i"
                            : col.type() == DataType::kFloat64 ? "f"
                            : col.type() == DataType::kBool    ? "b"
                                                               : "O";
    EXPECT_EQ(kind, want_kind);
    if (w.contains("sum")) {
      ASSERT_TRUE(col.type() == DataType::kInt64 || col.type() == DataType::kFloat64);
      double sum = 0;
      for (size_t r = 0; r < col.size(); ++r)
        if (col.IsValid(r)) sum += col.NumericAt(r);
      double expected = w["sum"].get<double>();
      EXPECT_NEAR(sum, expected, 1e-9 * std::max(1.0, std::fabs(expected)));
    }
  }
}

TEST(CsvConformanceTest, CreditGMatchesPandas) {
  ExpectMatchesPandas("examples/data/credit-g.csv");
}

TEST(CsvConformanceTest, CreditDataMatchesPandas) {
  ExpectMatchesPandas("examples/data/credit_data.csv");
}

}  // namespace
}  // namespace mlpipe::table
