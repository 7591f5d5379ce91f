// ParseVersionRef: the grammar of the references users type for data versions
// and registered models — NAME, NAME@N, NAME@latest and (registry only)
// NAME@ALIAS. Errors quote the text and name the column at fault.
#include <cctype>
#include <string>
#include <string_view>

#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {
namespace {

bool IsNameStart(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsNameChar(char c) { return IsNameStart(c) || c == '.' || c == '_' || c == '-'; }
bool IsAliasStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAliasChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "bad reference 'TEXT': WHAT at column N" (N is 1-based).
Status Bad(std::string_view text, std::string_view what, size_t index) {
  std::string msg = "bad reference '";
  msg.append(text).append("': ").append(what);
  msg.append(" at column ").append(std::to_string(index + 1));
  return InvalidArgumentError(std::move(msg));
}

std::string Quoted(char c) {
  std::string s = "'";
  s.push_back(c);
  s.push_back('\'');
  return s;
}

}  // namespace

Result<VersionRef> ParseVersionRef(std::string_view text, bool allow_alias) {
  if (text.empty()) return InvalidArgumentError("bad reference '': expected a name");
  const size_t at = text.find('@');
  const std::string_view name = text.substr(0, at);
  if (name.empty()) return Bad(text, "expected a name before '@'", 0);
  if (!IsNameStart(name[0])) {
    return Bad(text, "a name must start with a letter or digit, found " + Quoted(name[0]), 0);
  }
  for (size_t i = 1; i < name.size(); ++i) {
    if (!IsNameChar(name[i])) {
      return Bad(text, "unexpected character " + Quoted(name[i]) + " in name", i);
    }
  }
  VersionRef ref;
  ref.name = std::string(name);
  if (at == std::string_view::npos) return ref;

  const size_t start = at + 1;
  const std::string_view rest = text.substr(start);
  const char* expected = allow_alias ? "expected a version number or alias after '@'"
                                     : "expected a version number after '@'";
  if (rest.empty() || !(IsDigit(rest[0]) || IsAliasStart(rest[0])))
    return Bad(text, expected, start);

  if (IsDigit(rest[0])) {
    int64_t v = 0;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (!IsDigit(rest[i])) {
        return Bad(text, "unexpected character " + Quoted(rest[i]) + " in version number",
                   start + i);
      }
      if (v > (INT64_MAX - 9) / 10) return Bad(text, "version number is too large", start);
      v = v * 10 + (rest[i] - '0');
    }
    if (v == 0) return Bad(text, "versions are numbered from 1", start);
    ref.version = v;
    return ref;
  }

  for (size_t i = 1; i < rest.size(); ++i) {
    if (!IsAliasChar(rest[i])) {
      return Bad(
          text,
          "unexpected character " + Quoted(rest[i]) + (allow_alias ? " in alias" : " after '@'"),
          start + i);
    }
  }
  if (rest == "latest") return ref;
  if (!allow_alias) {
    return Bad(text,
               "expected a version number or 'latest' after '@' (aliases are not allowed here)",
               start);
  }
  ref.alias = std::string(rest);
  return ref;
}

}  // namespace mlpipe::store
