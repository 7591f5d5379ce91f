// Logging to standard error, and the process-wide output mode that decides
// whether people-facing extras (progress bars, colour) are shown.
#pragma once

#include <string_view>

#include <fmt/format.h>

namespace mlpipe::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kQuiet = 4 };

struct OutputMode {
  LogLevel level = LogLevel::kInfo;  // messages below this level are dropped
  bool json = false;                 // --json: standard output is machine-readable
  bool quiet = false;                // -q
};

// Set once by the CLI while parsing arguments; read everywhere.
void SetOutputMode(const OutputMode& mode);
const OutputMode& GetOutputMode();
// True when standard error is a terminal and neither -q nor --json is set.
bool ShowProgress();

void LogMessage(LogLevel level, std::string_view message);

template <typename... Args>
void LogDebug(fmt::format_string<Args...> f, Args&&... args) {
  if (GetOutputMode().level <= LogLevel::kDebug)
    LogMessage(LogLevel::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogInfo(fmt::format_string<Args...> f, Args&&... args) {
  if (GetOutputMode().level <= LogLevel::kInfo)
    LogMessage(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogWarning(fmt::format_string<Args...> f, Args&&... args) {
  if (GetOutputMode().level <= LogLevel::kWarning)
    LogMessage(LogLevel::kWarning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void LogError(fmt::format_string<Args...> f, Args&&... args) {
  if (GetOutputMode().level <= LogLevel::kError)
    LogMessage(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace mlpipe::core
