// RunProcess and SelfExecutablePath (process.h), against /bin/sh.
#include "mlpipe/core/process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace mlpipe::core {
namespace {

TEST(RunProcess, ExitStatusAndSignals) {
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "exit 0"}), 0);
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "exit 7"}), 7);
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "kill -TERM $$"}), 128 + 15);
}

TEST(RunProcess, ArgumentsArriveVerbatim) {
  // Quotes, spaces, '$' and ';' are no business of a shell here: $0 and $1
  // of the script are exactly the strings given.
  const std::string weird = "it's a \"path\" with $HOME; rm -rf /";
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "[ \"$0\" = \"$1\" ]", weird, weird}), 0);
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "[ \"$0\" = \"$1\" ]", weird, weird + "x"}), 1);
}

TEST(RunProcess, OutputIsDiscardedAndInputIsEmpty) {
  // `cat` with standard input from /dev/null ends at once with status 0.
  EXPECT_EQ(*RunProcess({"/bin/cat"}), 0);
  EXPECT_EQ(*RunProcess({"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2"}), 0);
}

TEST(RunProcess, ProgramThatCannotStart) {
  auto r = RunProcess({"/nonexistent/program", "x"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/program"), std::string::npos);
  EXPECT_EQ(RunProcess({}).status().code(), StatusCode::kInvalidArgument);
}

TEST(SelfExecutablePath, IsThisTestBinary) {
  auto p = SelfExecutablePath();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(std::filesystem::path(*p).filename(), "core_tests");
  EXPECT_TRUE(std::filesystem::is_regular_file(*p));
}

}  // namespace
}  // namespace mlpipe::core
