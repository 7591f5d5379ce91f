#include "value_parse.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

namespace mlpipe::table::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Clinger's fast path: a decimal with at most 19 digits whose mantissa fits in
// 53 bits and whose power of ten is exact (|e| <= 22) is m * 10^e or m / 10^-e
// with a single rounding, hence correctly rounded — the same double as
// from_chars gives. Returns false when the fast path does not apply.
bool FastParseFloat64(std::string_view s, double* out) {
  const char* p = s.data();
  const char* const e = p + s.size();
  bool neg = false;
  if (p < e && *p == '-') neg = true, ++p;
  uint64_t m = 0;
  // One unsigned compare per character tells a digit (c - '0' wraps above 9
  // for every other byte).
  auto digit = [](char c) { return static_cast<unsigned>(static_cast<unsigned char>(c) - '0'); };
  const char* digits_begin = p;
  for (unsigned d; p < e && (d = digit(*p)) <= 9; ++p) m = m * 10 + d;
  size_t nint = static_cast<size_t>(p - digits_begin);
  size_t nfrac = 0;
  if (p < e && *p == '.') {
    const char* f = ++p;
    for (unsigned d; p < e && (d = digit(*p)) <= 9; ++p) m = m * 10 + d;
    nfrac = static_cast<size_t>(p - f);
  }
  if (nint + nfrac == 0 || nint + nfrac > 19) return false;
  int exp10 = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < e && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    const char* eb = p;
    while (p < e && IsDigit(*p) && p - eb < 4) exp10 = exp10 * 10 + (*p++ - '0');
    if (p == eb) return false;
    if (eneg) exp10 = -exp10;
  }
  if (p != e || m > (uint64_t{1} << 53)) return false;
  exp10 -= static_cast<int>(nfrac);
  if (exp10 < -22 || exp10 > 22) return false;
  double v = static_cast<double>(m);
  v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
  *out = neg ? -v : v;
  return true;
}

// Eight bytes loaded as one word: the first byte is the lowest.
static_assert(std::endian::native == std::endian::little);
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;
constexpr uint64_t kZeroDigits = 0x3030303030303030ULL;  // "00000000"

// The index of the first byte of `w` equal to `c`; 8 if there is none.
size_t FindByte(uint64_t w, char c) {
  const uint64_t x = w ^ (kOnes * static_cast<unsigned char>(c));  // zero where equal
  const uint64_t zero = (x - kOnes) & ~x & kHighBits;  // exact up to the first zero byte
  return zero == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(zero)) / 8;
}

// The value of the `k` <= 8 ASCII digits in the low bytes of `w` (the first
// digit lowest), or false when one is not a digit. SWAR: padded with leading
// '0's to eight digits, then combined pairwise in three multiplications.
bool DigitsValue(uint64_t w, size_t k, uint64_t* value) {
  uint64_t x = kZeroDigits;
  if (k == 8) {
    x = w;
  } else if (k > 0) {
    x = (w << (8 * (8 - k))) | (kZeroDigits >> (8 * k));
  }
  if ((((x + 0x4646464646464646ULL) | (x - kZeroDigits)) & kHighBits) != 0) return false;
  x -= kZeroDigits;
  x = x * 10 + (x >> 8);  // each byte pair: 10 * first + second
  x = ((x & 0x000000FF000000FFULL) * 0x000F424000000064ULL +
       ((x >> 16) & 0x000000FF000000FFULL) * 0x0000271000000001ULL) >>
      32;
  *value = x;
  return true;
}

// What FastParseFloat64 gives for [-]digits[.digits] with at most 8 digits on
// each side, reading the 16 bytes from s.data(); false for anything else.
bool ParsePlainDecimal(std::string_view s, double* out) {
  uint64_t lo, hi;
  std::memcpy(&lo, s.data(), 8);
  std::memcpy(&hi, s.data() + 8, 8);
  size_t len = s.size();
  const bool neg = len > 0 && s[0] == '-';
  if (neg) {  // drop the sign byte
    lo = (lo >> 8) | (hi << 56);
    hi >>= 8;
    --len;
  }
  if (len == 0 || len > 15) return false;
  size_t dot = FindByte(lo, '.');
  if (dot >= len) {
    dot = len;  // no point: an integer
  } else if (dot == 8 && static_cast<char>(hi) != '.') {
    return false;  // more than 8 integer digits
  }
  const size_t nfrac = dot < len ? len - dot - 1 : 0;
  if (nfrac > 8 || dot + nfrac == 0) return false;
  // The fraction's digits: the bytes after the point, shifted down.
  const unsigned __int128 both = lo | static_cast<unsigned __int128>(hi) << 64;
  const auto frac_word = static_cast<uint64_t>(both >> (8 * (dot + 1)));
  uint64_t int_part, frac_part;
  if (!DigitsValue(lo, dot, &int_part) || !DigitsValue(frac_word, nfrac, &frac_part)) return false;
  const uint64_t m = int_part * static_cast<uint64_t>(kPow10[nfrac]) + frac_part;
  if (m > (uint64_t{1} << 53)) return false;
  const double v = static_cast<double>(m) / kPow10[nfrac];  // as FastParseFloat64
  *out = neg ? -v : v;
  return true;
}

}  // namespace

