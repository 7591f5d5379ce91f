#include "mlpipe/store/api_token.h"

#include <cstdlib>
#include <string_view>

namespace mlpipe::store {

std::string ApiTokenFromEnvironment() {
  const char* value = std::getenv(kApiTokenVariable);
  if (value == nullptr) return "";
  std::string_view s(value);
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(kSpace);
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace mlpipe::store
