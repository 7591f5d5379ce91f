#include "mlpipe/core/sha256.h"

#include <gtest/gtest.h>

namespace mlpipe::core {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, MillionAs) {
  Sha256 h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(chunk);
  EXPECT_EQ(h.FinishHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, FileStreamingMatchesBuffer) {
  auto env = NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("/d").ok());
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>('a' + i % 26);
  ASSERT_TRUE(env->WriteFileAtomic("/d/f", data).ok());
  uint64_t bytes = 0;
  auto r = Sha256File(env.get(), "/d/f", &bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Sha256Hex(data));
  EXPECT_EQ(bytes, data.size());
  EXPECT_EQ(Sha256File(env.get(), "/d/none").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mlpipe::core
