// A terminal progress bar for long work. Drawn on standard error only when it
// is a terminal and the output mode is neither quiet nor JSON (ShowProgress());
// otherwise every call is a cheap no-op.
//
// Thread safety: Add() and SetNote() may be called from several threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace mlpipe::core {

class Progress {
 public:
  // `total` units of work (0 when unknown); `unit` names them ("rows", "MB").
  Progress(std::string label, uint64_t total, std::string unit = "");
  // Clears the bar line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Add(uint64_t done);
  // A short text shown after the figures (e.g. "best 0.812") from the next
  // draw on: set it before the Add() that it goes with.
  void SetNote(std::string note);
  void Finish();

 private:
  void Draw(bool force);

  std::string label_;
  std::string unit_;
  std::string note_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  int64_t start_us_;
  std::atomic<int64_t> last_draw_us_{0};
  std::mutex mu_;
  bool enabled_;
  bool finished_ = false;
};

}  // namespace mlpipe::core
