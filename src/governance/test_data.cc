// Test helpers: credit-g with a derived sex column, and the reference file.
#include "test_data.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "mlpipe/core/env.h"
#include "mlpipe/table/read.h"

namespace mlpipe::governance::testing {

table::Table CreditGWithSex() {
  const std::string path = std::string(MLPIPE_SOURCE_DIR) + "/examples/data/credit-g.csv";
  auto t = table::ReadTableFile(core::Env::Default(), path);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return {};
  const table::Column* ps = t->FindColumn("personal_status");
  EXPECT_NE(ps, nullptr);
  std::vector<std::string> sex;
  for (size_t i = 0; i < ps->size(); ++i) {
    sex.push_back(ps->TextAt(i).starts_with("male") ? "male" : "female");
  }
  table::Table out = std::move(*t);
  EXPECT_TRUE(out.AddColumn(table::Column::CategoricalFromStrings("sex", sex)).ok());
  return out;
}

const core::Json& Reference() {
  static const core::Json* ref = [] {
    const std::string path =
        std::string(MLPIPE_SOURCE_DIR) + "/src/governance/testdata/reference.json";
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = core::ParseJson(ss.str(), path);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    return new core::Json(parsed.ok() ? *parsed : core::Json::object());
  }();
  return *ref;
}

}  // namespace mlpipe::governance::testing
