// Decimal commas: in a ';'-delimited file, "1,5" is the number 1.5 (csv.h).
#include "decimal_comma.h"

#include <charconv>
#include <cmath>
#include <string>

namespace mlpipe::table::internal {
namespace {

// [+-]digits[,digits] with at least one digit; *comma set when it has one.
bool IsCommaNumber(std::string_view s, bool* comma) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0, commas = 0;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++digits;
    } else if (s[i] == ',' && commas == 0 && digits > 0 && i + 1 < s.size()) {
      ++commas;
    } else {
      return false;
    }
  }
  if (commas > 0) *comma = true;
  return digits > 0;
}

}  // namespace

bool ReadDecimalCommas(const Column& c, Column* out) {
  if (c.type() != DataType::kString && c.type() != DataType::kCategorical) return false;
  bool any_comma = false;
  const size_t n = c.size();
  std::vector<double> values(n, 0.0);
  std::vector<uint8_t> valid(n, 0);
  std::string buf;
  for (size_t r = 0; r < n; ++r) {
    if (!c.IsValid(r)) continue;
    std::string_view t = TrimSpaces(c.TextAt(r));
    if (!IsCommaNumber(t, &any_comma)) return false;
    buf.assign(t.substr(t[0] == '+' ? 1 : 0));
    for (char& ch : buf) {
      if (ch == ',') ch = '.';
    }
    auto res = std::from_chars(buf.data(), buf.data() + buf.size(), values[r]);
    if (res.ec != std::errc() || res.ptr != buf.data() + buf.size()) return false;
    valid[r] = 1;
  }
  if (!any_comma) return false;
  *out = Column::Float64(c.name(), std::move(values), std::move(valid));
  return true;
}

}  // namespace mlpipe::table::internal
