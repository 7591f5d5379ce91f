// FeedbackLog (feedback_log.h).
#include "feedback_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mlpipe::serve {

FeedbackLog::~FeedbackLog() {
  if (fd_ >= 0) close(fd_);
}

Status FeedbackLog::Append(const std::vector<std::string>& lines) {
  if (dir_.empty()) {
    return FailedPreconditionError("feedback is not stored: the server runs without --feedback");
  }
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  const std::string path = dir_ + "/feedback.jsonl";
  if (fd_ < 0) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return IoError("feedback folder " + dir_ + ": " + ec.message());
    fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) return IoError(path + ": " + std::strerror(errno));
    // The new file's directory entry is durable too.
    int d = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d >= 0) {
      fsync(d);
      close(d);
    }
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd_) != 0) return IoError(path + ": fsync: " + std::strerror(errno));
  return Status::OK();
}

}  // namespace mlpipe::serve
