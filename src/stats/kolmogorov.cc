// The distribution of the one-sample two-sided Kolmogorov–Smirnov statistic
// D_n, ported from scipy (stats/_ksstats.py, which follows Simard &
// L'Ecuyer 2011 in choosing an algorithm by n and n x^2) and the one-sided
// Smirnov survival function (scipy.special.smirnov, cephes kolmogorov.c), so
// that KsTwoSample's asymptotic p-value is scipy's to ~1e-12.
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "mlpipe/stats/hypothesis.h"

namespace mlpipe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;
constexpr int kE128 = 128;
const double kEp128 = std::ldexp(1.0, kE128);
const double kEm128 = std::ldexp(1.0, -kE128);
constexpr double kMinLog = -708.3964185322641;  // cephes MINLOG
constexpr uint64_t kSmirnovMaxComputeN = 1000000;

double Clip(double p) { return std::isnan(p) ? p : std::clamp(p, 0.0, 1.0); }

// log(n! / n^n), Stirling series (scipy _log_nfactorial_div_n_pow_n).
double LogNFactorialDivNPowN(double n) {
  static constexpr double kCoeffs[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                       -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                       -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                       -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / n;
  const double z = rn / n;
  double poly = 0;
  for (double c : kCoeffs) poly = poly * z + c;
  return std::log(n) / 2 - n + std::log(2 * kPi) / 2 + rn * poly;
}

// One-sided Smirnov survival function P(D+_n >= x), exact by the
// Birnbaum–Tingey sum, terms in long double log space.
double SmirnovSf(uint64_t n, double x) {
  if (!(x >= 0 && x <= 1)) return kNaN;
  if (n == 1) return 1 - x;
  if (x == 0) return 1;
  if (x == 1) return 0;
  const double dn = static_cast<double>(n);
  const double nx = dn * x;
  const double nxfl = std::floor(nx);
  const double alpha = nx - nxfl;
  if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
    return 1 - x * std::pow(1 + x, dn - 1);  // x <= 1/n
  }
  if (-2 * dn * x * x < kMinLog) return 0;
  if (nxfl >= dn - 1) return std::pow(1 - x, dn);
  if (n > kSmirnovMaxComputeN) {
    const double logp = -std::pow(6.0 * dn * x + 1, 2) / 18.0 / dn;
    return logp < -std::log(2.0) ? std::exp(logp) : 1 + std::expm1(logp);
  }
  // sf = x sum_{j=0}^{J} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1),
  // J = the last j with 1 - x - j/n > 0.
  auto last = static_cast<uint64_t>(dn - nxfl - (alpha == 0 ? 1 : 0));
  if (alpha == 0) last -= 1;
  const long double lx = x;
  const long double ln = static_cast<long double>(n);
  const long double lgn1 = std::lgamma(ln + 1);
  long double sum = 0, prev = 0;
  for (uint64_t j = 0; j <= last; ++j) {
    const long double lj = static_cast<long double>(j);
    const long double a = (ln - lj) / ln - lx;  // 1 - x - j/n
    const long double b = lx + lj / ln;         // x + j/n
    if (a <= 0) break;
    const long double log_term = lgn1 - std::lgamma(lj + 1) - std::lgamma(ln - lj + 1) +
                                 (ln - lj) * std::log(a) + (lj - 1) * std::log(b);
    const long double term = std::exp(log_term);
    sum += term;
    if (j > 0 && term < prev && term < sum * 1e-20L) break;
    prev = term;
  }
  return Clip(static_cast<double>(lx * sum));
}

using Matrix = std::vector<double>;  // row-major m x m

void MatMul(const Matrix& a, const Matrix& b, Matrix& out, size_t m) {
  std::fill(out.begin(), out.end(), 0.0);
  for (size_t i = 0; i < m; ++i) {
    for (size_t k = 0; k < m; ++k) {
      const double aik = a[i * m + k];
      if (aik == 0) continue;
      for (size_t j = 0; j < m; ++j) out[i * m + j] += aik * b[k * m + j];
    }
  }
}

