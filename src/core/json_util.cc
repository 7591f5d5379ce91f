#include "mlpipe/core/json_util.h"

#include <algorithm>

#include <fmt/format.h>

namespace mlpipe::core {

namespace {

// "SOURCE:LINE:COL" of byte `offset` of `text` (lines and columns from 1).
std::string Position(std::string_view text, std::string_view source, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return fmt::format("{}:{}:{}", source, line, col);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse
// error at line 1, column 2: " prefix.
std::string Reason(const nlohmann::json::exception& e) {
  std::string what = e.what();
  size_t pos = what.find("]: ");
  if (pos == std::string::npos) pos = what.rfind(": ");
  if (pos == std::string::npos) pos = what.find("] ");
  if (pos == std::string::npos) return what;
  size_t colon = what.find(": ", pos);
  return colon == std::string::npos ? what.substr(pos + 2) : what.substr(colon + 2);
}

}  // namespace

size_t FindJsonTooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

Status CheckJsonDepth(std::string_view text, std::string_view source, size_t max_depth) {
  size_t at = FindJsonTooDeep(text, max_depth);
  if (at == std::string_view::npos) return Status::OK();
  return InvalidArgumentError(
      fmt::format("{}: JSON nested deeper than {} levels", Position(text, source, at), max_depth));
}

Result<Json> ParseJson(std::string_view text, std::string_view source) {
  MLPIPE_RETURN_IF_ERROR(CheckJsonDepth(text, source));
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return InvalidArgumentError(fmt::format(
        "{}: invalid JSON: {}", Position(text, source, e.byte == 0 ? 0 : e.byte - 1), Reason(e)));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number literal beyond double ("1e999"); no position.
    return InvalidArgumentError(fmt::format("{}: invalid JSON: {}", source, Reason(e)));
  }
}

std::string DumpPretty(const Json& j) { return j.dump(2) + "\n"; }

}  // namespace mlpipe::core
