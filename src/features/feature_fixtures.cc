#include "feature_fixtures.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "json_fixture.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/random.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::features::testing {

const core::Json& Reference() {
  static const core::Json* doc =
      new core::Json(test_support::LoadJsonFixture("features", "reference"));
  if (!doc->contains("cases")) ADD_FAILURE() << "cannot read reference.json";
  return *doc;
}

const table::Table& ExampleData(const std::string& name) {
  static std::map<std::string, table::Table> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  auto t = table::ReadCsv(core::Env::Default(),
                          std::string(MLPIPE_SOURCE_DIR) + "/examples/data/" + name);
  if (!t.ok()) ADD_FAILURE() << t.status().ToString();
  return cache.emplace(name, t.ok() ? std::move(*t) : table::Table()).first->second;
}

table::Table Rows(const table::Table& t, size_t begin, size_t end) {
  std::vector<size_t> rows(end - begin);
  std::iota(rows.begin(), rows.end(), begin);
  return t.Take(rows);
}

::testing::AssertionResult ColumnNear(const table::Column& actual, const core::Json& expected,
                                      double rel, bool sign_free) {
  if (!table::IsNumeric(actual.type())) {
    return ::testing::AssertionFailure() << actual.name() << " is not numeric";
  }
  if (actual.size() != expected.size()) {
    return ::testing::AssertionFailure()
           << actual.name() << ": " << actual.size() << " rows, expected " << expected.size();
  }
  for (double sign : {1.0, -1.0}) {
    if (sign < 0 && !sign_free) break;
    bool ok = true;
    std::ostringstream why;
    for (size_t i = 0; i < actual.size() && ok; ++i) {
      const bool present = actual.IsValid(i);
      if (expected[i].is_null() != !present) {
        ok = false;
        why << "row " << i << ": missing mismatch";
        break;
      }
      if (!present) continue;
      const double a = actual.NumericAt(i), e = sign * expected[i].get<double>();
      if (std::abs(a - e) > rel * std::max(1.0, std::abs(e))) {
        ok = false;
        why << std::setprecision(17) << "row " << i << ": " << a << " vs expected " << e;
      }
    }
    if (ok) return ::testing::AssertionSuccess();
    if (sign < 0 || !sign_free) {
      return ::testing::AssertionFailure() << actual.name() << ": " << why.str();
    }
  }
  return ::testing::AssertionFailure() << actual.name() << ": mismatch with either sign";
}

table::Table MixedTable(size_t rows, uint64_t seed) {
  core::Rng rng(seed);
  std::vector<double> x(rows), z(rows);
  std::vector<int64_t> n(rows);
  std::vector<uint8_t> b(rows), xv(rows, 1), cv(rows, 1);
  std::vector<std::string> color(rows), city(rows), note(rows);
  std::vector<double> y(rows);
  const char* colors[] = {"red", "green", "blue", "teal"};
  for (size_t i = 0; i < rows; ++i) {
    x[i] = rng.Normal() * 3 + 10;
    xv[i] = rng.Uniform() < 0.1 ? 0 : 1;
    z[i] = x[i] * 0.5 + rng.Normal();
    n[i] = static_cast<int64_t>(rng.Below(50));
    b[i] = rng.Uniform() < 0.3;
    color[i] = colors[rng.Below(rng.Uniform() < 0.9 ? 3 : 4)];
    cv[i] = rng.Uniform() < 0.05 ? 0 : 1;
    city[i] = fmt::format("city{}", rng.Below(40));
    note[i] = fmt::format("n{}", rng.Below(8));
    y[i] = (color[i] == "red" ? 1.0 : 0.0) + 0.1 * x[i] + rng.Normal() > 1.5 ? 1.0 : 0.0;
  }
  table::Table t;
  EXPECT_TRUE(t.AddColumn(table::Column::Float64("x", x, xv)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::Float64("z", z)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::Int64("n", n)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::Bool("b", b)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("color", color, cv)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::CategoricalFromStrings("city", city)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::String("note", note)).ok());
  EXPECT_TRUE(t.AddColumn(table::Column::Float64("y", y)).ok());
  return t;
}

}  // namespace mlpipe::features::testing
