#include "mlpipe/core/build_id.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

namespace mlpipe::core {
namespace {

// binutils' reading of the build-ID note of `path` ("" if it has none).
std::string ReadelfBuildIdOf(const std::string& path) {
  const std::string command = "readelf -n '" + path + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(command.c_str(), "r"), pclose);
  if (!p) return "";
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p.get()) != nullptr) out += buf;
  const std::string label = "Build ID: ";
  const auto at = out.find(label);
  if (at == std::string::npos) return "";
  const auto end = out.find('\n', at);
  return out.substr(at + label.size(), end - at - label.size());
}

TEST(BuildIdTest, IsTheLinkersBuildIdOfThisBinary) {
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  ASSERT_GT(n, 0);
  exe[n] = '\0';
  const std::string expected = ReadelfBuildIdOf(exe);
  if (expected.empty()) GTEST_SKIP() << "readelf found no build ID in " << exe;
  EXPECT_EQ(BuildId(), expected);
}

TEST(BuildIdTest, IsComputedOnce) {
  EXPECT_FALSE(BuildId().empty());
  EXPECT_EQ(&BuildId(), &BuildId());
}

}  // namespace
}  // namespace mlpipe::core
