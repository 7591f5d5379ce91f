// Parsing of single text values into typed values, shared by the CSV, ARFF
// and JSON Lines readers (internal to the table module).
//
// Rules (the contract documented in csv.h):
//   bool     exactly true/false, TRUE/FALSE, True/False
//   int64    [+-]digits that fit in int64
//   float64  what std::from_chars accepts (decimal, exponent, inf, infinity,
//            nan), with an optional leading '+'; out-of-range magnitudes become
//            +-inf or 0 as strtod gives them
// Leading and trailing spaces and tabs are ignored for these three types.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/table/column.h"

namespace mlpipe::table::internal {

// `s` without leading and trailing spaces and tabs.
inline std::string_view TrimSpaces(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

bool ParseBool(std::string_view s, uint8_t* out);
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseFloat64(std::string_view s, double* out);
// ParseFloat64 of a value inside a larger buffer: the same result, but the 16
// bytes from s.data() must be readable (they may run past the value). A plain
// decimal ([-]digits[.digits], at most 8 digits on each side) is then read a
// word at a time rather than a digit at a time, without a branch per digit.
bool ParseFloat64InBuffer(std::string_view s, double* out);

// The set of missing tokens, matched against trimmed unquoted text.
class MissingTokens {
 public:
  explicit MissingTokens(const std::vector<std::string>& tokens);
  bool Matches(std::string_view raw) const {
    if (raw.empty()) return has_empty_;
    // Fast rejection: most values cannot start a token.
    unsigned char f = static_cast<unsigned char>(raw.front());
    if (!first_[f] && raw.back() != ' ' && raw.back() != '\t') return false;
    std::string_view t = TrimSpaces(raw);
    if (t.size() > max_len_) return false;
    for (const auto& tok : tokens_)
      if (tok == t) return true;
    return false;
  }

 private:
  std::vector<std::string> tokens_;
  size_t max_len_ = 0;
  bool has_empty_ = false;
  std::array<bool, 256> first_{};  // first bytes of tokens, and space and tab
};

// True when a text column with `distinct` distinct values among `present`
// present ones is categorical.
inline bool IsCategorical(size_t distinct, size_t present, size_t max_categories) {
  return distinct <= max_categories && distinct * 2 <= present;
}

// Builds a column of type `type` from text values (`valid`[i] == 0: missing).
// kString as `type` with `infer_text` true picks categorical or string by
// IsCategorical. On a value that does not parse, returns false and sets
// `*bad_row`; `out` is then unspecified.
bool BuildColumnFromText(const std::string& name, const std::vector<std::string>& values,
                         const std::vector<uint8_t>& valid, DataType type, bool infer_text,
                         size_t max_categories, Column* out, size_t* bad_row);

}  // namespace mlpipe::table::internal
