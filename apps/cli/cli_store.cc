// Shared helpers of the store commands: opening the stores, times, bytes and tables.
#include "cli_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "mlpipe/core/env.h"

namespace mlpipe::cli {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t& pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<int64_t> ParseIso(std::string_view s) {
  size_t p = 0;
  int64_t y = 0, mo = 0, d = 0;
  if (!Digits(s, p, 4, &y) || !Expect(s, p, '-') || !Digits(s, p, 2, &mo) || !Expect(s, p, '-') ||
      !Digits(s, p, 2, &d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return std::nullopt;
  int64_t h = 0, mi = 0, sec = 0, frac_us = 0, offset_s = 0;
  if (p < s.size()) {
    if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
    ++p;
    if (!Digits(s, p, 2, &h) || !Expect(s, p, ':') || !Digits(s, p, 2, &mi)) return std::nullopt;
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!Digits(s, p, 2, &sec)) return std::nullopt;
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        size_t start = p;
        int64_t scale = 100000;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          frac_us += (s[p] - '0') * scale;
          scale /= 10;
          ++p;
        }
        if (p == start) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (p < s.size()) {
      if (s[p] == 'Z' || s[p] == 'z') {
        ++p;
      } else if (s[p] == '+' || s[p] == '-') {
        int sign = s[p] == '-' ? -1 : 1;
        ++p;
        int64_t oh, om = 0;
        if (!Digits(s, p, 2, &oh)) return std::nullopt;
        if (p < s.size() && s[p] == ':') ++p;
        if (p < s.size() && !Digits(s, p, 2, &om)) return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offset_s = sign * (oh * 3600 + om * 60);
      } else {
        return std::nullopt;
      }
    }
    if (p != s.size()) return std::nullopt;
  }
  int64_t secs = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return secs * 1000000 + frac_us;
}

}  // namespace

Result<store::ProjectStores> OpenStores(const CommandState& state) {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (ec) return IoError("cannot read the current folder: " + ec.message());
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectLocation loc,
                          store::LocateProject(cwd, state.global.project, state.global.store));
  return store::OpenProjectStores(core::Env::Default(), loc);
}

std::string FormatTime(int64_t micros) {
  if (micros == 0) return "";
  int64_t secs = micros >= 0 ? micros / 1000000 : -((-micros + 999999) / 1000000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  return buf;
}

Result<int64_t> ParseTime(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  }
  if (auto t = ParseIso(s)) return *t;
  std::string msg = "bad time '";
  msg.append(text);
  msg.append(
      "': expected an ISO 8601 date or date-time (2024-05-01, 2024-05-01T12:00:00Z, "
      "2024-05-01T14:00:00+02:00) or microseconds since 1970");
  return InvalidArgumentError(std::move(msg));
}

std::string FormatBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", v, kUnits[unit]);
  return buf;
}

std::string FormatNumber(double value) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  if (ec != std::errc()) return std::to_string(value);
  return std::string(buf, ptr);
}

std::string FormatMetric(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}

core::Json JsonOrText(const std::string& text) {
  if (text.empty()) return core::Json::object();
  auto j = core::ParseJson(text, "json");
  return j.ok() ? *j : core::Json(text);
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  size_t ncols = header.size();
  for (const auto& r : rows) ncols = std::max(ncols, r.size());
  std::vector<size_t> width(ncols, 0);
  auto measure = [&width](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < ncols; ++i) {
      const std::string cell = i < row.size() ? row[i] : std::string();
      line += cell;
      if (i + 1 < ncols) line.append(width[i] - cell.size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << '\n';
  };
  if (!header.empty()) print(header);
  for (const auto& r : rows) print(r);
  std::cout << std::flush;
}

// The integration gate: the version's bundle, copied out of the object store
// (verified), must pass `mlpipe bundle verify` in a fresh process.
governance::IntegrationCheck FreshProcessCheck(store::ObjectStore* objects) {
  // This binary's own path (inside the shell, /proc/self/exe would be the shell).
  std::error_code link_ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", link_ec).string();
  return [objects, self](const store::ModelVersion& v) -> Result<std::string> {
    if (self.empty()) return InternalError("cannot find the mlpipe binary (/proc/self/exe)");
    char tmpl[] = "/tmp/mlpipe_gate_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return IoError("cannot create a temporary folder");
    const std::string dir = tmpl;
    const std::string bundle = dir + "/bundle.mlpb";
    Status copied = objects->CopyTo(v.bundle_hash, bundle);
    int code = -1;
    if (copied.ok()) {
      const std::string cmd =
          fmt::format("'{}' -q bundle verify '{}' >/dev/null 2>&1", self, bundle);
      const int raw = std::system(cmd.c_str());
      code = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (!copied.ok()) return copied;
    if (code != 0) {
      return DataLossError(
          fmt::format("bundle {} failed `mlpipe bundle verify` in a fresh process (exit {})",
                      v.bundle_hash.substr(0, 12), code));
    }
    return fmt::format("bundle {} loads in a fresh process and reproduces its golden predictions",
                       v.bundle_hash.substr(0, 12));
  };
}

}  // namespace mlpipe::cli
