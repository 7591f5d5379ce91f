// The KLL compactor hierarchy behind QuantileSketch.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMinCapacity = 8;

// SplitMix64: one 64-bit word of the sketch's own random stream.
uint64_t NextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Capacity of level h in a hierarchy of `levels` levels: k at the top,
// shrinking by 2/3 per level below it.
size_t LevelCapacity(int k, size_t levels, size_t h) {
  const double depth = static_cast<double>(levels - 1 - h);
  const double cap = std::ceil(static_cast<double>(k) * std::pow(2.0 / 3.0, depth));
  return static_cast<size_t>(std::max(cap, static_cast<double>(kMinCapacity)));
}

size_t TotalCapacity(int k, size_t levels) {
  size_t total = 0;
  for (size_t h = 0; h < levels; ++h) total += LevelCapacity(k, levels, h);
  return total;
}

}  // namespace

QuantileSketch::QuantileSketch(int k, uint64_t seed)
    : k_(std::max(k, kMinCapacity)),
      rng_state_(seed),
      levels_(1),
      capacity_(TotalCapacity(k_, 1)) {}

void QuantileSketch::Add(double x) {
  if (std::isnan(x)) return;
  if (n_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++n_;
  levels_[0].push_back(x);
  ++retained_;
  if (retained_ >= capacity_) Compact();
}

void QuantileSketch::Merge(const QuantileSketch& other) {
  if (other.n_ == 0) return;
  if (&other == this) {
    const QuantileSketch copy = other;
    Merge(copy);
    return;
  }
  if (n_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  if (levels_.size() < other.levels_.size()) {
    levels_.resize(other.levels_.size());
    capacity_ = TotalCapacity(k_, levels_.size());
  }
  for (size_t h = 0; h < other.levels_.size(); ++h) {
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
  }
  n_ += other.n_;
  retained_ += other.retained_;
  Compact();
}

void QuantileSketch::Compact() {
  // Lazy KLL: compact only while the sketch holds more than its total
  // capacity, always the lowest level that is full. This keeps the lower
  // levels as full as possible, which lowers the error for the same memory.
  while (retained_ >= capacity_) {
    const size_t levels = levels_.size();
    size_t h = 0;
    while (h < levels && levels_[h].size() < LevelCapacity(k_, levels, h)) ++h;
    if (h == levels) break;  // cannot happen: some level must be over capacity
    if (h + 1 == levels_.size()) {
      levels_.emplace_back();
      capacity_ = TotalCapacity(k_, levels_.size());
    }
    std::vector<double>& level = levels_[h];
    std::vector<double>& up = levels_[h + 1];
    // With an odd count the last item added stays behind at this level.
    const bool odd = level.size() % 2 == 1;
    double kept = odd ? level.back() : 0.0;
    if (odd) level.pop_back();
    std::sort(level.begin(), level.end());
    const size_t offset = NextRandom(rng_state_) >> 63;
    for (size_t i = offset; i < level.size(); i += 2) up.push_back(level[i]);
    retained_ -= level.size() / 2;
    level.clear();
    if (odd) level.push_back(kept);
  }
}

double QuantileSketch::Quantile(double q) const {
  const double qs[1] = {q};
  return Quantiles(qs)[0];
}

std::vector<double> QuantileSketch::Quantiles(std::span<const double> qs) const {
  std::vector<double> out(qs.size(), kNaN);
  if (n_ == 0) return out;
  if (retained_ == n_) {  // never compacted: every value is here with weight 1
    std::vector<double> all(levels_[0].begin(), levels_[0].end());
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < qs.size(); ++i) out[i] = QuantileSorted(all, qs[i]);
    return out;
  }
  std::vector<std::pair<double, uint64_t>> items;
  items.reserve(retained_);
  for (size_t h = 0; h < levels_.size(); ++h) {
    for (double x : levels_[h]) items.emplace_back(x, uint64_t{1} << h);
  }
  std::sort(items.begin(), items.end());
  // cum[i]: total weight of items[0..i].
  std::vector<double> cum(items.size());
  double total = 0;
  for (size_t i = 0; i < items.size(); ++i) cum[i] = total += static_cast<double>(items[i].second);
  for (size_t i = 0; i < qs.size(); ++i) {
    const double q = qs[i];
    if (!(q >= 0 && q <= 1)) continue;
    if (q == 0) {
      out[i] = min_;
    } else if (q == 1) {
      out[i] = max_;
    } else {
      // The first item whose cumulative weight passes rank q (n - 1) (0-based).
      const double rank = q * static_cast<double>(n_ - 1);
      const auto it = std::upper_bound(cum.begin(), cum.end(), rank);
      out[i] = it == cum.end() ? max_ : items[static_cast<size_t>(it - cum.begin())].first;
    }
  }
  return out;
}

}  // namespace mlpipe::stats
