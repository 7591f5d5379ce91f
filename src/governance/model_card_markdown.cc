// ModelCard::RenderMarkdown: GitHub-flavoured Markdown, tables for lists.
#include <fmt/format.h>

#include "mlpipe/governance/model_card.h"
#include "model_card_text.h"

namespace mlpipe::governance {
namespace {

// A table cell: pipes escaped, line breaks flattened.
std::string Cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out.append("\\|");
    } else if (c == '\n' || c == '\r') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void Table(std::string& md, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows) {
  md.append("|");
  for (const auto& h : header) md.append(" ").append(Cell(h)).append(" |");
  md.append("\n|");
  for (size_t i = 0; i < header.size(); ++i) md.append(" --- |");
  md.append("\n");
  for (const auto& r : rows) {
    md.append("|");
    for (const auto& c : r) md.append(" ").append(Cell(c)).append(" |");
    md.append("\n");
  }
  md.append("\n");
}

void Text(std::string& md, std::string_view text) {
  md.append(text.empty() ? std::string_view("Not stated.") : text);
  md.append("\n\n");
}

std::string Ratio(double v) { return fmt::format("{:.4f}", v); }

}  // namespace

std::string ModelCard::RenderMarkdown() const {
  std::string md;
  md.append(fmt::format("# Model card: {}", model_name));
  if (!model_version.empty()) md.append(fmt::format(" v{}", model_version));
  md.append("\n\n## Objective\n\n");
  Text(md, objective);
  md.append("## Intended use\n\n");
  Text(md, intended_use);
  if (!out_of_scope.empty()) {
    md.append("Out of scope: ");
    Text(md, out_of_scope);
  }

  md.append("## Data versions\n\n");
  if (data_versions.empty()) {
    md.append("None recorded.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : data_versions) {
      rows.push_back(
          {d.role, d.name, d.version, d.rows >= 0 ? std::to_string(d.rows) : "", d.sha256});
    }
    Table(md, {"role", "dataset", "version", "rows", "sha256"}, rows);
  }

  md.append("## Features\n\n");
  if (features.empty()) {
    md.append("None recorded.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : features) rows.push_back({f.name, f.type, f.note});
    Table(md, {"feature", "type", "note"}, rows);
  }

  md.append("## Metrics\n\n");
  if (metrics.empty()) {
    md.append("None recorded.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : metrics) {
      rows.push_back({m.name, m.split, internal::MetricText(m), internal::CiLabel(m)});
    }
    Table(md, {"metric", "split", "value [interval]", "interval"}, rows);
  }

  md.append("## Fairness\n\n");
  if (fairness.empty()) md.append("No protected columns were evaluated.\n\n");
  for (const auto& f : fairness) {
    md.append(fmt::format("### {}\n\n", f.column));
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : f.groups) {
      rows.push_back({g.group, std::to_string(g.count), Ratio(g.selection_rate), Ratio(g.tpr),
                      Ratio(g.fpr), g.four_fifths_flag ? "below four-fifths" : ""});
    }
    Table(md, {"group", "rows", "selection rate", "TPR", "FPR", "flag"}, rows);
    if (!f.metrics.empty()) {
      std::vector<std::vector<std::string>> mrows;
      for (const auto& m : f.metrics) {
        mrows.push_back({m.name, internal::MetricText(m), internal::CiLabel(m)});
      }
      Table(md, {"metric", "value [interval]", "interval"}, mrows);
    }
  }

  md.append("## Limitations\n\n");
  if (limitations.empty()) {
    md.append("None found.\n\n");
  } else {
    for (const auto& l : limitations) {
      md.append(fmt::format("- **{}** ({}): {}\n", l.severity, l.source, Cell(l.text)));
    }
    md.append("\n");
  }

  md.append("## Gates\n\n");
  if (gates.empty()) {
    md.append("None evaluated.\n\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : gates) rows.push_back({g.name, g.passed ? "pass" : "FAIL", g.evidence});
    Table(md, {"gate", "result", "evidence"}, rows);
  }

  md.append("## Approvals\n\n");
  if (approvals.empty()) {
    md.append("None recorded.\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : approvals) rows.push_back({a.role, a.by, a.at, a.note});
    Table(md, {"role", "by", "at", "note"}, rows);
    md.pop_back();  // one trailing newline
  }
  return md;
}

}  // namespace mlpipe::governance
