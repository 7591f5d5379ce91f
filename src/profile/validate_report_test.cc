#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "mlpipe/profile/validate.h"

namespace mlpipe::profile {
namespace {

TEST(AnomalyKindsTest, EveryKindOnceInEnumOrder) {
  std::set<std::string_view> names;
  size_t i = 0;
  for (const AnomalyKindInfo& info : AnomalyKinds()) {
    EXPECT_EQ(static_cast<size_t>(info.kind), i++) << info.name;
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_EQ(&GetAnomalyKindInfo(info.kind), &info);
  }
  EXPECT_EQ(i, static_cast<size_t>(AnomalyKind::kMissingShareExceeded) + 1);
}

TEST(AnomalyKindsTest, Severities) {
  // The documented table (docs/validation.md): only these three are warnings.
  for (const AnomalyKindInfo& info : AnomalyKinds()) {
    bool warning = info.kind == AnomalyKind::kUnexpectedColumn ||
                   info.kind == AnomalyKind::kMissingOptionalColumn ||
                   info.kind == AnomalyKind::kOutsideObservedRange;
    EXPECT_EQ(info.severity, warning ? Severity::kWarning : Severity::kError) << info.name;
  }
  EXPECT_EQ(SeverityName(Severity::kError), "error");
  EXPECT_EQ(SeverityName(Severity::kWarning), "warning");
}

TEST(AnomalyKindsTest, DocsListEveryKindWithItsSeverity) {
  std::ifstream in(std::string(MLPIPE_SOURCE_DIR) + "/docs/validation.md");
  ASSERT_TRUE(in) << "docs/validation.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  // Rows of the "Anomaly kinds" table: | `name` | severity | description |
  const std::regex row(R"(\n\| `([a-z_]+)` \| (error|warning) \|)");
  std::vector<std::pair<std::string, std::string>> documented;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
       ++it) {
    documented.emplace_back((*it)[1], (*it)[2]);
  }
  std::vector<std::pair<std::string, std::string>> table;
  for (const AnomalyKindInfo& info : AnomalyKinds()) {
    table.emplace_back(std::string(info.name), std::string(SeverityName(info.severity)));
  }
  EXPECT_EQ(documented, table);
}

ValidationReport Sample() {
  ValidationReport r;
  r.data_source = "new.csv";
  r.schema_source = "schema.json";
  r.num_rows = 120;
  r.num_columns = 3;
  Anomaly mismatch;
  mismatch.kind = AnomalyKind::kTypeMismatch;
  mismatch.column = "Age";
  mismatch.count = 7;
  mismatch.message = "expected int64; 7 values are not integers (the data column reads as string)";
  mismatch.examples = {{4, "abc"}, {9, "2.5"}};
  Anomaly missing;
  missing.kind = AnomalyKind::kMissingShareExceeded;
  missing.column = "Income";
  missing.count = 2;
  missing.message = "missing share 0.01667 (2 of 120 rows) exceeds max_missing_share 0";
  missing.examples = {{3, ""}, {8, ""}};
  Anomaly extra;
  extra.kind = AnomalyKind::kUnexpectedColumn;
  extra.column = "note";
  extra.count = 1;
  extra.message = "column is not in the schema (reads as string, 1 value present)";
  extra.examples = {{1, "hi"}};
  r.anomalies = {mismatch, missing, extra};
  return r;
}

TEST(ReportTest, Json) {
  OrderedJson j = ReportToJson(Sample());
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(j["data"], "new.csv");
  EXPECT_EQ(j["rows"], 120);
  EXPECT_EQ(j["errors"], 2);
  EXPECT_EQ(j["warnings"], 1);
  ASSERT_EQ(j["anomalies"].size(), 3u);
  EXPECT_EQ(j["anomalies"][0].dump(),
            R"j({"kind":"type_mismatch","severity":"error","column":"Age","count":7,)j"
            R"j("message":"expected int64; 7 values are not integers (the data column reads )j"
            R"j(as string)","examples":[{"row":4,"value":"abc"},{"row":9,"value":"2.5"}]})j");
  EXPECT_EQ(j["anomalies"][2]["severity"], "warning");
}

TEST(ReportTest, Text) {
  EXPECT_EQ(RenderReportText(Sample()),
            "data:   new.csv (120 rows, 3 columns)\n"
            "schema: schema.json\n"
            "\n"
            "SEVERITY  KIND                    COLUMN  COUNT  DETAIL\n"
            "error     type_mismatch           Age         7  expected int64; 7 values are not "
            "integers (the data column reads as string)\n"
            "                                  rows 4 \"abc\", 9 \"2.5\", ...\n"
            "error     missing_share_exceeded  Income      2  missing share 0.01667 (2 of 120 "
            "rows) exceeds max_missing_share 0\n"
            "                                  rows 3, 8\n"
            "warning   unexpected_column       note        1  column is not in the schema (reads "
            "as string, 1 value present)\n"
            "                                  row 1 \"hi\"\n"
            "\n"
            "2 errors, 1 warning: the data does not match the schema\n");
}

TEST(ReportTest, TextSummaryLines) {
  ValidationReport clean;
  clean.num_rows = 5;
  EXPECT_EQ(RenderReportText(clean), "no anomalies: the data matches the schema\n");
  ValidationReport warn = Sample();
  warn.anomalies.erase(warn.anomalies.begin(), warn.anomalies.begin() + 2);
  EXPECT_FALSE(warn.HasErrors());
  std::string text = RenderReportText(warn);
  EXPECT_NE(text.find("1 warning, no errors: the data matches the schema\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace mlpipe::profile