bool ParseBool(std::string_view s, uint8_t* out) {
  s = TrimSpaces(s);
  if (s == "true" || s == "TRUE" || s == "True") {
    *out = 1;
    return true;
  }
  if (s == "false" || s == "FALSE" || s == "False") {
    *out = 0;
    return true;
  }
  return false;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  s = TrimSpaces(s);
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') return false;
  }
  if (s.empty() || s[0] == '+') return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseFloat64(std::string_view s, double* out) {
  s = TrimSpaces(s);
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') return false;
  }
  if (s.empty() || s[0] == '+') return false;
  if (FastParseFloat64(s, out)) return true;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (r.ptr != s.data() + s.size()) return false;
  if (r.ec == std::errc()) return true;
  if (r.ec != std::errc::result_out_of_range) return false;
  // Overflow or underflow: take strtod's +-HUGE_VAL or denormal/zero.
  std::string copy(s);
  *out = std::strtod(copy.c_str(), nullptr);
  return true;
}

bool ParseFloat64InBuffer(std::string_view s, double* out) {
  return ParsePlainDecimal(s, out) || ParseFloat64(s, out);
}

MissingTokens::MissingTokens(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens) {
    tokens_.emplace_back(TrimSpaces(t));
    max_len_ = std::max(max_len_, tokens_.back().size());
    if (tokens_.back().empty())
      has_empty_ = true;
    else
      first_[static_cast<unsigned char>(tokens_.back()[0])] = true;
  }
  first_[' '] = first_['\t'] = true;
}

bool BuildColumnFromText(const std::string& name, const std::vector<std::string>& values,
                         const std::vector<uint8_t>& valid, DataType type, bool infer_text,
                         size_t max_categories, Column* out, size_t* bad_row) {
  size_t n = values.size();
  switch (type) {
    case DataType::kBool: {
      std::vector<uint8_t> v(n, 0);
      for (size_t i = 0; i < n; ++i)
        if (valid[i] && !ParseBool(values[i], &v[i])) return *bad_row = i, false;
      *out = Column::Bool(name, std::move(v), valid);
      return true;
    }
    case DataType::kInt64: {
      std::vector<int64_t> v(n, 0);
      for (size_t i = 0; i < n; ++i)
        if (valid[i] && !ParseInt64(values[i], &v[i])) return *bad_row = i, false;
      *out = Column::Int64(name, std::move(v), valid);
      return true;
    }
    case DataType::kFloat64: {
      std::vector<double> v(n, 0.0);
      for (size_t i = 0; i < n; ++i)
        if (valid[i] && !ParseFloat64(values[i], &v[i])) return *bad_row = i, false;
      std::vector<uint8_t> present = valid;  // NaN is missing, never a value
      for (size_t i = 0; i < n; ++i) {
        if (present[i] && std::isnan(v[i])) present[i] = 0;
      }
      *out = Column::Float64(name, std::move(v), std::move(present));
      return true;
    }
    case DataType::kCategorical:
    case DataType::kString:
      break;
  }
  std::vector<std::string> texts(n);
  size_t present = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!valid[i]) continue;
    texts[i] = values[i];
    ++present;
  }
  bool categorical = type == DataType::kCategorical;
  if (type == DataType::kString && infer_text) {
    std::unordered_map<std::string_view, int> seen;
    for (size_t i = 0; i < n && seen.size() <= max_categories; ++i)
      if (valid[i]) seen.emplace(values[i], 0);
    categorical = IsCategorical(seen.size(), present, max_categories);
  }
  *out = categorical ? Column::CategoricalFromStrings(name, texts, valid)
                     : Column::String(name, std::move(texts), valid);
  return true;
}

}  // namespace mlpipe::table::internal
