// ObjectStore tests: round trips, hashes checked against sha256sum, corruption
// and truncation detected, garbage collection, concurrent puts.
#include "mlpipe/store/object_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mlpipe/core/sha256.h"

namespace mlpipe::store {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/mlpipe_object_store_test_XXXXXX";
    char* d = mkdtemp(tmpl);
    path_ = d ? d : "";
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::string cmd = "rm -rf '" + path_ + "'";
      (void)std::system(cmd.c_str());
    }
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs a shell command and returns its standard output.
std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

// The digest printed by coreutils' sha256sum: independent of our OpenSSL use.
std::string Sha256Sum(const std::string& path) {
  std::string out = Shell("sha256sum '" + path + "'");
  return out.substr(0, 64);
}

// Bytes that differ from piece to piece, so a misplaced chunk changes the hash.
std::string PatternBytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

core::Env* Posix() { return core::Env::Default(); }

TEST(ObjectStoreTest, IsSha256Hex) {
  EXPECT_TRUE(IsSha256Hex(std::string(64, 'a')));
  EXPECT_TRUE(IsSha256Hex(core::Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(65, 'a')));
  EXPECT_FALSE(IsSha256Hex(std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Hex(std::string(63, 'a') + "g"));
  EXPECT_FALSE(IsSha256Hex(""));
}

TEST(ObjectStoreTest, PutBytesRoundTripAndLayout) {
  TempDir dir;
  std::string root = core::JoinPath(dir.path(), "objects");
  ObjectStore store(Posix(), root);
  Result<PutResult> put = store.PutBytes("hello\n");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  // `printf 'hello\n' | sha256sum`
  EXPECT_EQ(put->hash, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_EQ(put->size, 6u);
  EXPECT_FALSE(put->existed);
  EXPECT_EQ(store.PathOf(put->hash),
            root + "/58/91b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_TRUE(Posix()->FileExists(store.PathOf(put->hash)));
  EXPECT_TRUE(store.Contains(put->hash));
  EXPECT_EQ(*store.Get(put->hash), "hello\n");
  EXPECT_EQ(*store.Size(put->hash), 6u);
  EXPECT_TRUE(store.Verify(put->hash).ok());
  EXPECT_EQ(Sha256Sum(store.PathOf(put->hash)), put->hash);

  Result<PutResult> again = store.PutBytes("hello\n");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->hash, put->hash);
  EXPECT_EQ(*store.List(), std::vector<std::string>{put->hash});
  // Only the object folder: no temporary files left behind.
  EXPECT_EQ(*Posix()->ListDir(root), std::vector<std::string>{"58"});
}

TEST(ObjectStoreTest, EmptyContent) {
  auto env = core::NewMemEnv();
  ObjectStore store(env.get(), "/p/objects");
  Result<PutResult> put = store.PutBytes("");
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*store.Get(put->hash), "");
}

TEST(ObjectStoreTest, PutFileMatchesSha256sumOnRealData) {
  TempDir dir;
  ObjectStore store(Posix(), core::JoinPath(dir.path(), "objects"));
  std::string csv = std::string(MLPIPE_SOURCE_DIR) + "/examples/data/credit_data.csv";
  ASSERT_TRUE(Posix()->FileExists(csv)) << csv;
  Result<PutResult> put = store.PutFile(csv);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->hash, Sha256Sum(csv));
  EXPECT_EQ(put->size, *Posix()->FileSize(csv));
  EXPECT_FALSE(put->existed);
  // Stored bytes are the file's bytes.
  EXPECT_EQ(*store.Get(put->hash), *Posix()->ReadFile(csv));
  // Putting the same content as bytes finds it.
  Result<PutResult> as_bytes = store.PutBytes(*Posix()->ReadFile(csv));
  ASSERT_TRUE(as_bytes.ok());
  EXPECT_TRUE(as_bytes->existed);
  Result<PutResult> again = store.PutFile(csv);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(store.List()->size(), 1u);
  EXPECT_EQ(Posix()
                ->ListDir(store.PathOf(put->hash).substr(0, store.PathOf(put->hash).rfind('/')))
                ->size(),
            1u);  // the temp file was removed
}

