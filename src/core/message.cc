#include "mlpipe/core/message.h"

#include <fmt/format.h>

namespace mlpipe::core {

std::string ClipForMessage(std::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t cut = max_bytes;
  // Back up over continuation bytes (10xxxxxx) to the start of a character.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}\u2026 ({} bytes)", value.substr(0, cut), value.size());
}

}  // namespace mlpipe::core
