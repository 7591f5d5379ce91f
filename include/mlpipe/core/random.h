// Rng: a seeded pseudo-random generator whose output is the same on every
// platform and standard library (std::*_distribution is not), so that seeded
// splits, bootstraps and searches reproduce byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mlpipe::core {

// SplitMix64-seeded xoshiro256**. Not thread safe: give each thread its own,
// seeded with Derive().
class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform();
  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // Standard normal (Box–Muller).
  double Normal();
  // A seed for an independent stream, e.g. one per fold or per trial.
  static uint64_t Derive(uint64_t seed, uint64_t stream);

  // Fisher–Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(Below(i));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  uint64_t s_[4];
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace mlpipe::core
