#include "mlpipe/report/html.h"

#include <fmt/format.h>

#include "mlpipe/report/svg.h"

namespace mlpipe::report {
namespace {

// One stylesheet for every report: readable type, quiet tables, tiles.
constexpr const char* kCss = R"css(
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --soft:#f6f8fa;
  --info:#0969da; --warn:#9a6700; --error:#d1242f; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
  color:var(--fg); background:var(--bg); }
header { padding:20px 32px 12px; border-bottom:1px solid var(--line); background:var(--soft); }
header h1 { margin:0 0 4px; font-size:22px; }
header p { margin:0; color:var(--muted); }
nav { padding:8px 32px; border-bottom:1px solid var(--line); font-size:13px; }
nav a { margin-right:14px; color:var(--info); text-decoration:none; }
main { padding:8px 32px 40px; max-width:1200px; }
section { margin-top:22px; }
h2 { font-size:18px; border-bottom:1px solid var(--line); padding-bottom:4px; }
h3 { font-size:15px; margin:0 0 6px; }
table { border-collapse:collapse; margin:6px 0 12px; font-size:13px; }
th, td { padding:3px 10px; border-bottom:1px solid var(--line); text-align:left;
  vertical-align:top; }
th { background:var(--soft); font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.tiles { display:flex; flex-wrap:wrap; gap:10px; margin:10px 0; }
.tile { border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:120px; }
.tile .v { font-size:20px; font-weight:600; }
.tile .l { color:var(--muted); font-size:12px; }
.tile.warn .v { color:var(--warn); } .tile.error .v { color:var(--error); }
.sev { display:inline-block; min-width:58px; padding:0 6px; border-radius:10px;
  font-size:11px; font-weight:600; text-align:center; color:#fff; }
.sev.info { background:var(--info); } .sev.warning { background:var(--warn); }
.sev.error { background:var(--error); }
td.warn { color:var(--warn); } td.error { color:var(--error); }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(520px,1fr)); gap:14px; }
.card { border:1px solid var(--line); border-radius:6px; padding:10px 14px; }
.card .type { color:var(--muted); font-size:12px; font-weight:normal; margin-left:6px; }
.card table { font-size:12px; margin:0; }
.card .body { display:flex; gap:14px; flex-wrap:wrap; align-items:flex-start; }
.muted { color:var(--muted); }
p.note { color:var(--muted); font-size:12px; }
)css";

std::string CellHtml(const Cell& c) {
  std::string cls = c.css_class;
  if (c.numeric) cls = cls.empty() ? "num" : "num " + cls;
  std::string attr = cls.empty() ? "" : fmt::format(R"( class="{}")", EscapeXml(cls));
  return fmt::format("<td{}>{}</td>", attr, c.html.empty() ? EscapeXml(c.text) : c.html);
}

}  // namespace

Cell TextCell(std::string text, std::string css_class) {
  Cell c;
  c.text = std::move(text);
  c.css_class = std::move(css_class);
  return c;
}

Cell NumberCell(std::string text) {
  Cell c;
  c.text = std::move(text);
  c.numeric = true;
  return c;
}

Cell HtmlCell(std::string html) {
  Cell c;
  c.html = std::move(html);
  return c;
}

std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<Cell>>& rows, std::string_view css_class) {
  std::string out = css_class.empty() ? std::string("<table>")
                                      : fmt::format(R"(<table class="{}">)", EscapeXml(css_class));
  out += "<thead><tr>";
  for (const auto& h : header) out += "<th>" + EscapeXml(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const Cell& c : row) out += CellHtml(c);
    out += "</tr>";
  }
  out += "</tbody></table>";
  return out;
}

std::string StatTile(std::string_view label, std::string_view value, std::string_view css_class) {
  return fmt::format(
      R"(<div class="tile{}{}"><div class="v">{}</div><div class="l">{}</div></div>)",
      css_class.empty() ? "" : " ", EscapeXml(css_class), EscapeXml(value), EscapeXml(label));
}

HtmlDocument::HtmlDocument(std::string title, std::string subtitle)
    : title_(std::move(title)), subtitle_(std::move(subtitle)) {}

void HtmlDocument::BeginSection(std::string_view id, std::string_view heading) {
  sections_.emplace_back(std::string(id), std::string(heading));
  body_ += fmt::format(R"(<section id="{}"><h2>{}</h2>)", EscapeXml(id), EscapeXml(heading));
}

void HtmlDocument::EndSection() { body_ += "</section>\n"; }

void HtmlDocument::AddHtml(std::string_view html) { body_ += html; }

void HtmlDocument::AddParagraph(std::string_view text, std::string_view css_class) {
  if (css_class.empty()) {
    body_ += fmt::format("<p>{}</p>", EscapeXml(text));
  } else {
    body_ += fmt::format(R"(<p class="{}">{}</p>)", EscapeXml(css_class), EscapeXml(text));
  }
}

std::string HtmlDocument::Finish() const {
  std::string nav;
  for (const auto& [id, heading] : sections_) {
    nav += fmt::format(R"(<a href="#{}">{}</a>)", EscapeXml(id), EscapeXml(heading));
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{title}</title><style>{css}</style></head>\n<body><header><h1>{title}</h1>"
      "<p>{subtitle}</p></header><nav>{nav}</nav>\n<main>{body}</main></body></html>\n",
      fmt::arg("title", EscapeXml(title_)), fmt::arg("css", kCss),
      fmt::arg("subtitle", EscapeXml(subtitle_)), fmt::arg("nav", nav), fmt::arg("body", body_));
}

}  // namespace mlpipe::report
