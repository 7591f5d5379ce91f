#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "mlpipe/report/charts.h"
#include "mlpipe/report/check.h"
#include "mlpipe/report/html.h"
#include "mlpipe/report/svg.h"

namespace mlpipe::report {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(EscapeXml, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeXml(R"(<a href="x">&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeXml("plain ünïcode"), "plain ünïcode");
}

TEST(SvgNumber, TwoDecimalsAtMost) {
  EXPECT_EQ(SvgNumber(1.0), "1");
  EXPECT_EQ(SvgNumber(1.256), "1.26");
  EXPECT_EQ(SvgNumber(-0.001), "0");
  EXPECT_EQ(SvgNumber(NAN), "0");
}

TEST(Format, NumbersForPeople) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000000), "1,000,000");
  EXPECT_EQ(FormatNumber(-1234), "-1,234");
  EXPECT_EQ(FormatNumber(3.14159), "3.142");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(1234.5678), "1235");
  EXPECT_EQ(FormatNumber(NAN), "–");
  EXPECT_EQ(FormatPercent(0.0834), "8.3%");
}

TEST(DivergingColor, EndsAndMiddle) {
  EXPECT_EQ(DivergingColor(0), "#ffffff");
  EXPECT_EQ(DivergingColor(1), "#b2182b");
  EXPECT_EQ(DivergingColor(-1), "#2166ac");
  EXPECT_EQ(DivergingColor(5), "#b2182b");
  EXPECT_EQ(DivergingColor(NAN), "#dddddd");
}

TEST(Svg, WellFormedWithEscapedText) {
  Svg svg(100, 50, "a <title>");
  svg.Rect(0, 0, 10, 10, "#000", "tip & more");
  svg.Line(0, 0, 5, 5, "#111");
  svg.Text(1, 2, "x < y", Anchor::kMiddle, 10, "#333", -45);
  std::string s = svg.Finish();
  EXPECT_TRUE(CheckSelfContainedMarkup(s).ok()) << CheckSelfContainedMarkup(s).ToString();
  EXPECT_NE(s.find("x &lt; y"), std::string::npos);
  EXPECT_NE(s.find("rotate(-45 1 2)"), std::string::npos);
  EXPECT_EQ(s.find("<title>a <title>"), std::string::npos);
}

TEST(Charts, BarChartHasOneRectPerBar) {
  std::string s = BarChart({{"good", 700, ""}, {"bad", 300, "300 (30%)"}, {"<none>", 0, ""}},
                           {.title = "class"});
  EXPECT_TRUE(CheckSelfContainedMarkup(s).ok()) << CheckSelfContainedMarkup(s).ToString();
  EXPECT_EQ(Count(s, "<rect"), 3u);
  EXPECT_NE(s.find("300 (30%)"), std::string::npos);
  EXPECT_NE(s.find("&lt;none&gt;"), std::string::npos);
}

TEST(Charts, HistogramHasOneRectPerBinAndEdgeLabels) {
  std::string s = HistogramChart({0, 1, 2, 3, 4}, {1, 5, 0, 2}, {});
  EXPECT_TRUE(CheckSelfContainedMarkup(s).ok()) << CheckSelfContainedMarkup(s).ToString();
  EXPECT_EQ(Count(s, "<rect"), 4u);
  EXPECT_NE(s.find("[3, 4]: 2"), std::string::npos);  // the last bin is closed
  EXPECT_NE(s.find("[0, 1): 1"), std::string::npos);
  // Empty and inconsistent inputs give an empty, still valid chart.
  std::string empty = HistogramChart({}, {}, {});
  EXPECT_TRUE(CheckSelfContainedMarkup(empty).ok());
  EXPECT_EQ(Count(empty, "<rect"), 0u);
}

TEST(Charts, HeatMapCellsAndLegend) {
  std::string s = HeatMap({"a", "b"}, {{1, -0.5}, {-0.5, NAN}}, {});
  EXPECT_TRUE(CheckSelfContainedMarkup(s).ok()) << CheckSelfContainedMarkup(s).ToString();
  EXPECT_EQ(Count(s, "<rect"), 4u + 20u);  // cells + legend steps
  EXPECT_NE(s.find("b × b: not computed"), std::string::npos);
  EXPECT_NE(s.find("a × b: -0.500"), std::string::npos);
}

TEST(Html, DocumentIsSelfContainedAndBalanced) {
  HtmlDocument doc("Profile of <x>", "sub");
  doc.BeginSection("overview", "Overview");
  doc.AddHtml(StatTile("rows", "1,000"));
  doc.AddParagraph("a & b", "note");
  doc.AddHtml(HtmlTable({"name", "n"}, {{TextCell("<b>", "warn"), NumberCell("3")},
                                        {HtmlCell(BarChart({{"x", 1, ""}}, {})), NumberCell("")}}));
  doc.EndSection();
  std::string html = doc.Finish();
  Status st = CheckSelfContainedMarkup(html);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find(R"(<a href="#overview">Overview</a>)"), std::string::npos);
  EXPECT_NE(html.find(R"(<td class="warn">&lt;b&gt;</td>)"), std::string::npos);
  EXPECT_NE(html.find(R"(<td class="num">3</td>)"), std::string::npos);
  EXPECT_NE(html.find("<title>Profile of &lt;x&gt;</title>"), std::string::npos);
}

TEST(CheckSelfContainedMarkup, RejectsWhatReportsMustNotContain) {
  EXPECT_TRUE(CheckSelfContainedMarkup("<p><br>x</p>").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("<p><b>x</p></b>").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("<p>x").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("</p>").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("<p>x<").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup(R"(<img src="a.png">)").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("<script>alert(1)</script>").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup(R"(<a href="https://example.com">x</a>)").ok());
  EXPECT_FALSE(CheckSelfContainedMarkup("<style>@import 'x.css';</style>").ok());
  EXPECT_TRUE(
      CheckSelfContainedMarkup(R"(<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>)").ok());
  EXPECT_FALSE(
      CheckSelfContainedMarkup(R"(<svg xmlns="http://www.w3.org/1999/xlink"></svg>)").ok());
}

}  // namespace
}  // namespace mlpipe::report
