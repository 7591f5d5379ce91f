#include "mlpipe/core/message.h"

#include <gtest/gtest.h>

#include <string>

namespace mlpipe::core {
namespace {

TEST(ClipForMessage, ShortValuesAreQuotedWhole) {
  EXPECT_EQ(ClipForMessage("abc"), "abc");
  EXPECT_EQ(ClipForMessage(std::string(80, 'x')), std::string(80, 'x'));
  EXPECT_EQ(ClipForMessage(""), "");
}

TEST(ClipForMessage, LongValuesKeepTheirStartAndSize) {
  std::string big(1 << 20, 'v');
  std::string clipped = ClipForMessage(big);
  EXPECT_EQ(clipped, std::string(80, 'v') + "\xE2\x80\xA6 (1048576 bytes)");
  EXPECT_EQ(ClipForMessage("abcdef", 3), "abc\xE2\x80\xA6 (6 bytes)");
}

TEST(ClipForMessage, NeverCutsInsideAUtf8Character) {
  // "é" is 2 bytes: a cut after 3 bytes would split the second one.
  std::string value = "\xC3\xA9\xC3\xA9\xC3\xA9";
  EXPECT_EQ(ClipForMessage(value, 3), "\xC3\xA9\xE2\x80\xA6 (6 bytes)");
  // A 4-byte character at the start and a cut inside it: nothing of it stays.
  EXPECT_EQ(ClipForMessage("\xF0\x9F\x98\x80zz", 2), "\xE2\x80\xA6 (6 bytes)");
}

}  // namespace
}  // namespace mlpipe::core
