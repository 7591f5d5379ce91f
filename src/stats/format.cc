#include "mlpipe/stats/format.h"

#include <cmath>

#include <fmt/format.h>

namespace mlpipe::stats {
namespace {

std::string Number(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.4f}", v); }

}  // namespace

std::string FormatEstimate(std::optional<double> estimate, std::optional<double> low,
                           std::optional<double> high, std::string_view undefined) {
  if (!estimate || std::isnan(*estimate)) return std::string(undefined);
  std::string s = Number(*estimate);
  if (low && high) s += fmt::format(" [{}, {}]", Number(*low), Number(*high));
  return s;
}

}  // namespace mlpipe::stats
