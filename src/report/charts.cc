#include "mlpipe/report/charts.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "mlpipe/report/svg.h"

namespace mlpipe::report {
namespace {

constexpr double kRow = 18;
constexpr double kTitle = 18;
constexpr const char* kAxis = "#999";

// Cuts `s` to about `max_chars` characters (UTF-8 aware), ending in "…".
std::string Truncate(const std::string& s, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == max_chars) return s.substr(0, i) + "…";
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return s;
}

}  // namespace

std::string BarChart(const std::vector<Bar>& bars, const BarChartOptions& options) {
  double top = options.title.empty() ? 4 : kTitle + 4;
  double height = top + kRow * static_cast<double>(bars.size()) + 4;
  Svg svg(options.width, height, options.title);
  if (!options.title.empty()) svg.Text(0, 13, options.title, Anchor::kStart, 12, "#222");
  double label_w = options.width * 0.34;
  double bar_w = options.width * 0.44;
  double max_value = options.max_value;
  for (const Bar& b : bars) max_value = std::max(max_value, b.value);
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    double y = top + kRow * static_cast<double>(i);
    svg.Text(label_w - 6, y + 12.5, Truncate(b.label, static_cast<size_t>(label_w / 6.5)),
             Anchor::kEnd);
    double w = max_value > 0 && std::isfinite(b.value) ? bar_w * b.value / max_value : 0;
    std::string note = b.note.empty() ? FormatNumber(b.value) : b.note;
    svg.Rect(label_w, y + 3, std::max(w, b.value > 0 ? 1.0 : 0.0), kRow - 6, options.color,
             b.label + ": " + note);
    svg.Text(label_w + w + 5, y + 12.5, note, Anchor::kStart, 10.5, "#555");
  }
  return svg.Finish();
}

std::string HistogramChart(const std::vector<double>& edges, const std::vector<uint64_t>& counts,
                           const HistogramOptions& options) {
  double top = options.title.empty() ? 6 : kTitle + 6;
  const double left = 46, bottom = 22, right = 8;
  Svg svg(options.width, options.height, options.title);
  if (!options.title.empty()) svg.Text(0, 13, options.title, Anchor::kStart, 12, "#222");
  double plot_w = options.width - left - right;
  double plot_h = options.height - top - bottom;
  double base = top + plot_h;
  svg.Line(left, base, left + plot_w, base, kAxis);
  svg.Line(left, top, left, base, kAxis);
  if (counts.empty() || edges.size() != counts.size() + 1) return svg.Finish();
  uint64_t max_count = *std::max_element(counts.begin(), counts.end());
  svg.Text(left - 4, top + 8, FormatCount(max_count), Anchor::kEnd, 10, "#666");
  svg.Text(left - 4, base, "0", Anchor::kEnd, 10, "#666");
  double bw = plot_w / static_cast<double>(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    double h = max_count > 0 ? plot_h * static_cast<double>(counts[i]) / max_count : 0;
    if (counts[i] > 0) h = std::max(h, 1.0);
    bool last = i + 1 == counts.size();
    std::string tip =
        fmt::format("[{}, {}{}: {}", FormatNumber(edges[i]), FormatNumber(edges[i + 1]),
                    last ? "]" : ")", FormatCount(counts[i]));
    svg.Rect(left + bw * static_cast<double>(i) + 0.5, base - h, std::max(bw - 1, 0.5), h,
             options.color, tip);
  }
  svg.Text(left, base + 14, FormatNumber(edges.front()), Anchor::kStart, 10, "#666");
  svg.Text(left + plot_w, base + 14, FormatNumber(edges.back()), Anchor::kEnd, 10, "#666");
  if (counts.size() >= 4) {
    double mid = (edges.front() + edges.back()) / 2;
    svg.Text(left + plot_w / 2, base + 14, FormatNumber(mid), Anchor::kMiddle, 10, "#666");
  }
  return svg.Finish();
}

std::string DivergingColor(double v) {
  if (std::isnan(v)) return "#dddddd";
  v = std::clamp(v, -1.0, 1.0);
  // White at 0; #b2182b at +1, #2166ac at -1.
  int r0 = v >= 0 ? 0xb2 : 0x21, g0 = v >= 0 ? 0x18 : 0x66, b0 = v >= 0 ? 0x2b : 0xac;
  double t = std::fabs(v);
  auto mix = [t](int c) { return static_cast<int>(std::lround(255 + (c - 255) * t)); };
  return fmt::format("#{:02x}{:02x}{:02x}", mix(r0), mix(g0), mix(b0));
}

std::string HeatMap(const std::vector<std::string>& labels,
                    const std::vector<std::vector<double>>& values, const HeatMapOptions& options) {
  size_t n = labels.size();
  size_t longest = 0;
  for (const auto& l : labels) longest = std::max(longest, std::min<size_t>(l.size(), 18));
  double label_w = 8 + 6.2 * static_cast<double>(longest);
  double title_h = options.title.empty() ? 0 : kTitle;
  double top = title_h + label_w * 0.72 + 6;  // labels rotated by -45 degrees
  double c = options.cell;
  double legend_h = 34;
  double width = std::max(label_w + c * static_cast<double>(n) + label_w * 0.72, 260.0);
  double height = top + c * static_cast<double>(n) + legend_h;
  Svg svg(width, height, options.title);
  if (!options.title.empty()) svg.Text(0, 13, options.title, Anchor::kStart, 12, "#222");
  for (size_t i = 0; i < n; ++i) {
    double y = top + c * static_cast<double>(i);
    double x = label_w + c * static_cast<double>(i);
    std::string short_label = Truncate(labels[i], 18);
    svg.Text(label_w - 4, y + c / 2 + 4, short_label, Anchor::kEnd, 10.5);
    svg.Text(x + c / 2, top - 4, short_label, Anchor::kStart, 10.5, "#333", -45);
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      double v = i < values.size() && j < values[i].size() ? values[i][j] : NAN;
      double x = label_w + c * static_cast<double>(j);
      double y = top + c * static_cast<double>(i);
      std::string tip = fmt::format("{} × {}: {}", labels[i], labels[j],
                                    std::isnan(v) ? "not computed" : fmt::format("{:.3f}", v));
      svg.Rect(x, y, c - 1, c - 1, DivergingColor(v), tip);
      if (!std::isnan(v) && c >= 24) {
        svg.Text(x + c / 2 - 0.5, y + c / 2 + 3.5, fmt::format("{:.2f}", v).substr(0, 5),
                 Anchor::kMiddle, 8.5, std::fabs(v) > 0.6 ? "#fff" : "#333");
      }
    }
  }
  // Legend: -1 .. 1 (or 0 .. 1).
  double ly = top + c * static_cast<double>(n) + 10;
  double lo = options.signed_values ? -1 : 0;
  const int steps = 20;
  for (int k = 0; k < steps; ++k) {
    double v = lo + (1 - lo) * (k + 0.5) / steps;
    svg.Rect(label_w + 8.0 * k, ly, 8, 10, DivergingColor(v));
  }
  svg.Text(label_w, ly + 22, FormatNumber(lo), Anchor::kStart, 9.5, "#666");
  svg.Text(label_w + 8.0 * steps, ly + 22, "1", Anchor::kEnd, 9.5, "#666");
  return svg.Finish();
}

}  // namespace mlpipe::report
