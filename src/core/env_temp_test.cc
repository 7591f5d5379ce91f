// Env::NewTempDir and Env::DeleteDir on both Envs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "mlpipe/core/env.h"

namespace mlpipe::core {
namespace {

void ExerciseTempDirs(Env* env, const std::string& base) {
  auto a = env->NewTempDir("mlpipe-t");
  auto b = env->NewTempDir("mlpipe-t");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_NE(*a, *b);
  EXPECT_EQ(DirName(*a), base);
  EXPECT_EQ(BaseName(*a).rfind("mlpipe-t-", 0), 0u) << *a;
  EXPECT_EQ(BaseName(*a).size(), std::string("mlpipe-t-").size() + 6);
  EXPECT_TRUE(env->IsDirectory(*a));
  auto listed = env->ListDir(*a);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  // A folder with a file in it is not removed.
  const std::string f = JoinPath(*a, "f");
  ASSERT_TRUE(env->WriteFileAtomic(f, "x").ok());
  EXPECT_FALSE(env->DeleteDir(*a).ok());
  EXPECT_TRUE(env->IsDirectory(*a));
  ASSERT_TRUE(env->DeleteFile(f).ok());
  EXPECT_TRUE(env->DeleteDir(*a).ok());
  EXPECT_FALSE(env->FileExists(*a));
  EXPECT_EQ(env->DeleteDir(*a).code(), StatusCode::kNotFound);
  EXPECT_TRUE(env->DeleteDir(*b).ok());
}

TEST(EnvTempDir, PosixUnderTmpdir) {
  Env* env = Env::Default();
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  char tmpl[] = "/tmp/mlpipe-tmpdir-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  ASSERT_EQ(setenv("TMPDIR", tmpl, 1), 0);
  ExerciseTempDirs(env, tmpl);
  if (old != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_TRUE(env->DeleteDir(tmpl).ok());
}

TEST(EnvTempDir, PosixMissingTmpdirIsAnError) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ASSERT_EQ(setenv("TMPDIR", "/nonexistent/mlpipe", 1), 0);
  auto d = Env::Default()->NewTempDir("x");
  if (old != nullptr) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("/nonexistent/mlpipe/x-"), std::string::npos);
}

TEST(EnvTempDir, Memory) {
  auto env = NewMemEnv();
  ExerciseTempDirs(env.get(), "/tmp");
  env->SetWritesFail(true);
  EXPECT_EQ(env->NewTempDir("x").status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace mlpipe::core