// P(D_n <= d) by Durbin's matrix (Marsaglia, Tsang, Wang 2003).
double DurbinMatrixCdf(uint64_t n, double d) {
  if (d >= 1) return 1;
  const double dn = static_cast<double>(n);
  const double nd = dn * d;
  if (nd <= 0.5) return 0;
  const auto k = static_cast<size_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const size_t m = 2 * k - 1;
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (size_t j = 1; j <= m; ++j) {
    v[j - 1] = 1.0 - std::pow(h, static_cast<double>(j));
    w[j - 1] = fac;
    fac /= static_cast<double>(j);
    v[j - 1] *= fac;
  }
  const double tt =
      std::pow(std::max(2 * h - 1.0, 0.0), static_cast<double>(m)) - 2 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(m * m, 0.0);
  for (size_t i = 1; i < m; ++i) {
    for (size_t r = i - 1; r < m; ++r) hm[r * m + i] = w[r - (i - 1)];
  }
  for (size_t r = 0; r < m; ++r) hm[r * m] = v[r];
  for (size_t c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];
  Matrix pw(m * m, 0.0), tmp(m * m);
  for (size_t i = 0; i < m; ++i) pw[i * m + i] = 1.0;
  uint64_t nn = n;
  int expnt = 0, hexpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      MatMul(pw, hm, tmp, m);
      pw.swap(tmp);
      expnt += hexpnt;
    }
    MatMul(hm, hm, tmp, m);
    hm.swap(tmp);
    hexpnt *= 2;
    if (std::abs(hm[(k - 1) * m + (k - 1)]) > kEp128) {
      for (double& e : hm) e /= kEp128;
      hexpnt += kE128;
    }
    nn /= 2;
  }
  double p = pw[(k - 1) * m + (k - 1)];
  for (uint64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / dn;
    if (std::abs(p) < kEm128) {
      p *= kEp128;
      expnt -= kE128;
    }
  }
  if (expnt != 0) p = std::ldexp(p, expnt);
  return Clip(p);
}

