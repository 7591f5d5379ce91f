// Child processes through posix_spawn (process.h).
#include "mlpipe/core/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace mlpipe::core {
namespace {

// Frees posix_spawn's attribute objects on every path out.
struct FileActions {
  posix_spawn_file_actions_t fa;
  FileActions() { posix_spawn_file_actions_init(&fa); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa); }
};

}  // namespace

Result<int> RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0].empty()) return InvalidArgumentError("run process: no program");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  FileActions actions;
  posix_spawn_file_actions_addopen(&actions.fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions.fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions.fa, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int err = posix_spawn(&pid, args[0], &actions.fa, nullptr, args.data(), environ);
  if (err != 0) {
    std::string msg = argv[0] + ": cannot start: " + std::strerror(err);
    return err == ENOENT ? NotFoundError(std::move(msg)) : IoError(std::move(msg));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return IoError(argv[0] + ": waitpid: " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return InternalError(argv[0] + ": ended with wait status " + std::to_string(status));
}

Result<std::string> SelfExecutablePath() {
  std::string buf(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size());
  if (n <= 0 || static_cast<size_t>(n) >= buf.size()) {
    return IoError(std::string("/proc/self/exe: cannot read the executable's path: ") +
                   std::strerror(errno));
  }
  buf.resize(static_cast<size_t>(n));
  return buf;
}

}  // namespace mlpipe::core
