// PiiLeakScan: finds a planted value in a plain file, a SQLite database
// (written by the sqlite3 CLI) and a zstd frame; nothing in a clean folder.
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "mlpipe/governance/pii.h"

namespace mlpipe::governance {
namespace {

namespace fs = std::filesystem;

class PiiScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pii_scan_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "objects" / "ab");
    Write(dir_ / "objects" / "ab" / "clean.json",
          R"({"amount": 1169, "email": "7f7947f5fda89349"})");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void Write(const fs::path& p, const std::string& bytes) {
    std::ofstream f(p, std::ios::binary);
    f << bytes;
  }

  fs::path dir_;
};

const std::vector<std::string> kRaw = {"alice@example.com", "SW1A 1AA", ""};

TEST_F(PiiScanTest, CleanFolderHasNoLeaks) {
  auto leaks = PiiLeakScan(dir_.string(), kRaw);
  ASSERT_TRUE(leaks.ok()) << leaks.status().ToString();
  EXPECT_TRUE(leaks->empty());
}

TEST_F(PiiScanTest, FindsAPlainFile) {
  Write(dir_ / "objects" / "ab" / "leak.csv", "id,email\n1,alice@example.com\n");
  auto leaks = PiiLeakScan(dir_.string(), kRaw);
  ASSERT_TRUE(leaks.ok());
  ASSERT_EQ(leaks->size(), 1u);
  EXPECT_EQ((*leaks)[0].value, "alice@example.com");
  EXPECT_EQ((*leaks)[0].offset, 11u);
  EXPECT_FALSE((*leaks)[0].compressed);
  EXPECT_TRUE((*leaks)[0].path.ends_with("leak.csv"));
}

TEST_F(PiiScanTest, FindsASqliteDatabase) {
  const fs::path db = dir_ / "meta.db";
  const std::string cmd = "sqlite3 '" + db.string() +
                          "' \"CREATE TABLE params(k TEXT, v TEXT); INSERT INTO params "
                          "VALUES('postcode', 'SW1A 1AA');\"";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto leaks = PiiLeakScan(dir_.string(), kRaw);
  ASSERT_TRUE(leaks.ok());
  ASSERT_EQ(leaks->size(), 1u);
  EXPECT_EQ((*leaks)[0].value, "SW1A 1AA");
  EXPECT_TRUE((*leaks)[0].path.ends_with("meta.db"));
}

TEST_F(PiiScanTest, FindsAValueInsideAZstdFrame) {
  // Enough varied text that zstd Huffman-codes the literals: the value is
  // then not visible in the compressed bytes.
  std::string plain = "header;";
  uint32_t x = 12345;
  for (int i = 0; i < 4000; ++i) {
    x = x * 1103515245u + 12345u;
    plain.push_back(static_cast<char>('a' + (x >> 16) % 8));
  }
  plain.append("alice@example.com;tail");
  std::string frame(ZSTD_compressBound(plain.size()), '\0');
  const size_t n = ZSTD_compress(frame.data(), frame.size(), plain.data(), plain.size(), 19);
  ASSERT_FALSE(ZSTD_isError(n));
  frame.resize(n);
  ASSERT_EQ(frame.find("alice@example.com"), std::string::npos);  // not visible compressed
  Write(dir_ / "model.bundle", "MLPIPEBUNDLE\x01 part0:" + frame + "trailer");
  auto leaks = PiiLeakScan(dir_.string(), kRaw);
  ASSERT_TRUE(leaks.ok());
  ASSERT_EQ(leaks->size(), 1u);
  EXPECT_TRUE((*leaks)[0].compressed);
  EXPECT_EQ((*leaks)[0].frame_offset, 20u);
  EXPECT_EQ((*leaks)[0].offset, plain.find("alice"));
}

TEST_F(PiiScanTest, MissingFolder) {
  EXPECT_EQ(PiiLeakScan((dir_ / "nope").string(), kRaw).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::governance