// Endpoints of row i in Pomeranz's recursion.
std::pair<int64_t, int64_t> PomeranzJ1J2(int64_t i, int64_t n, int64_t ll, int64_t ceilf,
                                         int64_t roundf) {
  int64_t j1, j2;
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const int64_t ip1div2 = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (ip1div2 == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return {std::max<int64_t>(j1 + 2, 0), std::min(j2, n)};
}

// P(D_n <= x) by Pomeranz's recursion (1974).
double PomeranzCdf(uint64_t n_in, double x) {
  const auto n = static_cast<int64_t>(n_in);
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  const auto ll = static_cast<int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int64_t ceilf = f > 0 ? 1 : 0;
  const int64_t roundf = f > 0.5 ? 1 : 0;
  const auto npwrs = static_cast<size_t>(2 * (ll + 1));
  std::vector<double> gpower(npwrs), twogpower(npwrs), onem2gpower(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  const double g_n = g / dn, two_g_n = 2 * g / dn, one_m2g_n = (1 - 2 * g) / dn;
  for (size_t m = 1; m < npwrs; ++m) {
    const double dm = static_cast<double>(m);
    gpower[m] = gpower[m - 1] * g_n / dm;
    twogpower[m] = twogpower[m - 1] * two_g_n / dm;
    onem2gpower[m] = onem2gpower[m - 1] * one_m2g_n / dm;
  }
  std::vector<double> v0(npwrs, 0.0), v1(npwrs, 0.0), conv;
  v1[0] = 1;
  int64_t v0s = 0, v1s = 0;
  int expnt = 0;
  auto [j1, j2] = PomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    const int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    std::tie(j1, j2) = PomeranzJ1J2(i, n, ll, ceilf, roundf);
    const std::vector<double>& pw =
        (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    const int64_t ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // Full convolution of v0[k1 - v0s, +ln2) with pw[0, ln2) (both clipped
    // to the vectors, as numpy slicing is).
    const auto a0 = static_cast<size_t>(k1 - v0s);
    const size_t la = std::min(static_cast<size_t>(ln2), npwrs - std::min(a0, npwrs));
    const size_t lb = std::min(static_cast<size_t>(ln2), npwrs);
    if (la == 0) continue;
    conv.assign(la + lb - 1, 0.0);
    for (size_t p = 0; p < la; ++p) {
      for (size_t q = 0; q < lb; ++q) conv[p + q] += v0[a0 + p] * pw[q];
    }
    const auto conv_start = static_cast<size_t>(j1 - k1);
    const auto conv_len = static_cast<size_t>(j2 - j1 + 1);
    double vmax = 0;
    for (size_t c = 0; c < conv_len && conv_start + c < conv.size(); ++c) {
      v1[c] = conv[conv_start + c];
      vmax = std::max(vmax, v1[c]);
    }
    if (vmax > 0 && vmax < kEm128) {
      for (double& e : v1) e *= kEp128;
      expnt -= kE128;
    }
    v1s = v0s + j1 - k1;
  }
  double ans = v1[static_cast<size_t>(n - v1s)];
  for (int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > kEp128) {
      ans *= kEm128;
      expnt += kE128;
    }
    ans *= static_cast<double>(m);
  }
  if (expnt != 0) ans = std::ldexp(ans, expnt);
  return Clip(ans);
}

// Pelz–Good (1976) asymptotic series for P(D_n <= x).
double PelzGoodCdf(uint64_t n, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double dn = static_cast<double>(n);
  const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double sqrt2pi = std::sqrt(2 * kPi);
  const double z = std::sqrt(dn) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  double q = std::exp(qlog);
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4,
               k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16,
               k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * std::pow(z, 8);
  double kk[4] = {0, 0, 0, 0};
  const auto maxk = static_cast<int64_t>(std::ceil(16 * z / kPi));
  for (int64_t k = maxk; k > 0; --k) {
    const double m = static_cast<double>(2 * k - 1);
    const double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const double qpower = std::pow(q, static_cast<double>(8 * k));
    const double coeffs[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                              k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) kk[i] = kk[i] * qpower + coeffs[i];
  }
  const double div[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) kk[i] = kk[i] * q * sqrt2pi / div[i];
  q = std::exp(-pi2 / 2 / z2);
  const double sqrt3z = std::sqrt(3.0) * z;
  double k2extra = 0, k3extra = 0;
  for (int64_t k = maxk; k > 0; --k) {
    const double dk = static_cast<double>(k);
    const double ksq = dk * dk;
    const double qp = std::pow(q, ksq);
    const double kspi = kPi * dk;
    k2extra += ksq * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
  }
  kk[2] += k2extra * (pi2 * sqrt2pi / (-36 * z3));
  kk[3] += k3extra * (pi2 * sqrt2pi / (216 * z6));
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += kk[i] / std::pow(dn, i / 2.0);
  return sum;
}

}  // namespace

double KolmogorovSf(uint64_t n, double x) {
  if (n == 0 || std::isnan(x)) return kNaN;
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  if (t <= 1.0) {  // Ruben–Gambino: 1/2n <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double prob;
    if (n <= 140) {
      prob = 1.0;
      for (uint64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      prob = std::exp(LogNFactorialDivNPowN(dn) + dn * std::log(2 * t - 1));
    }
    return Clip(1.0 - prob);
  }
  if (t >= dn - 1) return Clip(2 * std::pow(1.0 - x, dn));  // Ruben–Gambino
  if (x >= 0.5) return Clip(2 * SmirnovSf(n, x));
  const double nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return Clip(1.0 - DurbinMatrixCdf(n, x));
    if (nxsquared <= 4) return Clip(1.0 - PomeranzCdf(n, x));
    return Clip(2 * SmirnovSf(n, x));
  }
  if (nxsquared >= 370.0) return 0.0;
  if (nxsquared >= 2.2) return Clip(2 * SmirnovSf(n, x));
  double cdf;
  if (nxsquared >= 18.0) {
    cdf = 1.0;
  } else if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    cdf = DurbinMatrixCdf(n, x);
  } else {
    cdf = PelzGoodCdf(n, x);
  }
  return Clip(1.0 - cdf);
}

}  // namespace mlpipe::stats
