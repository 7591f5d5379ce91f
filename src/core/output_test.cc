// Outputs that are not regular files are written into, never replaced: a
// FIFO stays a FIFO, a symlink stays a link (its target gets the bytes), a
// character device stays a device; errors name the user's path, never the
// temporary one; "-" is standard output.
#include "mlpipe/core/output.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mlpipe::core {
namespace {

class OutputTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mlpipe_output_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static mode_t LinkMode(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
  }
  std::string dir_;
  Env* env_ = Env::Default();
};

TEST_F(OutputTest, RegularFileIsReplacedAtomically) {
  ASSERT_TRUE(env_->WriteFileAtomic(Path("a.txt"), "old").ok());
  ASSERT_TRUE(WriteOutput(env_, Path("a.txt"), "new").ok());
  EXPECT_EQ(Slurp(Path("a.txt")), "new");
  EXPECT_TRUE(S_ISREG(LinkMode(Path("a.txt"))));
  EXPECT_EQ(*env_->ListDir(dir_), std::vector<std::string>{"a.txt"});
}

TEST_F(OutputTest, FifoIsWrittenIntoNotReplaced) {
  const std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A reader first (non-blocking, so that a write that never comes fails the
  // test instead of hanging it); the bytes fit the pipe's buffer.
  int rd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(rd, 0);
  Status s = env_->WriteFileAtomic(fifo, "through the pipe\n");
  char buf[64];
  ssize_t n = ::read(rd, buf, sizeof(buf));
  ::close(rd);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), "through the pipe\n");
  EXPECT_TRUE(S_ISFIFO(LinkMode(fifo)));
  EXPECT_EQ(*env_->ListDir(dir_), std::vector<std::string>{"pipe"});
}

TEST_F(OutputTest, SymlinkStaysALinkAndItsTargetIsReplaced) {
  ASSERT_TRUE(env_->CreateDirs(Path("real")).ok());
  ASSERT_TRUE(env_->WriteFileAtomic(Path("real/target.csv"), "old").ok());
  // A relative link, resolved from the link's folder, through a second link.
  ASSERT_EQ(::symlink("real/target.csv", Path("link1").c_str()), 0);
  ASSERT_EQ(::symlink("link1", Path("link2").c_str()), 0);
  ASSERT_TRUE(WriteOutput(env_, Path("link2"), "new").ok());
  EXPECT_TRUE(S_ISLNK(LinkMode(Path("link1"))));
  EXPECT_TRUE(S_ISLNK(LinkMode(Path("link2"))));
  EXPECT_TRUE(S_ISREG(LinkMode(Path("real/target.csv"))));
  EXPECT_EQ(Slurp(Path("real/target.csv")), "new");
  EXPECT_EQ(*env_->ListDir(Path("real")), std::vector<std::string>{"target.csv"});
}

TEST_F(OutputTest, DanglingSymlinkCreatesItsTarget) {
  ASSERT_EQ(::symlink("made.txt", Path("link").c_str()), 0);
  ASSERT_TRUE(env_->WriteFileAtomic(Path("link"), "made").ok());
  EXPECT_TRUE(S_ISLNK(LinkMode(Path("link"))));
  EXPECT_EQ(Slurp(Path("made.txt")), "made");
}

// A character device stays a device. As root a private null device is made
// in the test's folder: a regression that renames over the target must never
// replace the system's /dev/null (root may write in /dev). Without root,
// /dev/null itself is safe to use: /dev is not writable.
TEST_F(OutputTest, CharacterDeviceStaysADevice) {
  std::string device = "/dev/null";
  if (::geteuid() == 0) {
    device = Path("null-device");
    ASSERT_EQ(::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
  }
  ASSERT_TRUE(env_->WriteFileAtomic(device, "discarded").ok());
  EXPECT_TRUE(S_ISCHR(LinkMode(device)));
  // A symlink to it (as /dev/stdout is a link to a descriptor).
  ASSERT_EQ(::symlink(device.c_str(), Path("null").c_str()), 0);
  ASSERT_TRUE(env_->WriteFileAtomic(Path("null"), "discarded").ok());
  EXPECT_TRUE(S_ISCHR(LinkMode(device)));
  EXPECT_TRUE(S_ISLNK(LinkMode(Path("null"))));
}

TEST_F(OutputTest, MissingFolderErrorNamesTheUsersPathNotATemporary) {
  const std::string path = Path("no/such/o.csv");
  Status s = env_->WriteFileAtomic(path, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(Path("no/such")), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find(".tmp"), std::string::npos) << s.message();
}

TEST_F(OutputTest, UnwritableFolderErrorNamesTheUsersPath) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  ASSERT_TRUE(env_->CreateDirs(Path("ro")).ok());
  ASSERT_EQ(::chmod(Path("ro").c_str(), 0500), 0);
  Status s = env_->WriteFileAtomic(Path("ro/o.csv"), "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().find(".tmp"), std::string::npos) << s.message();
}

TEST_F(OutputTest, DirectoryIsRefused) {
  Status s = env_->WriteFileAtomic(dir_, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("is a directory"), std::string::npos) << s.message();
}

TEST_F(OutputTest, DashIsStandardOutput) {
  EXPECT_TRUE(IsStandardOutput("-"));
  EXPECT_FALSE(IsStandardOutput("./-"));
  // Standard output redirected into a file, in a child so the test's own
  // output is untouched.
  const std::string out = Path("stdout.txt");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDOUT_FILENO);
    Status s = WriteOutput(Env::Default(), "-", "to stdout\n");
    auto file = NewStandardOutputFile();
    Status t = file->Append("and streamed\n");
    ::_exit(s.ok() && t.ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(Slurp(out), "to stdout\nand streamed\n");
  EXPECT_FALSE(env_->FileExists(Path("-")));
}

}  // namespace
}  // namespace mlpipe::core
