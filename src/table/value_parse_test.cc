#include "value_parse.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"

namespace mlpipe::table::internal {
namespace {

TEST(ValueParseTest, Bool) {
  uint8_t b = 2;
  for (const char* t : {"true", "TRUE", "True", " true "}) {
    EXPECT_TRUE(ParseBool(t, &b)) << t;
    EXPECT_EQ(b, 1);
  }
  for (const char* f : {"false", "FALSE", "False"}) EXPECT_TRUE(ParseBool(f, &b)) << f;
  for (const char* n : {"tRue", "yes", "1", "", "truee"}) EXPECT_FALSE(ParseBool(n, &b)) << n;
}

TEST(ValueParseTest, Int64) {
  int64_t v = 0;
  EXPECT_TRUE(ParseInt64("+42", &v));
  EXPECT_EQ(v, 42);
  EXPECT_TRUE(ParseInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, INT64_MIN);
  EXPECT_TRUE(ParseInt64(" 007 ", &v));
  EXPECT_EQ(v, 7);
  for (const char* n : {"9223372036854775808", "1.0", "1e3", "", "+", "++1", "+-1", "0x10", "1 2"})
    EXPECT_FALSE(ParseInt64(n, &v)) << n;
}

TEST(ValueParseTest, Float64Special) {
  double v = 0;
  EXPECT_TRUE(ParseFloat64("1e400", &v));
  EXPECT_EQ(v, INFINITY);
  EXPECT_TRUE(ParseFloat64("-1e400", &v));
  EXPECT_EQ(v, -INFINITY);
  EXPECT_TRUE(ParseFloat64("1e-400", &v));
  EXPECT_EQ(v, 0.0);
  EXPECT_TRUE(ParseFloat64("+Infinity", &v));
  EXPECT_EQ(v, INFINITY);
  EXPECT_TRUE(ParseFloat64("NaN", &v));
  EXPECT_TRUE(std::isnan(v));
  EXPECT_TRUE(ParseFloat64("1.", &v));
  EXPECT_EQ(v, 1.0);
  for (const char* n : {"", ".", "e5", "1e", "1.2.3", "0x1p3", "1,5", "--1", "abc"})
    EXPECT_FALSE(ParseFloat64(n, &v)) << n;
}

// The fast path must give exactly what std::from_chars gives.
TEST(ValueParseTest, Float64AgreesWithFromChars) {
  core::Rng rng(3);
  char buf[64];
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    switch (rng.Below(4)) {
      case 0: {  // shortest round trip of random bits
        uint64_t bits = rng.Next();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (!std::isfinite(d)) continue;
        s.assign(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
        break;
      }
      case 1:  // short decimals, as data files hold them
      {
        // e.g. "-12.5", "3.", ".25": a point at a random place among the digits.
        unsigned long long v = rng.Below(1000000);
        int frac = static_cast<int>(rng.Below(7));
        unsigned long long scale = 1;
        for (int k = 0; k < frac; ++k) scale *= 10;
        int len = snprintf(buf, sizeof buf, "%s%llu.%0*llu", rng.Below(2) ? "-" : "", v / scale,
                           frac, v % scale);
        s.assign(buf, static_cast<size_t>(len));
        if (frac > 0 && v / scale == 0 && rng.Below(2)) s.erase(s.find('0'), 1);
        break;
      }
      case 2: {
        int len = snprintf(buf, sizeof buf, "%.*g", static_cast<int>(1 + rng.Below(17)),
                           rng.Normal() * std::pow(10.0, static_cast<double>(rng.Below(40)) - 20));
        s.assign(buf, len);
        break;
      }
      default:
        s = std::to_string(rng.Below(10000000000000000000ULL)) + "e" +
            std::to_string(static_cast<int>(rng.Below(60)) - 30);
    }
    double want = 0, got = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), want);
    ASSERT_EQ(r.ec, std::errc()) << s;
    ASSERT_TRUE(ParseFloat64(s, &got)) << s;
    ASSERT_EQ(std::memcmp(&want, &got, sizeof want), 0) << s;
    const std::string padded = s + std::string(16, '7');  // readable bytes past the value
    got = 0;
    ASSERT_TRUE(ParseFloat64InBuffer(std::string_view(padded).substr(0, s.size()), &got)) << s;
    ASSERT_EQ(std::memcmp(&want, &got, sizeof want), 0) << s;
  }
}

// Reading past the value changes nothing: the same verdict and value on
// strings of number characters (and a few others).
TEST(ValueParseTest, Float64InBufferAgreesWithFloat64) {
  core::Rng rng(5);
  const std::string_view chars = "0123456789.-+eE \xC3";
  for (int i = 0; i < 300000; ++i) {
    std::string s;
    for (uint64_t k = rng.Below(19); k > 0; --k) {
      s += rng.Below(3) != 0 ? static_cast<char>('0' + rng.Below(10))
                             : chars[rng.Below(chars.size())];
    }
    const std::string padded = s + std::string(16, static_cast<char>(rng.Below(256)));
    double want = 0, got = 0;
    const bool ok = ParseFloat64(s, &want);
    ASSERT_EQ(ParseFloat64InBuffer(std::string_view(padded).substr(0, s.size()), &got), ok) << s;
    if (ok) {
      ASSERT_EQ(std::memcmp(&want, &got, sizeof want), 0) << s;
    }
  }
}

TEST(ValueParseTest, MissingTokens) {
  MissingTokens m({"", "NA", " ? "});
  EXPECT_TRUE(m.Matches(""));
  EXPECT_TRUE(m.Matches("  "));
  EXPECT_TRUE(m.Matches(" NA\t"));
  EXPECT_TRUE(m.Matches("?"));
  EXPECT_FALSE(m.Matches("NAN"));
  EXPECT_FALSE(m.Matches("x"));
  MissingTokens none({});
  EXPECT_FALSE(none.Matches(""));
}

}  // namespace
}  // namespace mlpipe::table::internal
