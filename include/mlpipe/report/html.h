// Self-contained HTML documents for the reports: one file with inline CSS and
// inline SVG; no scripts and no network fetches, so it opens anywhere,
// offline, and can be attached to an audit record as is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::report {

// One table cell. `html` is inserted as is (already escaped markup, e.g. a
// chart); otherwise `text` is escaped.
struct Cell {
  std::string text;
  std::string html;
  bool numeric = false;   // right-aligned, tabular figures
  std::string css_class;  // e.g. "warn", "error"
};

Cell TextCell(std::string text, std::string css_class = "");
Cell NumberCell(std::string text);
Cell HtmlCell(std::string html);

// A <table> with one header row.
std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<Cell>>& rows, std::string_view css_class = "");

// A small "figure: label" tile for an overview strip.
std::string StatTile(std::string_view label, std::string_view value,
                     std::string_view css_class = "");

class HtmlDocument {
 public:
  explicit HtmlDocument(std::string title, std::string subtitle = "");

  // Starts a section with an <h2> and an anchor `id` for the table of contents.
  void BeginSection(std::string_view id, std::string_view heading);
  void EndSection();
  // Appends markup as is.
  void AddHtml(std::string_view html);
  // Appends an escaped paragraph.
  void AddParagraph(std::string_view text, std::string_view css_class = "");

  // The whole document, with a table of contents of the sections.
  std::string Finish() const;

 private:
  std::string title_, subtitle_;
  std::vector<std::pair<std::string, std::string>> sections_;  // id, heading
  std::string body_;
};

}  // namespace mlpipe::report
