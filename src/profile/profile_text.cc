// The terminal summary of a profile: aligned columns, a few lines per section.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/profile/profile_output.h"
#include "mlpipe/report/charts.h"

namespace mlpipe::profile {
namespace {

using report::FormatCount;
using report::FormatNumber;
using report::FormatPercent;

// Characters (not bytes) of UTF-8 text.
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Clip(const std::string& s, size_t max) {
  if (Width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n == max) break;
    out += s[i];
  }
  return out + "…";
}

// Rows of cells printed in aligned columns; `right[i]` right-aligns column i.
std::string Aligned(const std::vector<std::vector<std::string>>& rows,
                    const std::vector<bool>& right, const std::string& indent = "  ") {
  std::vector<size_t> w;
  for (const auto& r : rows) {
    if (w.size() < r.size()) w.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], Width(r[i]));
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line = indent;
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(w[i] - Width(r[i]), ' ');
      bool is_right = i < right.size() && right[i];
      line += is_right ? pad + r[i] : r[i] + (i + 1 < r.size() ? pad : "");
      if (i + 1 < r.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string ColumnsSection(const TableProfile& p) {
  std::vector<std::vector<std::string>> rows = {
      {"column", "type", "missing", "distinct", "mean", "std", "min", "median", "max", "top"}};
  for (const auto& c : p.columns) {
    std::vector<std::string> r = {Clip(c.name, 24), std::string(table::DataTypeName(c.type)),
                                  c.missing ? FormatPercent(c.missing_share) : "0",
                                  FormatCount(c.distinct)};
    if (c.numeric) {
      const auto& s = *c.numeric;
      for (double v : {s.mean, s.std, s.min, s.median, s.max}) r.push_back(FormatNumber(v));
    } else {
      r.insert(r.end(), 5, "");
    }
    r.push_back(c.top.empty() ? ""
                              : fmt::format("{} ({})", Clip(c.top[0].value, 24),
                                            FormatCount(c.top[0].count)));
    rows.push_back(std::move(r));
  }
  return "Columns\n" +
         Aligned(rows, {false, false, true, true, true, true, true, true, true, false});
}

std::string WarningsSection(const TableProfile& p) {
  if (p.warnings.empty()) return "Warnings: none\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& w : p.warnings) {
    rows.push_back({std::string(WarningSeverityName(w.severity)), w.rule, w.message});
  }
  return fmt::format("Warnings ({})\n", p.warnings.size()) + Aligned(rows, {});
}

std::string TargetSection(const TableProfile& p) {
  if (!p.target) return "";
  const TargetSummary& t = *p.target;
  std::string out;
  if (!t.classification) {
    return fmt::format("Target {}: numeric (regression), mean {}, {} missing\n", t.column,
                       FormatNumber(t.mean), FormatCount(t.missing));
  }
  uint64_t total = 0;
  for (const auto& c : t.classes) total += c.count;
  out += fmt::format("Target {} (positive class '{}', rate {})\n", t.column, t.positive,
                     FormatPercent(t.positive_rate));
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : t.classes) {
    rows.push_back({Clip(c.value, 30), FormatCount(c.count),
                    FormatPercent(total ? static_cast<double>(c.count) / total : 0)});
  }
  out += Aligned(rows, {false, true, true});
  return out;
}

std::string GroupsSection(const TableProfile& p) {
  std::string out;
  for (const auto& g : p.protected_groups) {
    bool cls = p.target && p.target->classification;
    out += fmt::format(
        "\n{} of {} by {}{}\n", cls ? fmt::format("Rate of '{}'", p.target->positive) : "Mean",
        p.target ? p.target->column : "", g.column, g.binned ? " (quartile bins)" : "");
    std::vector<std::vector<std::string>> rows = {{"group", "rows", cls ? "rate" : "mean"}};
    for (const auto& r : g.groups) {
      rows.push_back({Clip(r.group, 30), FormatCount(r.rows),
                      cls ? FormatPercent(r.rate) : FormatNumber(r.rate)});
    }
    out += Aligned(rows, {false, true, true});
    out += fmt::format("  largest gap {}, smallest ratio {:.2f}\n",
                       cls ? FormatPercent(g.max_gap) : FormatNumber(g.max_gap), g.min_ratio);
  }
  return out;
}

std::string AssociationsSection(const TableProfile& p) {
  std::vector<const Association*> all;
  for (const auto& a : p.associations.pairs) {
    if (!std::isnan(a.value)) all.push_back(&a);
  }
  if (all.empty()) return "";
  std::stable_sort(all.begin(), all.end(), [](const Association* x, const Association* y) {
    return std::fabs(x->value) > std::fabs(y->value);
  });
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < all.size() && i < 10; ++i) {
    rows.push_back({Clip(all[i]->a, 24), Clip(all[i]->b, 24),
                    std::string(AssociationMethodName(all[i]->method)),
                    fmt::format("{:.3f}", all[i]->value)});
  }
  std::string note;
  if (p.associations.sample_rows) {
    note += fmt::format("  (on a sample of {} rows)\n", FormatCount(p.associations.sample_rows));
  }
  if (p.associations.pairs_skipped) {
    note += fmt::format("  ({} pairs not computed: over the pair limit)\n",
                        FormatCount(p.associations.pairs_skipped));
  }
  return "\nStrongest associations\n" + Aligned(rows, {false, false, false, true}) + note;
}

}  // namespace

std::string ProfileToText(const TableProfile& p) {
  std::string out =
      fmt::format("{}{} rows × {} columns, {} duplicate rows, {} missing cells\n\n",
                  p.source.empty() ? "" : p.source + ": ", FormatCount(p.rows), p.columns.size(),
                  FormatCount(p.duplicate_rows), FormatCount(p.missing_cells));
  out += WarningsSection(p) + "\n";
  out += ColumnsSection(p);
  std::string target = TargetSection(p);
  if (!target.empty()) out += "\n" + target;
  out += GroupsSection(p);
  out += AssociationsSection(p);
  return out;
}

}  // namespace mlpipe::profile
