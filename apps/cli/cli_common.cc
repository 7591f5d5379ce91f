#include "cli_common.h"

#include <charconv>
#include <cstdio>
#include <iostream>

#include "mlpipe/core/thread_pool.h"

namespace mlpipe::cli {

int ReportError(const CommandState& state, const Status& status) {
  const int code = core::ExitCodeFor(status.code());
  if (state.global.json) {
    core::Json j = {
        {"error",
         {{"code", std::string(StatusCodeName(status.code()))}, {"message", status.message()}}}};
    PrintJson(j);
  }
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return code;
}

void PrintJson(const core::Json& j) { std::cout << core::DumpPretty(j) << std::flush; }

void AddThreadsOption(CLI::App* cmd) {
  cmd->add_option_function<size_t>(
         "--threads",
         [](const size_t& threads) {
           Status s = core::ThreadPool::SetSharedThreads(threads);
           if (!s.ok()) throw CLI::ValidationError("--threads", s.message());
         },
         "Threads to compute on (default: one per hardware thread)")
      ->check(CLI::Range(1, 1024));
}

CLI::Validator OpenUnitInterval() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v)) return "expected a number, got '" + text + "'";
        if (!(v > 0 && v < 1)) return "must be in (0, 1), got " + text;
        return "";
      },
      "(0, 1)");
}

CLI::Validator UnsignedInteger() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || text[0] == '-' || ec != std::errc() ||
            end != text.data() + text.size()) {
          return "must be an integer from 0 to 18446744073709551615, got '" + text + "'";
        }
        return "";
      },
      "0..2^64-1");
}

}  // namespace mlpipe::cli
