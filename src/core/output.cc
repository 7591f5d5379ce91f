#include "mlpipe/core/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace mlpipe::core {
namespace {

class StandardOutputFile : public WritableFile {
 public:
  Status Append(std::string_view data) override {
    // Whatever the program printed through iostreams or stdio goes first.
    std::cout.flush();
    std::fflush(stdout);
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t w = ::write(STDOUT_FILENO, p, left);
      if (w < 0) {
        if (errno == EINTR) continue;
        return IoError(std::string("standard output: ") + std::strerror(errno));
      }
      p += w;
      left -= static_cast<size_t>(w);
    }
    return Status::OK();
  }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
};

}  // namespace

bool IsStandardOutput(std::string_view path) { return path == "-"; }

std::unique_ptr<WritableFile> NewStandardOutputFile() {
  return std::make_unique<StandardOutputFile>();
}

Result<bool> ClaimsStandardOutput(std::initializer_list<std::string_view> paths) {
  size_t n = 0;
  for (std::string_view p : paths) n += IsStandardOutput(p) ? 1 : 0;
  if (n > 1) {
    return InvalidArgumentError(
        "only one output can be standard output ('-'); give the others file names");
  }
  return n == 1;
}

Status WriteOutput(Env* env, const std::string& path, std::string_view data) {
  if (IsStandardOutput(path)) return StandardOutputFile().Append(data);
  return env->WriteFileAtomic(path, data);
}

}  // namespace mlpipe::core
