// A small builder of SVG documents for the reports: shapes and text with
// escaped content and numbers printed with a fixed precision, so that the
// same input always gives the same bytes.
#pragma once

#include <string>
#include <string_view>

namespace mlpipe::report {

// Escapes & < > " ' for use in XML/HTML text and attribute values.
std::string EscapeXml(std::string_view text);

enum class Anchor { kStart, kMiddle, kEnd };

class Svg {
 public:
  // An <svg> of `width` x `height` user units, scaled to the page width when
  // narrower; `title` becomes its <title> (shown on hover, read by screen readers).
  Svg(double width, double height, std::string_view title = "");

  // `fill` and `stroke` are CSS colours ("#4c78a8", "none").
  void Rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view tooltip = "");
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1);
  void Text(double x, double y, std::string_view text, Anchor anchor = Anchor::kStart,
            double size = 11, std::string_view fill = "#333", double rotate = 0);

  // The finished document fragment "<svg ...>...</svg>".
  std::string Finish() const;

 private:
  double width_, height_;
  std::string body_;
};

// A number as SVG writes it: at most 2 decimals, no trailing zeros.
std::string SvgNumber(double v);

}  // namespace mlpipe::report
