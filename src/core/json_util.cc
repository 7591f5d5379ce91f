#include "mlpipe/core/json_util.h"

#include <fmt/format.h>

namespace mlpipe::core {

Result<Json> ParseJson(std::string_view text, std::string_view source) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // Translate the byte offset into a line and column.
    size_t offset = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at ...: ".
    size_t pos = what.find("]: ");
    if (pos == std::string::npos) pos = what.rfind(": ");
    std::string reason = pos == std::string::npos ? what : what.substr(what.find(": ", pos) + 2);
    return InvalidArgumentError(
        fmt::format("{}:{}:{}: invalid JSON: {}", source, line, col, reason));
  }
}

std::string DumpPretty(const Json& j) { return j.dump(2) + "\n"; }

}  // namespace mlpipe::core
