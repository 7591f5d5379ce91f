// Charts shared by the reports (profile, evaluation, drift, model card), each
// returned as a self-contained inline <svg> fragment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlpipe::report {

struct Bar {
  std::string label;
  double value = 0;
  std::string note;  // shown after the bar (e.g. "412 (41.2%)"); "" shows the value
};

struct BarChartOptions {
  std::string title;
  double width = 420;    // the label column takes about a third
  double max_value = 0;  // 0: the largest value
  std::string color = "#4c78a8";
};

// Horizontal bars, one per entry, in the given order.
std::string BarChart(const std::vector<Bar>& bars, const BarChartOptions& options);

struct HistogramOptions {
  std::string title;
  double width = 420;
  double height = 160;
  std::string color = "#4c78a8";
};

// Vertical bars for bins [edges[i], edges[i+1]); REQUIRES edges.size() == counts.size() + 1
// (both may be empty: an empty chart).
std::string HistogramChart(const std::vector<double>& edges, const std::vector<uint64_t>& counts,
                           const HistogramOptions& options);

struct HeatMapOptions {
  std::string title;
  double cell = 28;  // cell side in user units
  // Values are in [-1, 1] (signed) or [0, 1]; NaN cells are grey.
  bool signed_values = true;
};

// A square matrix of `labels.size()` rows and columns, values[i][j].
std::string HeatMap(const std::vector<std::string>& labels,
                    const std::vector<std::vector<double>>& values, const HeatMapOptions& options);

// A colour for `v` in [-1, 1] on a diverging blue-white-red scale ("#rrggbb").
std::string DivergingColor(double v);

// Numbers for people: integers with thousands separators ("1,000,000"),
// others with 4 significant digits ("0.3142", "1.235e+06"); "–" for NaN.
std::string FormatNumber(double v);
std::string FormatCount(uint64_t v);
// A share as a percentage with one decimal: 0.0834 -> "8.3%".
std::string FormatPercent(double share);

}  // namespace mlpipe::report
