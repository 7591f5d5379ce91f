// The progress bar as a terminal sees it: a child process draws on a
// pseudo-terminal (the bar is drawn only on a terminal), the test reads it.
#include "mlpipe/core/progress.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>

namespace mlpipe::core {
namespace {

// What `draw` writes to standard error when that is a terminal.
std::string OnTerminal(const std::function<void()>& draw) {
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return "openpty failed";
  pid_t pid = fork();
  if (pid == 0) {
    dup2(slave, STDERR_FILENO);
    draw();
    _exit(0);
  }
  close(slave);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = read(master, buf, sizeof(buf));
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child has exited and closed its side
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  return out;
}

TEST(ProgressTest, ANoteIsDrawnWithTheCountItBelongsTo) {
  std::string out = OnTerminal([] {
    Progress p("search gbdt", 20, "trials");
    p.SetNote("best 0.8165");
    p.Add(1);
  });
  EXPECT_NE(out.find("search gbdt"), std::string::npos) << out;
  EXPECT_NE(out.find("1/20 trials"), std::string::npos) << out;
  EXPECT_NE(out.find("best 0.8165"), std::string::npos) << out;
  // Never the note of a finished trial beside a count that does not include it.
  EXPECT_EQ(out.find("0/20"), std::string::npos) << out;
}

TEST(ProgressTest, NothingIsDrawnWhenStandardErrorIsNotATerminal) {
  testing::internal::CaptureStderr();
  {
    Progress p("work", 10, "rows");
    p.Add(5);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace mlpipe::core
