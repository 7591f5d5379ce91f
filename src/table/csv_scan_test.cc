#include "csv_scan.h"

#include <cstring>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "mlpipe/table/csv.h"

namespace mlpipe::table {
namespace {

// Valid single-column CSV of exactly `n` bytes whose last character is
// `last` (ASCII or a multi-byte UTF-8 sequence), ending at the buffer's end.
// REQUIRES: n > last.size().
std::string CsvOfSize(size_t n, std::string_view last) {
  std::string s = "a";
  while (s.size() + last.size() < n) s += s.size() % 11 == 10 ? '\n' : 'x';
  s += last;
  return s;
}

// A heap buffer of exactly the text's size (no terminator after it), so that
// AddressSanitizer reports any read past the end.
struct ExactBuffer {
  explicit ExactBuffer(std::string_view text)
      : size(text.size()), data(std::make_unique<char[]>(text.size())) {
    std::memcpy(data.get(), text.data(), text.size());
  }
  std::string_view view() const { return {data.get(), size}; }
  size_t size;
  std::unique_ptr<char[]> data;
};

std::vector<size_t> BoundarySizes() {
  std::vector<size_t> sizes;
  for (size_t n = 1; n <= 300; ++n) sizes.push_back(n);
  for (size_t n = 4064; n <= 4128; ++n) sizes.push_back(n);
  return sizes;
}

// Regression: the 32-byte ASCII loop could end exactly at `end` and the byte
// after the range was then read as the next character. A byte that is not a
// UTF-8 lead (0x80) placed right after the range made valid text "invalid at
// offset end"; past a mapped file it was a read out of bounds.
TEST(FindInvalidUtf8Test, NeverReadsPastTheEnd) {
  for (std::string_view last : {"z", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    for (size_t n : BoundarySizes()) {
      if (n < last.size() + 1) continue;
      std::string text = CsvOfSize(n, last);
      ASSERT_EQ(text.size(), n);
      std::string guarded = text + "\x80";
      std::string_view view(guarded.data(), n);
      EXPECT_EQ(internal::FindInvalidUtf8(view, 0, n), std::string_view::npos)
          << "size " << n << " last " << last.size() << " bytes";
      ExactBuffer exact(text);
      EXPECT_EQ(internal::FindInvalidUtf8(exact.view(), 0, n), std::string_view::npos)
          << "size " << n;
    }
  }
}

TEST(FindInvalidUtf8Test, StopsAtTheEndOfARangeInsideTheText) {
  // A range [begin, end) whose length is a multiple of 32, followed by a
  // multi-byte character that starts at `end`.
  for (size_t n : {32, 64, 96, 4096}) {
    std::string text(n, 'a');
    text += "\xC3\xA9";
    EXPECT_EQ(internal::FindInvalidUtf8(text, 0, n), std::string_view::npos) << n;
    EXPECT_EQ(internal::FindInvalidUtf8(text, 0, n + 1), n) << n;  // cut inside é
  }
}

TEST(FindInvalidUtf8Test, FourMebibytesOfCommas) {
  ExactBuffer exact(std::string(size_t{4} << 20, ','));
  EXPECT_EQ(internal::FindInvalidUtf8(exact.view(), 0, exact.size), std::string_view::npos);
}

TEST(CsvReaderBoundaryTest, ValidFilesOfEverySizeNearBoundariesAreRead) {
  for (std::string_view last : {"z", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}) {
    for (size_t n : BoundarySizes()) {
      if (n < last.size() + 1) continue;
      ExactBuffer exact(CsvOfSize(n, last));
      Result<Table> t = ReadCsvString(exact.view(), "data.csv");
      EXPECT_TRUE(t.ok()) << "size " << n << ": " << t.status().message();
    }
  }
}

TEST(CsvReaderBoundaryTest, ChunksEndingBeforeAMultiByteCharacter) {
  // Rows of 32 bytes each starting with é: with tiny chunks every chunk ends
  // right before a multi-byte lead byte.
  std::string text = "name\n";
  std::string row = "\xC3\xA9";
  row += std::string(29, 'b');
  row += "\n";
  ASSERT_EQ(row.size(), 32u);
  for (int i = 0; i < 200; ++i) text += row;
  ExactBuffer exact(text);
  CsvReadOptions o;
  o.chunk_bytes = 64;
  o.threads = 2;
  Result<Table> t = ReadCsvString(exact.view(), "data.csv", o);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->num_rows(), 200u);
}

}  // namespace
}  // namespace mlpipe::table