// Large enough to take the pipelined path (hashing on a second thread), with
// a size that is not a multiple of the chunk size.
TEST(ObjectStoreTest, PutFileLargeMatchesSha256sum) {
  TempDir dir;
  std::string src = core::JoinPath(dir.path(), "big.bin");
  std::string data = PatternBytes((37u << 20) + 12345, 7);
  ASSERT_TRUE(Posix()->WriteFileAtomic(src, data).ok());
  ObjectStore store(Posix(), core::JoinPath(dir.path(), "objects"));
  Result<PutResult> put = store.PutFile(src);
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->hash, Sha256Sum(src));
  EXPECT_EQ(put->size, data.size());
  EXPECT_EQ(Sha256Sum(store.PathOf(put->hash)), put->hash);
  std::string out = core::JoinPath(dir.path(), "restored.bin");
  ASSERT_TRUE(store.CopyTo(put->hash, out).ok());
  EXPECT_EQ(Shell("cmp '" + src + "' '" + out + "' && echo same"), "same\n");
  // CopyTo leaves no temporary file beside the destination.
  EXPECT_EQ(*Posix()->ListDir(dir.path()),
            (std::vector<std::string>{"big.bin", "objects", "restored.bin"}));
}

TEST(ObjectStoreTest, PutFileMissingSource) {
  auto env = core::NewMemEnv();
  ObjectStore store(env.get(), "/p/objects");
  Result<PutResult> put = store.PutFile("/p/nope.csv");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kNotFound);
  EXPECT_NE(put.status().message().find("nope.csv"), std::string::npos);
}

TEST(ObjectStoreTest, MemEnvRoundTrip) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("/p").ok());
  std::string data = PatternBytes(20 << 20, 3);  // pipelined path on the in-memory Env
  ASSERT_TRUE(env->WriteFileAtomic("/p/in.bin", data).ok());
  ObjectStore store(env.get(), "/p/objects");
  Result<PutResult> put = store.PutFile("/p/in.bin");
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->hash, core::Sha256Hex(data));
  ASSERT_TRUE(store.CopyTo(put->hash, "/p/out.bin").ok());
  EXPECT_EQ(*env->ReadFile("/p/out.bin"), data);
  EXPECT_EQ(*env->ListDir("/p/objects"), std::vector<std::string>{put->hash.substr(0, 2)});
}

TEST(ObjectStoreTest, FailedWriteLeavesNothing) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->CreateDirs("/p/objects").ok());
  ASSERT_TRUE(env->WriteFileAtomic("/p/in.bin", "data").ok());
  ObjectStore store(env.get(), "/p/objects");
  env->SetWritesFail(true);
  Result<PutResult> put = store.PutFile("/p/in.bin");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kIoError);
  env->SetWritesFail(false);
  EXPECT_TRUE(env->ListDir("/p/objects")->empty());
  EXPECT_FALSE(store.PutBytes("data")->existed);
}

