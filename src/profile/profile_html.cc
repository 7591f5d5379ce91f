// The HTML report of a profile, built from the report module's pieces:
// overview tiles, warnings, target balance and group rates, an association
// heat map, and a card per column with its figures and a chart.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "mlpipe/profile/profile_output.h"
#include "mlpipe/report/charts.h"
#include "mlpipe/report/html.h"
#include "mlpipe/report/svg.h"

namespace mlpipe::profile {
namespace {

using report::Cell;
using report::FormatCount;
using report::FormatNumber;
using report::FormatPercent;
using report::NumberCell;
using report::TextCell;

constexpr size_t kMaxHeatMapColumns = 30;

std::string Overview(const TableProfile& p) {
  size_t errors = 0, warnings = 0;
  for (const auto& w : p.warnings) {
    errors += w.severity == WarningSeverity::kError;
    warnings += w.severity == WarningSeverity::kWarning;
  }
  double cells = static_cast<double>(p.rows) * static_cast<double>(p.columns.size());
  std::string tiles = "<div class=\"tiles\">";
  tiles += report::StatTile("rows", FormatCount(p.rows));
  tiles += report::StatTile("columns", FormatCount(p.columns.size()));
  tiles +=
      report::StatTile("missing cells", cells > 0 ? FormatPercent(p.missing_cells / cells) : "0%",
                       p.missing_cells ? "warn" : "");
  tiles += report::StatTile("duplicate rows", FormatCount(p.duplicate_rows),
                            p.duplicate_rows ? "warn" : "");
  tiles += report::StatTile("errors", FormatCount(errors), errors ? "error" : "");
  tiles += report::StatTile("warnings", FormatCount(warnings), warnings ? "warn" : "");
  tiles += "</div>";
  std::map<std::string, size_t> types;
  for (const auto& c : p.columns) ++types[std::string(table::DataTypeName(c.type))];
  std::string type_line = "Column types: ";
  bool first = true;
  for (const auto& [t, n] : types) {
    type_line += fmt::format("{}{} {}", first ? "" : ", ", n, t);
    first = false;
  }
  std::string out = tiles + "<p>" + report::EscapeXml(type_line) + "</p>";
  std::vector<report::Bar> missing;
  for (const auto& c : p.columns) {
    if (c.missing > 0) {
      missing.push_back(
          {c.name, c.missing_share * 100,
           fmt::format("{} ({})", FormatCount(c.missing), FormatPercent(c.missing_share))});
    }
  }
  if (!missing.empty()) {
    out += report::BarChart(missing, {.title = "Missing values by column (% of rows)",
                                      .width = 560,
                                      .max_value = 100,
                                      .color = "#e45756"});
  }
  return out;
}

std::string WarningsTable(const TableProfile& p) {
  if (p.warnings.empty()) return "<p>No warnings.</p>";
  std::vector<std::vector<Cell>> rows;
  for (const auto& w : p.warnings) {
    std::string sev(WarningSeverityName(w.severity));
    rows.push_back({report::HtmlCell(fmt::format(R"(<span class="sev {0}">{0}</span>)", sev)),
                    TextCell(w.rule), TextCell(w.message)});
  }
  return report::HtmlTable({"severity", "rule", "reason"}, rows);
}

std::string TargetSection(const TableProfile& p) {
  const TargetSummary& t = *p.target;
  std::string out;
  if (!t.classification) {
    out += fmt::format("<p>Numeric target <b>{}</b> (regression): mean {}, {} missing.</p>",
                       report::EscapeXml(t.column), FormatNumber(t.mean), FormatCount(t.missing));
  } else {
    uint64_t total = 0;
    for (const auto& c : t.classes) total += c.count;
    std::vector<report::Bar> bars;
    for (const auto& c : t.classes) {
      double share = total ? static_cast<double>(c.count) / total : 0;
      bars.push_back({c.value, static_cast<double>(c.count),
                      fmt::format("{} ({})", FormatCount(c.count), FormatPercent(share))});
    }
    out += fmt::format(
        "<p>Target <b>{}</b>; positive class <b>{}</b> ({} of rows{}).</p>",
        report::EscapeXml(t.column), report::EscapeXml(t.positive), FormatPercent(t.positive_rate),
        t.missing ? fmt::format(", {} rows without a target", FormatCount(t.missing)) : "");
    out += report::BarChart(bars, {.title = "Class balance", .width = 520});
  }
  out += "<div class=\"cards\">";
  for (const auto& g : p.protected_groups) {
    std::vector<report::Bar> bars;
    for (const auto& r : g.groups) {
      bars.push_back(
          {r.group, t.classification ? r.rate * 100 : r.rate,
           fmt::format("{} (n={})", t.classification ? FormatPercent(r.rate) : FormatNumber(r.rate),
                       FormatCount(r.rows))});
    }
    std::string title = t.classification ? fmt::format("Rate of '{}' by {}", t.positive, g.column)
                                         : fmt::format("Mean {} by {}", t.column, g.column);
    out += "<div class=\"card\">";
    out += report::BarChart(bars, {.title = title, .width = 520, .color = "#f58518"});
    out += fmt::format(
        "<p class=\"note\">Largest gap {}, smallest/largest ratio {:.2f} (groups of at least "
        "30 rows){}{}.</p>",
        t.classification ? FormatPercent(g.max_gap) : FormatNumber(g.max_gap), g.min_ratio,
        g.binned ? "; grouped into quartile bins" : "",
        g.missing ? fmt::format("; {} rows without a value", FormatCount(g.missing)) : "");
    out += "</div>";
  }
  out += "</div>";
  return out;
}

std::string AssociationSection(const TableProfile& p) {
  const AssociationSummary& a = p.associations;
  if (a.pairs.empty()) return "<p>No column pairs to compare.</p>";
  // Columns taking part, in table order; one figure per pair (Pearson for numeric pairs).
  std::vector<std::string> names;
  for (const auto& c : p.columns) {
    if (std::find(a.excluded_columns.begin(), a.excluded_columns.end(), c.name) ==
        a.excluded_columns.end()) {
      names.push_back(c.name);
    }
  }
  bool clipped = names.size() > kMaxHeatMapColumns;
  if (clipped) names.resize(kMaxHeatMapColumns);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < names.size(); ++i) index[names[i]] = i;
  std::vector<std::vector<double>> m(names.size(), std::vector<double>(names.size(), NAN));
  for (size_t i = 0; i < names.size(); ++i) m[i][i] = 1;
  for (const auto& pair : a.pairs) {
    if (pair.method == AssociationMethod::kSpearman) continue;
    auto ia = index.find(pair.a), ib = index.find(pair.b);
    if (ia == index.end() || ib == index.end()) continue;
    m[ia->second][ib->second] = m[ib->second][ia->second] = pair.value;
  }
  std::string out = report::HeatMap(
      names, m,
      {.title = "Association (Pearson; Cramér's V or correlation ratio with categories)"});
  std::string note =
      "Numeric pairs: Pearson's r (blue negative, red positive). Categorical "
      "pairs: Cramér's V; numeric with categorical: the correlation ratio (both 0 "
      "to 1). Grey: not computed.";
  if (clipped) note += fmt::format(" Only the first {} columns are shown.", kMaxHeatMapColumns);
  if (!a.excluded_columns.empty()) {
    note += " Not compared (text or over 100 categories): ";
    for (size_t i = 0; i < a.excluded_columns.size(); ++i) {
      note += (i ? ", " : "") + a.excluded_columns[i];
    }
    note += ".";
  }
  if (a.sample_rows) {
    note += fmt::format(" Computed on a sample of {} rows.", FormatCount(a.sample_rows));
  }
  if (a.pairs_skipped) {
    note += fmt::format(" {} pairs were over the pair limit and not computed.",
                        FormatCount(a.pairs_skipped));
  }
  out += "<p class=\"note\">" + report::EscapeXml(note) + "</p>";
  std::vector<const Association*> top;
  for (const auto& pair : a.pairs) {
    if (!std::isnan(pair.value)) top.push_back(&pair);
  }
  std::stable_sort(top.begin(), top.end(), [](const Association* x, const Association* y) {
    return std::fabs(x->value) > std::fabs(y->value);
  });
  if (top.size() > 15) top.resize(15);
  std::vector<std::vector<Cell>> rows;
  for (const Association* t : top) {
    rows.push_back({TextCell(t->a), TextCell(t->b),
                    TextCell(std::string(AssociationMethodName(t->method))),
                    NumberCell(fmt::format("{:.3f}", t->value)), NumberCell(FormatCount(t->rows))});
  }
  out += "<h3>Strongest pairs</h3>" +
         report::HtmlTable({"column", "column", "measure", "value", "rows"}, rows);
  return out;
}

std::string ColumnCard(const ColumnProfile& c, uint64_t rows) {
  std::vector<std::vector<Cell>> stats = {
      {TextCell("present"), NumberCell(FormatCount(c.count))},
      {TextCell("missing"),
       NumberCell(fmt::format("{} ({})", FormatCount(c.missing), FormatPercent(c.missing_share)))},
      {TextCell("distinct"), NumberCell(FormatCount(c.distinct))},
  };
  std::string chart;
  if (c.numeric) {
    const NumericSummary& s = *c.numeric;
    auto row = [&](const char* name, std::string v) {
      stats.push_back({TextCell(name), NumberCell(std::move(v))});
    };
    row("mean", FormatNumber(s.mean));
    row("std", FormatNumber(s.std));
    row("min", FormatNumber(s.min));
    row("25%", FormatNumber(s.q1));
    row("50%", FormatNumber(s.median));
    row("75%", FormatNumber(s.q3));
    row("max", FormatNumber(s.max));
    row("zeros", FormatCount(s.zeros));
    row("skewness", FormatNumber(s.skewness));
    row("outliers (IQR / |z|>3)",
        fmt::format("{} / {}", FormatCount(s.outliers_iqr), FormatCount(s.outliers_z)));
  }
  bool bars = !c.numeric || c.distinct <= 12;
  if (bars && !c.top.empty()) {
    std::vector<report::Bar> b;
    uint64_t shown = 0;
    for (const auto& v : c.top) {
      b.push_back({v.value, static_cast<double>(v.count),
                   fmt::format("{} ({})", FormatCount(v.count),
                               FormatPercent(rows ? static_cast<double>(v.count) / rows : 0))});
      shown += v.count;
    }
    if (c.count > shown) {
      b.push_back(
          {"(other values)", static_cast<double>(c.count - shown), FormatCount(c.count - shown)});
    }
    chart = report::BarChart(b, {.title = "Most frequent values", .width = 340});
  } else if (c.numeric) {
    chart = report::HistogramChart(c.numeric->histogram.edges, c.numeric->histogram.counts,
                                   {.title = "Histogram", .width = 340, .height = 170});
  }
  return fmt::format(
      "<div class=\"card\" id=\"col-{}\"><h3>{}<span class=\"type\">{}</span></h3>"
      "<div class=\"body\">{}<div>{}</div></div></div>",
      report::EscapeXml(c.name), report::EscapeXml(c.name), table::DataTypeName(c.type),
      report::HtmlTable({"figure", "value"}, stats), chart);
}

}  // namespace

std::string ProfileToHtml(const TableProfile& p) {
  std::string name = p.source.empty() ? "table" : p.source;
  report::HtmlDocument doc("Data profile: " + name,
                           fmt::format("{} rows × {} columns · mlpipe data profile",
                                       FormatCount(p.rows), p.columns.size()));
  doc.BeginSection("overview", "Overview");
  doc.AddHtml(Overview(p));
  doc.EndSection();
  doc.BeginSection("warnings", fmt::format("Warnings ({})", p.warnings.size()));
  doc.AddHtml(WarningsTable(p));
  doc.EndSection();
  if (p.target) {
    doc.BeginSection("target", "Target and groups");
    doc.AddHtml(TargetSection(p));
    doc.EndSection();
  }
  doc.BeginSection("associations", "Associations");
  doc.AddHtml(AssociationSection(p));
  doc.EndSection();
  doc.BeginSection("columns", "Columns");
  doc.AddHtml("<div class=\"cards\">");
  for (const auto& c : p.columns) doc.AddHtml(ColumnCard(c, p.rows));
  doc.AddHtml("</div>");
  doc.EndSection();
  return doc.Finish();
}

}  // namespace mlpipe::profile
