// Ground-truth feedback for monitoring: one JSON object a line appended to
// DIR/feedback.jsonl. Each append is one write(2) of whole lines on a file
// opened O_APPEND, then fsync: a reply of 200 means the lines are on disk, and
// a crash never leaves another writer's line interleaved with ours.
//
// Thread safety: Append may be called concurrently (a mutex orders appends).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "mlpipe/core/status.h"

namespace mlpipe::serve {

class FeedbackLog {
 public:
  // `dir` is created when missing; "" makes every Append FailedPrecondition.
  explicit FeedbackLog(std::string dir) : dir_(std::move(dir)) {}
  ~FeedbackLog();
  const std::string& dir() const { return dir_; }
  // Appends `lines` (each one JSON text without its newline) durably.
  Status Append(const std::vector<std::string>& lines);

 private:
  std::string dir_;
  std::mutex mu_;
  int fd_ = -1;
};

}  // namespace mlpipe::serve
