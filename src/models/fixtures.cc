#include "fixtures.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>

namespace mlpipe::models::testing {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return "";
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitComma(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : line) {
    if (ch == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace

const std::vector<std::string>& FixtureNames() {
  static const std::vector<std::string> kNames = {"credit_g", "credit_data", "iris", "cpu",
                                                  "diamonds"};
  return kNames;
}

const Fixture& LoadFixture(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Fixture>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return *it->second;
  auto f = std::make_unique<Fixture>();
  f->name = name;
  const std::string dir = std::string(MLPIPE_SOURCE_DIR) + "/src/models/testdata/";
  std::istringstream csv(ReadFile(dir + name + ".csv"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> header = SplitComma(line);
  const size_t cols = header.size() - 1;
  f->x.cols = cols;
  f->x.names.assign(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(cols));
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields = SplitComma(line);
    EXPECT_EQ(fields.size(), cols + 1) << name << ": row " << f->x.rows;
    for (size_t c = 0; c < fields.size(); ++c) {
      float v = fields[c].empty() ? std::numeric_limits<float>::quiet_NaN()
                                  : std::strtof(fields[c].c_str(), nullptr);
      if (c < cols)
        f->x.values.push_back(v);
      else
        f->labels.push_back(v);
    }
    ++f->x.rows;
  }
  auto parsed = core::ParseJson(ReadFile(dir + name + "_expected.json"), name);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (parsed.ok()) f->expected = *parsed;
  f->task = *ParseTask(f->expected.value("task", "binary"));
  f->num_classes = f->expected.value("num_classes", 2);
  EXPECT_EQ(f->x.rows, f->expected.value("rows", size_t{0})) << name;
  const Fixture& ref = *f;
  cache[name] = std::move(f);
  return ref;
}

HyperParams CaseParams(const core::Json& c) {
  auto p = HyperParamsFromJson(c.at("params"), "params");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : HyperParams{};
}

table::DenseMatrix Head(const table::DenseMatrix& x, size_t end) {
  std::vector<size_t> rows(end);
  for (size_t i = 0; i < end; ++i) rows[i] = i;
  return x.TakeRows(rows);
}

std::vector<float> Weights(const std::string& scheme, size_t n) {
  std::vector<float> w;
  if (scheme == "cycle3") {
    for (size_t i = 0; i < n; ++i) w.push_back(static_cast<float>(i % 3 + 1));
  } else {
    EXPECT_EQ(scheme, "none");
  }
  return w;
}

::testing::AssertionResult Near(double a, double b, double abs_tol, double rel_tol) {
  if (std::fabs(a - b) <= abs_tol + rel_tol * std::fabs(b)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a << " vs expected " << b << " (diff " << a - b << ")";
}

}  // namespace mlpipe::models::testing
