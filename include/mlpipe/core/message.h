// Values from users quoted in error messages: a message names the value at
// fault, but a 1 MB field must not become a 1 MB error line (or HTTP reply).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mlpipe::core {

// At most this many bytes of a value are quoted in a message.
inline constexpr size_t kMaxQuotedBytes = 80;

// `value` itself when it is at most `max_bytes` long; else its first bytes
// (cut at a UTF-8 character boundary, never inside a character) followed by
// "… (N bytes)", N the whole value's size.
std::string ClipForMessage(std::string_view value, size_t max_bytes = kMaxQuotedBytes);

}  // namespace mlpipe::core
