#include "mlpipe/report/check.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace mlpipe::report {
namespace {

constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";

bool IsVoidElement(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",   "base",  "br",    "col",  "embed",
                                               "hr",     "img",   "input", "link", "meta",
                                               "source", "track", "wbr"};
  return std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status CheckNoFetches(std::string_view markup) {
  std::string lower = Lower(markup);
  for (std::string_view scheme : {"http:", "https:"}) {
    for (size_t at = lower.find(scheme); at != std::string::npos; at = lower.find(scheme, at + 1)) {
      if (lower.compare(at, kSvgNamespace.size(), kSvgNamespace) == 0) continue;
      return InvalidArgumentError(
          fmt::format("offset {}: external reference '{}'", at, markup.substr(at, 40)));
    }
  }
  for (std::string_view bad : {"<script", " src=", "@import", "url("}) {
    size_t at = lower.find(bad);
    if (at != std::string::npos) {
      return InvalidArgumentError(fmt::format("offset {}: '{}' is not allowed", at, bad));
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckSelfContainedMarkup(std::string_view markup) {
  MLPIPE_RETURN_IF_ERROR(CheckNoFetches(markup));
  std::vector<std::pair<std::string, size_t>> open;  // name, offset
  size_t i = 0;
  while ((i = markup.find('<', i)) != std::string_view::npos) {
    if (markup.compare(i, 4, "<!--") == 0) {
      size_t end = markup.find("-->", i);
      if (end == std::string_view::npos) return InvalidArgumentError("unterminated comment");
      i = end + 3;
      continue;
    }
    size_t end = markup.find('>', i);
    if (end == std::string_view::npos) {
      return InvalidArgumentError(fmt::format("offset {}: unterminated tag", i));
    }
    std::string_view tag = markup.substr(i + 1, end - i - 1);
    size_t at = i;
    i = end + 1;
    if (tag.empty()) return InvalidArgumentError(fmt::format("offset {}: empty tag", at));
    if (tag[0] == '!' || tag[0] == '?') continue;  // <!DOCTYPE html>, <?xml ...?>
    bool closing = tag[0] == '/';
    bool self_closing = tag.back() == '/';
    std::string_view body = tag.substr(closing ? 1 : 0);
    size_t name_end = body.find_first_of(" \t\n/");
    std::string name = Lower(body.substr(0, name_end));
    if (name.empty()) return InvalidArgumentError(fmt::format("offset {}: tag without name", at));
    if (closing) {
      if (open.empty() || open.back().first != name) {
        return InvalidArgumentError(
            fmt::format("offset {}: </{}> closes {}", at, name,
                        open.empty() ? std::string("nothing")
                                     : "<" + open.back().first + "> opened at offset " +
                                           std::to_string(open.back().second)));
      }
      open.pop_back();
    } else if (!self_closing && !IsVoidElement(name)) {
      if (name == "style") {  // raw text up to </style>
        size_t close = markup.find("</style>", i);
        if (close == std::string_view::npos) {
          return InvalidArgumentError(fmt::format("offset {}: <style> is never closed", at));
        }
        i = close + 8;
        continue;
      }
      open.emplace_back(name, at);
    }
  }
  if (!open.empty()) {
    return InvalidArgumentError(fmt::format("<{}> opened at offset {} is never closed",
                                            open.back().first, open.back().second));
  }
  return Status::OK();
}

}  // namespace mlpipe::report