TEST(ObjectStoreTest, MissingAndInvalidHashes) {
  auto env = core::NewMemEnv();
  ObjectStore store(env.get(), "/p/objects");
  std::string absent = core::Sha256Hex("absent");
  EXPECT_FALSE(store.Contains(absent));
  EXPECT_EQ(store.Get(absent).status().code(), StatusCode::kNotFound);
  EXPECT_NE(store.Get(absent).status().message().find(absent), std::string::npos);
  EXPECT_EQ(store.Verify(absent).code(), StatusCode::kNotFound);
  EXPECT_EQ(store.Size(absent).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.CopyTo(absent, "/p/x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store.Get("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Verify("ABC").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(store.Contains("../x"));
  EXPECT_TRUE(store.List()->empty());  // no root yet
}

TEST(ObjectStoreTest, CorruptionIsDetected) {
  TempDir dir;
  ObjectStore store(Posix(), core::JoinPath(dir.path(), "objects"));
  std::string data = PatternBytes(100000, 1);
  PutResult put = *store.PutBytes(data);
  std::string path = store.PathOf(put.hash);
  // Flip one byte in the middle, keeping the size.
  std::string bad = data;
  bad[50000] ^= 0x01;
  ASSERT_TRUE(Posix()->WriteFileAtomic(path, bad).ok());
  for (const Status& s : {store.Get(put.hash).status(), store.Verify(put.hash),
                          store.CopyTo(put.hash, core::JoinPath(dir.path(), "out"))}) {
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
    EXPECT_NE(s.message().find(put.hash), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  }
  // A failed CopyTo creates neither the destination nor a temporary file.
  EXPECT_EQ(*Posix()->ListDir(dir.path()), std::vector<std::string>{"objects"});
  // A put of the right content repairs nothing here (same size: not rewritten),
  // but the corruption is still reported rather than hidden.
  EXPECT_EQ(store.Verify(put.hash).code(), StatusCode::kDataLoss);
}

TEST(ObjectStoreTest, TruncationIsDetectedAndRepairedByPut) {
  TempDir dir;
  ObjectStore store(Posix(), core::JoinPath(dir.path(), "objects"));
  std::string data = PatternBytes(300000, 2);
  PutResult put = *store.PutBytes(data);
  std::string path = store.PathOf(put.hash);
  ASSERT_EQ(::truncate(path.c_str(), 1000), 0);
  EXPECT_EQ(store.Get(put.hash).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store.Verify(put.hash).code(), StatusCode::kDataLoss);
  // A truncated object has the wrong size, so a new put rewrites it.
  Result<PutResult> again = store.PutBytes(data);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->existed);
  EXPECT_TRUE(store.Verify(put.hash).ok());
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  std::string src = core::JoinPath(dir.path(), "src.bin");
  ASSERT_TRUE(Posix()->WriteFileAtomic(src, data).ok());
  EXPECT_EQ(store.Verify(put.hash).code(), StatusCode::kDataLoss);
  ASSERT_TRUE(store.PutFile(src).ok());
  EXPECT_TRUE(store.Verify(put.hash).ok());
}

TEST(ObjectStoreTest, ConcurrentPutsOfSameContent) {
  TempDir dir;
  std::string root = core::JoinPath(dir.path(), "objects");
  std::string src = core::JoinPath(dir.path(), "src.bin");
  std::string data = PatternBytes(3 << 20, 9);
  ASSERT_TRUE(Posix()->WriteFileAtomic(src, data).ok());
  const std::string expected = core::Sha256Hex(data);
  constexpr int kThreads = 8;
  std::vector<Status> statuses(kThreads);
  std::vector<std::string> hashes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ObjectStore store(Posix(), root);  // one store per thread, as separate processes would
      for (int i = 0; i < 5; ++i) {
        Result<PutResult> r = (t + i) % 2 ? store.PutFile(src) : store.PutBytes(data);
        if (!r.ok()) {
          statuses[t] = r.status();
          return;
        }
        hashes[t] = r->hash;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(statuses[t].ok()) << statuses[t].ToString();
    EXPECT_EQ(hashes[t], expected);
  }
  ObjectStore store(Posix(), root);
  EXPECT_EQ(*store.List(), std::vector<std::string>{expected});
  EXPECT_TRUE(store.Verify(expected).ok());
  // No temporary file left anywhere.
  EXPECT_EQ(*Posix()->ListDir(root), std::vector<std::string>{expected.substr(0, 2)});
  EXPECT_EQ(Posix()->ListDir(core::JoinPath(root, expected.substr(0, 2)))->size(), 1u);
}

TEST(ObjectStoreTest, GcRemovesUnreferencedOldObjectsAndStaleTemps) {
  auto env = core::NewMemEnv();
  ObjectStore store(env.get(), "/p/objects");
  const int64_t kHour = 3600LL * 1000000;
  PutResult keep = *store.PutBytes("keep me");
  PutResult drop = *store.PutBytes("drop me!");  // 8 bytes
  // Leftovers of a writer killed mid-put: one in the root, one in a folder.
  std::string dir = core::DirName(store.PathOf(keep.hash));
  ASSERT_TRUE(env->WriteFileAtomic("/p/objects/put.tmp.1.2.3", "12345").ok());
  ASSERT_TRUE(env->WriteFileAtomic(dir + "/.x.tmp.9", "123").ok());
  // A file that is neither an object nor a temp is left alone.
  ASSERT_TRUE(env->WriteFileAtomic("/p/objects/README", "r").ok());
  env->AdvanceClock(2 * kHour);
  PutResult young = *store.PutBytes("just written, not yet referenced");

  Result<GcResult> dry = store.Gc({keep.hash}, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_EQ(dry->objects_removed, 1u);
  EXPECT_EQ(dry->objects_kept, 2u);  // referenced + young
  EXPECT_EQ(dry->bytes_freed, 8u + 5u + 3u);
  EXPECT_EQ(dry->removed.size(), 3u);
  EXPECT_NE(std::find(dry->removed.begin(), dry->removed.end(), drop.hash), dry->removed.end());
  // Dry run removed nothing.
  EXPECT_TRUE(store.Contains(drop.hash));
  EXPECT_TRUE(env->FileExists("/p/objects/put.tmp.1.2.3"));
  EXPECT_TRUE(env->FileExists(dir + "/.x.tmp.9"));

  Result<GcResult> real = store.Gc({keep.hash}, /*dry_run=*/false);
  ASSERT_TRUE(real.ok());
  EXPECT_EQ(real->objects_removed, dry->objects_removed);
  EXPECT_EQ(real->bytes_freed, dry->bytes_freed);
  EXPECT_EQ(real->removed, dry->removed);
  EXPECT_FALSE(store.Contains(drop.hash));
  EXPECT_TRUE(store.Contains(keep.hash));
  EXPECT_TRUE(store.Contains(young.hash));
  EXPECT_FALSE(env->FileExists("/p/objects/put.tmp.1.2.3"));
  EXPECT_FALSE(env->FileExists(dir + "/.x.tmp.9"));
  EXPECT_TRUE(env->FileExists("/p/objects/README"));

  // Once the grace period has passed the young object goes too.
  env->AdvanceClock(2 * kHour);
  Result<GcResult> later = store.Gc({keep.hash}, false);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->removed, std::vector<std::string>{young.hash});
  EXPECT_EQ(*store.List(), std::vector<std::string>{keep.hash});
  // A custom grace of zero removes everything unreferenced at once.
  PutResult fresh = *store.PutBytes("fresh");
  EXPECT_EQ(store.Gc({keep.hash}, false, 0)->removed, std::vector<std::string>{fresh.hash});
}

TEST(ObjectStoreTest, GcOnPosixUsesFileTimes) {
  TempDir dir;
  std::string root = core::JoinPath(dir.path(), "objects");
  ObjectStore store(Posix(), root);
  PutResult a = *store.PutBytes("a");
  PutResult b = *store.PutBytes("bb");
  std::string stale_tmp = core::JoinPath(root, "put.tmp.123.0.abc");
  ASSERT_TRUE(Posix()->WriteFileAtomic(stale_tmp, "xyz").ok());
  // Everything is fresh: the default grace (an hour) keeps it all.
  GcResult fresh = *store.Gc({}, false);
  EXPECT_EQ(fresh.objects_removed, 0u);
  EXPECT_EQ(fresh.objects_kept, 2u);
  EXPECT_TRUE(Posix()->FileExists(stale_tmp));
  // Age `b` and the temp file by two hours.
  std::string cmd = "touch -d '2 hours ago' '" + store.PathOf(b.hash) + "' '" + stale_tmp + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  GcResult aged = *store.Gc({}, false);
  EXPECT_EQ(aged.objects_removed, 1u);
  EXPECT_EQ(aged.bytes_freed, 2u + 3u);
  EXPECT_FALSE(store.Contains(b.hash));
  EXPECT_TRUE(store.Contains(a.hash));
  EXPECT_FALSE(Posix()->FileExists(stale_tmp));
}

}  // namespace
}  // namespace mlpipe::store
