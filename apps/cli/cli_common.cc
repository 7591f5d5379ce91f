#include "cli_common.h"

#include <cstdio>
#include <iostream>

namespace mlpipe::cli {

int ReportError(const CommandState& state, const Status& status) {
  int code = status.code() == StatusCode::kInternal ? kExitInternal : kExitBadInput;
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

}  // namespace mlpipe::cli
