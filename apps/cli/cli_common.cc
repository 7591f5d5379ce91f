#include "cli_common.h"

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

}  // namespace mlpipe::cli
