#include "mlpipe/stats/descriptive.h"

#include <algorithm>
#include <cmath>

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void Moments::Add(double x) {
  // Pébay (2008), eq. 1.1-1.4 with one new value.
  const double n1 = static_cast<double>(n_);
  ++n_;
  const double n = static_cast<double>(n_);
  const double delta = x - mean_;
  const double delta_n = delta / n;
  const double delta_n2 = delta_n * delta_n;
  const double term1 = delta * delta_n * n1;
  mean_ += delta_n;
  m4_ += term1 * delta_n2 * (n * n - 3 * n + 3) + 6 * delta_n2 * m2_ - 4 * delta_n * m3_;
  m3_ += term1 * delta_n * (n - 2) - 3 * delta_n * m2_;
  m2_ += term1;
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
}

void Moments::AddAll(std::span<const double> xs) {
  if (xs.empty()) return;
  // Two passes over the block (mean, then central power sums) are both more
  // accurate and much faster than one update per value: no division in the
  // loop, and the loops vectorise. The block is then merged in one step.
  Moments block;
  double sum = 0, lo = xs[0], hi = xs[0];
  for (double x : xs) {
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  const double mean = sum / static_cast<double>(xs.size());
  double s2 = 0, s3 = 0, s4 = 0, s1 = 0;
  for (double x : xs) {
    const double d = x - mean;
    const double d2 = d * d;
    s1 += d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const double n = static_cast<double>(xs.size());
  // s1 is the rounding error of the mean; fold it back in (corrected two-pass).
  const double corr = s1 / n;
  block.n_ = xs.size();
  block.mean_ = mean + corr;
  block.m2_ = s2 - s1 * corr;
  block.m3_ = s3 - 3 * corr * s2 + 2 * n * corr * corr * corr;
  block.m4_ = s4 - 4 * corr * s3 + 6 * corr * corr * s2 - 3 * n * corr * corr * corr * corr;
  block.min_ = lo;
  block.max_ = hi;
  Merge(block);
}

void Moments::Merge(const Moments& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  // Pébay (2008), eq. 3.1 (pairwise update of central moments up to order 4).
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  const double delta2 = delta * delta;
  const double delta3 = delta2 * delta;
  const double delta4 = delta2 * delta2;
  const double m2 = m2_ + other.m2_ + delta2 * na * nb / n;
  const double m3 = m3_ + other.m3_ + delta3 * na * nb * (na - nb) / (n * n) +
                    3 * delta * (na * other.m2_ - nb * m2_) / n;
  const double m4 = m4_ + other.m4_ +
                    delta4 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n) +
                    6 * delta2 * (na * na * other.m2_ + nb * nb * m2_) / (n * n) +
                    4 * delta * (na * other.m3_ - nb * m3_) / n;
  // The weighted mean; for blocks of very different size this is the form
  // with the smallest rounding error.
  mean_ = mean_ + delta * nb / n;
  m2_ = m2;
  m3_ = m3;
  m4_ = m4;
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double Moments::mean() const { return n_ == 0 ? kNaN : mean_; }

double Moments::variance(int ddof) const {
  if (ddof < 0 || n_ <= static_cast<uint64_t>(ddof)) return kNaN;
  return m2_ / static_cast<double>(n_ - static_cast<uint64_t>(ddof));
}

double Moments::stddev(int ddof) const { return std::sqrt(variance(ddof)); }

bool Moments::Degenerate() const {
  // Undefined for (numerically) constant data. scipy.stats.skew/kurtosis
  // return NaN when m2 <= (1e-15 * mean)^2, m2 the population variance.
  if (n_ == 0 || min_ == max_) return true;
  const double tol = 1e-15 * mean_;
  return m2_ / static_cast<double>(n_) <= tol * tol;
}

double Moments::skewness(bool bias) const {
  if (Degenerate()) return kNaN;
  const double n = static_cast<double>(n_);
  const double g1 = std::sqrt(n) * m3_ / std::pow(m2_, 1.5);  // m3 / m2^1.5, population
  if (bias) return g1;
  if (n_ < 3) return kNaN;
  return g1 * std::sqrt(n * (n - 1)) / (n - 2);
}

double Moments::kurtosis(bool bias) const {
  if (Degenerate()) return kNaN;
  const double n = static_cast<double>(n_);
  const double g2 = n * m4_ / (m2_ * m2_) - 3.0;  // population excess kurtosis
  if (bias) return g2;
  if (n_ < 4) return kNaN;
  return ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3));
}

}  // namespace mlpipe::stats
