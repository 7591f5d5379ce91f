// ISO 8601 parsing and formatting over Howard Hinnant's days-from-civil
// algorithms (exact for every proleptic Gregorian date that fits in int64).
#include "mlpipe/core/time.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace mlpipe::core {
namespace {

// Floor division, for times before the epoch.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `*pos`.
bool Digits(std::string_view s, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Take(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

int64_t DaysFromCivil(const CivilDate& date) {
  const int64_t m = date.month;
  const int64_t y = date.year - (m <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

std::optional<int64_t> ParseIsoTime(std::string_view s) {
  size_t p = 0;
  int64_t y = 0, mo = 0, d = 0;
  if (!Digits(s, &p, 4, &y) || !Take(s, &p, '-') || !Digits(s, &p, 2, &mo) || !Take(s, &p, '-') ||
      !Digits(s, &p, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, static_cast<int>(mo))) return std::nullopt;
  int64_t h = 0, mi = 0, sec = 0, frac_us = 0, offset_s = 0;
  if (p < s.size()) {
    if (!Take(s, &p, 'T') && !Take(s, &p, 't') && !Take(s, &p, ' ')) return std::nullopt;
    if (!Digits(s, &p, 2, &h) || !Take(s, &p, ':') || !Digits(s, &p, 2, &mi)) return std::nullopt;
    if (Take(s, &p, ':')) {
      if (!Digits(s, &p, 2, &sec)) return std::nullopt;
      if (Take(s, &p, '.') || Take(s, &p, ',')) {
        const size_t start = p;
        int64_t scale = 100000;
        for (; p < s.size() && IsDigit(s[p]); ++p) {
          frac_us += (s[p] - '0') * scale;
          scale /= 10;
        }
        if (p == start) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (Take(s, &p, 'Z') || Take(s, &p, 'z')) {
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      const int64_t sign = s[p] == '-' ? -1 : 1;
      ++p;
      int64_t oh = 0, om = 0;
      if (!Digits(s, &p, 2, &oh)) return std::nullopt;
      if (Take(s, &p, ':')) {
        if (!Digits(s, &p, 2, &om)) return std::nullopt;
      } else if (p < s.size() && !Digits(s, &p, 2, &om)) {
        return std::nullopt;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset_s = sign * (oh * 3600 + om * 60);
    }
    if (p != s.size()) return std::nullopt;
  }
  const int64_t secs = DaysFromCivil({y, static_cast<int>(mo), static_cast<int>(d)}) * 86400 +
                       h * 3600 + mi * 60 + sec - offset_s;
  return secs * 1000000 + frac_us;
}

Result<int64_t> ParseTimeOrMicros(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && std::all_of(s.begin(), s.end(), IsDigit)) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  }
  if (auto t = ParseIsoTime(s)) return *t;
  std::string msg = "bad time '";
  msg.append(text);
  msg.append(
      "': expected an ISO 8601 date or date-time (2024-05-01, 2024-05-01T12:00:00Z, "
      "2024-05-01T14:00:00+02:00) or microseconds since 1970");
  return InvalidArgumentError(std::move(msg));
}

std::string FormatIsoTime(int64_t micros) {
  const int64_t secs = FloorDiv(micros, 1000000);
  const int64_t days = FloorDiv(secs, 86400);
  const int64_t rem = secs - days * 86400;
  const CivilDate c = CivilFromDays(days);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02lld:%02lld:%02lldZ",
                static_cast<long long>(c.year), c.month, c.day, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return buf;
}

}  // namespace mlpipe::core
