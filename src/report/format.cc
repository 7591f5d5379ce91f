// Number formatting for people (reports and terminal summaries).
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "mlpipe/report/charts.h"

namespace mlpipe::report {

std::string FormatCount(uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    out += digits[i];
    int rest = n - 1 - i;
    if (rest > 0 && rest % 3 == 0) out += ',';
  }
  return out;
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::string s = FormatCount(static_cast<uint64_t>(std::fabs(v)));
    return v < 0 ? "-" + s : s;
  }
  double a = std::fabs(v);
  if (a >= 1e6 || a < 1e-4) return fmt::format("{:.4g}", v);
  // 4 significant digits in fixed notation, trailing zeros removed.
  int decimals = std::max(0, 3 - static_cast<int>(std::floor(std::log10(a))));
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string FormatPercent(double share) {
  if (std::isnan(share)) return "–";
  return fmt::format("{:.1f}%", share * 100);
}

}  // namespace mlpipe::report
