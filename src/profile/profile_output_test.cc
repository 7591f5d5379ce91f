#include <gtest/gtest.h>

#include "mlpipe/profile/profile_output.h"
#include "mlpipe/report/check.h"

namespace mlpipe::profile {
namespace {

using table::Column;

TableProfile Sample() {
  table::Table t;
  std::vector<double> x;
  std::vector<std::string> y, g;
  std::vector<uint8_t> vx;
  for (int i = 0; i < 120; ++i) {
    x.push_back(i % 17 * 1.5);
    vx.push_back(i % 9 != 0);
    y.push_back(i % 4 == 0 ? "bad" : "good");
    g.push_back(i % 3 == 0 ? "f<&>" : "m");
  }
  EXPECT_TRUE(t.AddColumn(Column::Float64("amount", x, vx)).ok());
  EXPECT_TRUE(t.AddColumn(Column::CategoricalFromStrings("class", y)).ok());
  EXPECT_TRUE(t.AddColumn(Column::CategoricalFromStrings("sex", g)).ok());
  EXPECT_TRUE(t.AddColumn(Column::Int64("const", std::vector<int64_t>(120, 1))).ok());
  ProfileOptions o;
  o.target = "class";
  o.protected_columns = {"sex"};
  auto p = ProfileTable(t, o, "sample.csv");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return *p;
}

TEST(ProfileToJson, DocumentedKeys) {
  core::Json j = ProfileToJson(Sample());
  for (const char* key : {"format_version", "source", "rows", "columns", "duplicate_rows",
                          "missing_cells", "constant_columns", "high_cardinality_columns",
                          "associations", "target", "protected", "warnings"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["rows"], 120);
  const core::Json& amount = j["columns"][0];
  EXPECT_EQ(amount["name"], "amount");
  EXPECT_EQ(amount["type"], "float64");
  EXPECT_EQ(amount["missing"], 14);  // rows 0, 9, ..., 117
  for (const char* key : {"mean", "std", "min", "q1", "median", "q3", "max", "skewness", "kurtosis",
                          "zeros", "outliers_iqr", "outliers_z", "histogram"}) {
    EXPECT_TRUE(amount["numeric"].contains(key)) << key;
  }
  EXPECT_TRUE(j["columns"][1]["numeric"].is_null());
  EXPECT_EQ(j["target"]["positive"], "bad");
  EXPECT_EQ(j["target"]["task"], "classification");
  EXPECT_EQ(j["protected"][0]["groups"][0]["group"], "f<&>");
  EXPECT_EQ(j["constant_columns"][0], "const");
  // The constant column has an undefined standard deviation... no: 120 equal values give 0;
  // its skewness is undefined and must be null, not NaN.
  EXPECT_TRUE(j["columns"][3]["numeric"]["skewness"].is_null());
  bool constant_warning = false;
  for (const auto& w : j["warnings"]) constant_warning |= w["rule"] == "constant";
  EXPECT_TRUE(constant_warning);
  // Serialisable (no NaN reaches the text).
  EXPECT_EQ(core::DumpPretty(j).find("NaN"), std::string::npos);
}

TEST(ProfileToText, AlignedSummary) {
  std::string text = ProfileToText(Sample());
  EXPECT_NE(text.find("sample.csv: 120 rows × 4 columns"), std::string::npos) << text;
  EXPECT_NE(text.find("Warnings ("), std::string::npos);
  EXPECT_NE(text.find("constant"), std::string::npos);
  EXPECT_NE(text.find("Target class (positive class 'bad', rate 25.0%)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Rate of 'bad' of class by sex"), std::string::npos) << text;
  // The header and the rows of the column table start their figures at the same offset.
  size_t header = text.find("  column ");
  ASSERT_NE(header, std::string::npos);
  size_t line_end = text.find('\n', header);
  size_t type_col = text.find("type", header) - header;
  size_t row = line_end + 1;
  EXPECT_EQ(text.find("float64", row) - row, type_col) << text;
  EXPECT_EQ(text.find('{'), std::string::npos);  // not a JSON dump
}

TEST(ProfileToHtml, SelfContainedWithCharts) {
  std::string html = ProfileToHtml(Sample());
  Status st = report::CheckSelfContainedMarkup(html);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_NE(html.find("<svg"), std::string::npos);
  for (const char* id : {"id=\"overview\"", "id=\"warnings\"", "id=\"target\"",
                         "id=\"associations\"", "id=\"columns\"", "id=\"col-amount\""}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  EXPECT_NE(html.find("f&lt;&amp;&gt;"), std::string::npos);  // group label escaped
  EXPECT_EQ(html.find("f<&>"), std::string::npos);
  EXPECT_NE(html.find("Rate of &#39;bad&#39; by sex"), std::string::npos);
}

}  // namespace
}  // namespace mlpipe::profile
