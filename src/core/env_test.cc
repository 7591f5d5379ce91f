#include "mlpipe/core/env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace mlpipe::core {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/mlpipe_env_test_XXXXXX";
  char* d = mkdtemp(tmpl);
  return d ? std::string(d) : std::string();
}

void ExerciseEnv(Env* env, const std::string& root) {
  ASSERT_TRUE(env->CreateDirs(JoinPath(root, "a/b")).ok());
  EXPECT_TRUE(env->IsDirectory(JoinPath(root, "a")));
  std::string f = JoinPath(root, "a/b/x.txt");
  EXPECT_FALSE(env->FileExists(f));
  ASSERT_TRUE(env->WriteFileAtomic(f, "hello").ok());
  EXPECT_TRUE(env->FileExists(f));
  EXPECT_EQ(*env->ReadFile(f), "hello");
  EXPECT_EQ(*env->FileSize(f), 5u);
  ASSERT_TRUE(env->WriteFileAtomic(f, "replaced").ok());
  auto region = env->MapFile(f);
  ASSERT_TRUE(region.ok());
  EXPECT_EQ((*region)->view(), "replaced");
  auto seq = env->OpenSequential(f);
  ASSERT_TRUE(seq.ok());
  char buf[4];
  EXPECT_EQ(*(*seq)->Read(buf, 4), 4u);
  EXPECT_EQ(std::string(buf, 4), "repl");
  // Only the file itself is left: no temporary files.
  EXPECT_EQ(*env->ListDir(JoinPath(root, "a/b")), std::vector<std::string>{"x.txt"});
  ASSERT_TRUE(env->RenameFile(f, JoinPath(root, "a/y.txt")).ok());
  EXPECT_EQ(*env->ListDir(JoinPath(root, "a")), (std::vector<std::string>{"b", "y.txt"}));
  ASSERT_TRUE(env->DeleteFile(JoinPath(root, "a/y.txt")).ok());
  Result<std::string> missing = env->ReadFile(JoinPath(root, "nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
}

// Streams a file in pieces, then checks its bytes, exclusivity and mtime.
void ExerciseWritableFile(Env* env, const std::string& root) {
  ASSERT_TRUE(env->CreateDirs(root).ok());
  std::string f = JoinPath(root, "stream.bin");
  int64_t before = env->NowMicros();
  auto w = env->NewWritableFile(f);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Append("abc").ok());
  ASSERT_TRUE((*w)->Append(std::string(10000, 'x')).ok());
  ASSERT_TRUE((*w)->Sync().ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_FALSE((*w)->Append("late").ok());
  EXPECT_EQ(*env->ReadFile(f), "abc" + std::string(10000, 'x'));
  auto again = env->NewWritableFile(f);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*env->ReadFile(f), "abc" + std::string(10000, 'x'));  // untouched
  Result<int64_t> mtime = env->FileMTimeMicros(f);
  ASSERT_TRUE(mtime.ok());
  // Filesystem timestamps may be coarser than the clock: allow a few seconds.
  EXPECT_GE(*mtime, before - 5'000'000);
  EXPECT_LE(*mtime, env->NowMicros() + 5'000'000);
  EXPECT_EQ(env->FileMTimeMicros(JoinPath(root, "missing")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env->NewWritableFile(JoinPath(root, "no/such/dir/f")).status().code(),
            StatusCode::kNotFound);
}

TEST(EnvTest, Posix) {
  std::string dir = TempDir();
  ASSERT_FALSE(dir.empty());
  ExerciseEnv(Env::Default(), dir);
  ExerciseWritableFile(Env::Default(), JoinPath(dir, "w"));
  std::string cmd = "rm -rf " + dir;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
}

TEST(EnvTest, Memory) {
  auto env = NewMemEnv();
  ExerciseEnv(env.get(), "/root");
  ExerciseWritableFile(env.get(), "/root/w");
  int64_t t = env->NowMicros();
  env->AdvanceClock(5);
  EXPECT_EQ(env->NowMicros(), t + 5);
  // The in-memory mtime is the clock at the last write, kept across a rename.
  ASSERT_TRUE(env->WriteFileAtomic("/root/a/t", "x").ok());
  env->AdvanceClock(100);
  ASSERT_TRUE(env->RenameFile("/root/a/t", "/root/a/u").ok());
  EXPECT_EQ(*env->FileMTimeMicros("/root/a/u"), t + 5);
  EXPECT_FALSE(env->FileMTimeMicros("/root/a/t").ok());
  env->SetWritesFail(true);
  Status s = env->WriteFileAtomic("/root/a/z", "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_FALSE(env->FileExists("/root/a/z"));
}

TEST(EnvTest, PosixMapsEmptyFile) {
  std::string dir = TempDir();
  std::string f = JoinPath(dir, "empty");
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(f, "").ok());
  auto region = Env::Default()->MapFile(f);
  ASSERT_TRUE(region.ok());
  EXPECT_EQ((*region)->size(), 0u);
  std::string cmd = "rm -rf " + dir;
  ASSERT_EQ(std::system(cmd.c_str()), 0);
}

TEST(PathTest, JoinAndSplit) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(DirName("a/b/c.csv"), "a/b");
  EXPECT_EQ(DirName("c.csv"), "");
  EXPECT_EQ(DirName("/c.csv"), "/");
  EXPECT_EQ(BaseName("a/b/c.csv"), "c.csv");
}

}  // namespace
}  // namespace mlpipe::core
