// JSON helpers over nlohmann::json with errors that name the source and key.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mlpipe/core/status.h"

namespace mlpipe::core {

using Json = nlohmann::json;

// Parses `text`; errors read "SOURCE:LINE:COL: message".
Result<Json> ParseJson(std::string_view text, std::string_view source);

// Returns j[key] converted to T; errors name `context` and the key, e.g.
// "schema.json: columns[3].type: expected string, found number".
template <typename T>
Result<T> GetField(const Json& j, std::string_view key, std::string_view context) {
  std::string where = std::string(context) + "." + std::string(key);
  if (!j.is_object()) return InvalidArgumentError(std::string(context) + ": expected an object");
  auto it = j.find(std::string(key));
  if (it == j.end()) return InvalidArgumentError(where + ": missing required key");
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(where + ": wrong type (" + std::string(it->type_name()) + ")");
  }
}

// Like GetField but returns `fallback` when the key is absent.
template <typename T>
Result<T> GetFieldOr(const Json& j, std::string_view key, std::string_view context, T fallback) {
  if (j.is_object() && !j.contains(std::string(key))) return fallback;
  return GetField<T>(j, key, context);
}

// Serialises `j` with 2-space indentation and a trailing newline.
std::string DumpPretty(const Json& j);

}  // namespace mlpipe::core
