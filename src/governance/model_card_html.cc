// ModelCard::RenderHtml: one self-contained document built with the report
// module's HtmlDocument and tables (inline CSS, no scripts, no fetches).
#include <fmt/format.h>

#include "mlpipe/governance/model_card.h"
#include "mlpipe/report/html.h"
#include "mlpipe/report/svg.h"
#include "model_card_text.h"

namespace mlpipe::governance {
namespace {

using report::Cell;
using report::NumberCell;
using report::TextCell;

std::string Ratio(double v) { return fmt::format("{:.4f}", v); }

void Text(report::HtmlDocument& doc, std::string_view text) {
  if (text.empty()) {
    doc.AddParagraph("Not stated.", "muted");
  } else {
    doc.AddParagraph(text);
  }
}

std::string MetricsTable(const std::vector<CardMetric>& metrics, bool with_split) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& m : metrics) {
    std::vector<Cell> r = {TextCell(m.name)};
    if (with_split) r.push_back(TextCell(m.split));
    r.push_back(NumberCell(internal::MetricText(m)));
    r.push_back(TextCell(internal::CiLabel(m)));
    rows.push_back(std::move(r));
  }
  std::vector<std::string> header = {"metric"};
  if (with_split) header.push_back("split");
  header.push_back("value [interval]");
  header.push_back("interval");
  return report::HtmlTable(header, rows);
}

}  // namespace

std::string ModelCard::RenderHtml() const {
  std::string title = "Model card: ";
  title.append(model_name);
  if (!model_version.empty()) title.append(" v").append(model_version);
  report::HtmlDocument doc(title, objective);

  doc.BeginSection("objective", "Objective and intended use");
  Text(doc, objective);
  Text(doc, intended_use);
  if (!out_of_scope.empty()) doc.AddParagraph(fmt::format("Out of scope: {}", out_of_scope));
  doc.EndSection();

  doc.BeginSection("data", "Data versions");
  if (data_versions.empty()) {
    doc.AddParagraph("None recorded.", "muted");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const auto& d : data_versions) {
      rows.push_back({TextCell(d.role), TextCell(d.name), TextCell(d.version),
                      NumberCell(d.rows >= 0 ? std::to_string(d.rows) : ""), TextCell(d.sha256)});
    }
    doc.AddHtml(report::HtmlTable({"role", "dataset", "version", "rows", "sha256"}, rows));
  }
  doc.EndSection();

  doc.BeginSection("features", "Features");
  if (features.empty()) {
    doc.AddParagraph("None recorded.", "muted");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const auto& f : features) {
      rows.push_back({TextCell(f.name), TextCell(f.type), TextCell(f.note)});
    }
    doc.AddHtml(report::HtmlTable({"feature", "type", "note"}, rows));
  }
  doc.EndSection();

  doc.BeginSection("metrics", "Metrics");
  if (metrics.empty()) {
    doc.AddParagraph("None recorded.", "muted");
  } else {
    doc.AddHtml(MetricsTable(metrics, true));
  }
  doc.EndSection();

  doc.BeginSection("fairness", "Fairness");
  if (fairness.empty()) doc.AddParagraph("No protected columns were evaluated.", "muted");
  for (const auto& f : fairness) {
    doc.AddHtml(fmt::format("<h3>{}</h3>", report::EscapeXml(f.column)));
    std::vector<std::vector<Cell>> rows;
    for (const auto& g : f.groups) {
      rows.push_back({TextCell(g.group), NumberCell(std::to_string(g.count)),
                      NumberCell(Ratio(g.selection_rate)), NumberCell(Ratio(g.tpr)),
                      NumberCell(Ratio(g.fpr)),
                      g.four_fifths_flag ? TextCell("below four-fifths", "warn") : TextCell("")});
    }
    doc.AddHtml(report::HtmlTable({"group", "rows", "selection rate", "TPR", "FPR", "flag"}, rows));
    if (!f.metrics.empty()) doc.AddHtml(MetricsTable(f.metrics, false));
  }
  doc.EndSection();

  doc.BeginSection("limitations", "Limitations");
  if (limitations.empty()) {
    doc.AddParagraph("None found.", "muted");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const auto& l : limitations) {
      const std::string sev =
          fmt::format(R"(<span class="sev {}">{}</span>)", report::EscapeXml(l.severity),
                      report::EscapeXml(l.severity));
      rows.push_back({report::HtmlCell(sev), TextCell(l.source), TextCell(l.text)});
    }
    doc.AddHtml(report::HtmlTable({"severity", "source", "finding"}, rows));
  }
  doc.EndSection();

  doc.BeginSection("gates", "Gates");
  if (gates.empty()) {
    doc.AddParagraph("None evaluated.", "muted");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const auto& g : gates) {
      rows.push_back({TextCell(g.name), g.passed ? TextCell("pass") : TextCell("FAIL", "error"),
                      TextCell(g.evidence)});
    }
    doc.AddHtml(report::HtmlTable({"gate", "result", "evidence"}, rows));
  }
  doc.EndSection();

  doc.BeginSection("approvals", "Approvals");
  if (approvals.empty()) {
    doc.AddParagraph("None recorded.", "muted");
  } else {
    std::vector<std::vector<Cell>> rows;
    for (const auto& a : approvals) {
      rows.push_back({TextCell(a.role), TextCell(a.by), TextCell(a.at), TextCell(a.note)});
    }
    doc.AddHtml(report::HtmlTable({"role", "by", "at", "note"}, rows));
  }
  doc.EndSection();
  return doc.Finish();
}

}  // namespace mlpipe::governance
