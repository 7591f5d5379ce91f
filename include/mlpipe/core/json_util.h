// JSON helpers over nlohmann::json with errors that name the source and key.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mlpipe/core/status.h"

namespace mlpipe::core {

using Json = nlohmann::json;

// The deepest nesting of arrays and objects accepted from JSON text: deeper
// values would overflow the stack of nlohmann's recursive dump and compare.
inline constexpr size_t kMaxJsonDepth = 256;

// Offset of the '[' or '{' at which the arrays and objects of `text` nest
// deeper than `max_depth`, or npos. A linear scan of the bytes (strings
// skipped); it does not check that `text` is JSON.
size_t FindJsonTooDeep(std::string_view text, size_t max_depth = kMaxJsonDepth);

// InvalidArgument "SOURCE:LINE:COL: JSON nested deeper than N levels" when
// FindJsonTooDeep finds a position.
Status CheckJsonDepth(std::string_view text, std::string_view source,
                      size_t max_depth = kMaxJsonDepth);

// Parses `text` (nested at most kMaxJsonDepth deep); every failure, a syntax
// error or a number out of range, is InvalidArgument reading
// "SOURCE:LINE:COL: message" (or "SOURCE: message" where nlohmann gives no
// position).
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
