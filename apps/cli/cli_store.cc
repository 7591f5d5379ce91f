// Shared helpers of the store commands: opening the stores, times, bytes and tables.
#include "cli_store.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "mlpipe/core/env.h"
#include "mlpipe/core/time.h"

namespace mlpipe::cli {

namespace {

Result<store::ProjectStores> Open(const CommandState& state, bool create) {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (ec) return IoError("cannot read the current folder: " + ec.message());
  MLPIPE_ASSIGN_OR_RETURN(store::ProjectLocation loc,
                          store::LocateProject(cwd, state.global.project, state.global.store));
  if (!create && !loc.exists && state.global.store.empty()) {
    return FailedPreconditionError(
        "no mlpipe project in " + loc.root +
        (state.global.project.empty() ? " or any folder above it" : "") +
        " (a project is a folder holding mlpipe.yaml or .mlpipe/): create one with "
        "`mlpipe init DIR --data FILE --target COL`, or name one with --project DIR");
  }
  return store::OpenProjectStores(core::Env::Default(), loc);
}

}  // namespace

Result<store::ProjectStores> OpenStores(const CommandState& state) { return Open(state, false); }

Result<store::ProjectStores> OpenOrCreateStores(const CommandState& state) {
  return Open(state, true);
}

std::string FormatTime(int64_t micros) { return micros == 0 ? "" : core::FormatIsoTime(micros); }

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

governance::IntegrationCheck FreshProcessCheck(store::ObjectStore* objects) {
  return governance::FreshProcessCheck(core::Env::Default(), objects);
}

}  // namespace mlpipe::cli
