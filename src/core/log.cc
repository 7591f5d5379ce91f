#include "mlpipe/core/log.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>

namespace mlpipe::core {
namespace {

OutputMode& Mode() {
  static OutputMode mode;
  return mode;
}

std::mutex& LogMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

void SetOutputMode(const OutputMode& mode) { Mode() = mode; }
const OutputMode& GetOutputMode() { return Mode(); }

bool ShowProgress() {
  static const bool tty = isatty(STDERR_FILENO) != 0;
  return tty && !Mode().quiet && !Mode().json && Mode().level <= LogLevel::kInfo;
}

void LogMessage(LogLevel level, std::string_view message) {
  const char* prefix = "";
  switch (level) {
    case LogLevel::kDebug:
      prefix = "debug: ";
      break;
    case LogLevel::kWarning:
      prefix = "warning: ";
      break;
    case LogLevel::kError:
      prefix = "error: ";
      break;
    default:
      break;
  }
  std::lock_guard<std::mutex> l(LogMutex());
  std::fprintf(stderr, "%s%.*s\n", prefix, static_cast<int>(message.size()), message.data());
}

}  // namespace mlpipe::core
