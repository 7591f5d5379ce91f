#include "mlpipe/report/svg.h"

#include <cmath>

#include <fmt/format.h>

namespace mlpipe::report {

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgNumber(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

Svg::Svg(double width, double height, std::string_view title) : width_(width), height_(height) {
  if (!title.empty()) body_ += fmt::format("<title>{}</title>", EscapeXml(title));
}

void Svg::Rect(double x, double y, double w, double h, std::string_view fill,
               std::string_view tooltip) {
  if (tooltip.empty()) {
    body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", SvgNumber(x),
                         SvgNumber(y), SvgNumber(w), SvgNumber(h), EscapeXml(fill));
  } else {
    body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{})"
                         R"(</title></rect>)",
                         SvgNumber(x), SvgNumber(y), SvgNumber(w), SvgNumber(h), EscapeXml(fill),
                         EscapeXml(tooltip));
  }
}

void Svg::Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>)",
                       SvgNumber(x1), SvgNumber(y1), SvgNumber(x2), SvgNumber(y2),
                       EscapeXml(stroke), SvgNumber(width));
}

void Svg::Text(double x, double y, std::string_view text, Anchor anchor, double size,
               std::string_view fill, double rotate) {
  const char* a = anchor == Anchor::kStart ? "start" : anchor == Anchor::kMiddle ? "middle" : "end";
  std::string transform;
  if (rotate != 0) {
    transform = fmt::format(R"x( transform="rotate({} {} {})")x", SvgNumber(rotate), SvgNumber(x),
                            SvgNumber(y));
  }
  body_ += fmt::format(
      R"(<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="{}"{}>{}</text>)", SvgNumber(x),
      SvgNumber(y), a, SvgNumber(size), EscapeXml(fill), transform, EscapeXml(text));
}

std::string Svg::Finish() const {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" )"
      R"(style="max-width:100%;height:auto" role="img">{body}</svg>)",
      fmt::arg("w", SvgNumber(width_)), fmt::arg("h", SvgNumber(height_)), fmt::arg("body", body_));
}

}  // namespace mlpipe::report
