#include "mlpipe/core/progress.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "mlpipe/core/log.h"

namespace mlpipe::core {
namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string FormatSeconds(double s) {
  if (s < 60) return fmt::format("{:.0f}s", s);
  return fmt::format("{:.0f}m{:02.0f}s", s / 60 - 0.5, std::fmod(s, 60.0));
}

}  // namespace

Progress::Progress(std::string label, uint64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      start_us_(SteadyMicros()),
      enabled_(ShowProgress()) {}

Progress::~Progress() { Finish(); }

void Progress::Add(uint64_t done) {
  done_.fetch_add(done);
  if (enabled_) Draw(false);
}

void Progress::SetNote(std::string note) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> l(mu_);
  note_ = std::move(note);
}

void Progress::Finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> l(mu_);
  if (finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void Progress::Draw(bool force) {
  int64_t now = SteadyMicros();
  int64_t last = last_draw_us_.load();
  // At most ten redraws a second.
  if (!force && now - last < 100'000) return;
  if (!last_draw_us_.compare_exchange_strong(last, now)) return;
  std::lock_guard<std::mutex> l(mu_);
  if (finished_) return;
  uint64_t done = done_.load();
  double elapsed = (now - start_us_) / 1e6;
  std::string line;
  if (total_ > 0) {
    double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    const int width = 24;
    int filled = static_cast<int>(frac * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    std::string eta = "";
    if (frac > 0.01 && frac < 1) eta = " eta " + FormatSeconds(elapsed * (1 - frac) / frac);
    line = fmt::format("{} [{}] {}/{} {} {:3.0f}% {}{}", label_, bar, done, total_, unit_,
                       frac * 100, FormatSeconds(elapsed), eta);
  } else {
    line = fmt::format("{} {} {} {}", label_, done, unit_, FormatSeconds(elapsed));
  }
  if (!note_.empty()) line += "  " + note_;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace mlpipe::core
