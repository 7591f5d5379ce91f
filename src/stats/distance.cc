#include "mlpipe/stats/distance.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

namespace mlpipe::stats {
namespace {

// Checks that p and q are two equally long, non-empty vectors of finite
// non-negative numbers with positive sums; returns them normalised.
Status Normalise(std::span<const double> p, std::span<const double> q, const char* fn,
                 std::vector<double>& pn, std::vector<double>& qn) {
  if (p.empty() || q.empty()) return InvalidArgumentError(std::string(fn) + ": empty input");
  if (p.size() != q.size()) {
    return InvalidArgumentError(std::string(fn) + ": lengths differ (" + std::to_string(p.size()) +
                                " vs " + std::to_string(q.size()) + ")");
  }
  double sp = 0, sq = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    for (auto [v, name] : {std::pair{p[i], "p"}, std::pair{q[i], "q"}}) {
      if (!std::isfinite(v) || v < 0) {
        return InvalidArgumentError(std::string(fn) + ": " + name + "[" + std::to_string(i) +
                                    "] = " + std::to_string(v) + " is not finite and non-negative");
      }
    }
    sp += p[i];
    sq += q[i];
  }
  if (sp == 0 || sq == 0) {
    return InvalidArgumentError(std::string(fn) + ": " + (sp == 0 ? "p" : "q") + " sums to 0");
  }
  pn.resize(p.size());
  qn.resize(q.size());
  for (size_t i = 0; i < p.size(); ++i) {
    pn[i] = p[i] / sp;
    qn[i] = q[i] / sq;
  }
  return Status::OK();
}

// scipy.special.rel_entr(x, y) for x, y >= 0.
double RelEntr(double x, double y) {
  if (x == 0) return 0;
  if (y == 0) return std::numeric_limits<double>::infinity();
  return x * std::log(x / y);
}

// A sample sorted with its weights (all 1 when `weights` is empty), and the
// cumulative weights: cum[i] = weight of the first i values.
struct SortedSample {
  std::vector<double> values;
  std::vector<double> cum;
};

Result<SortedSample> SortSample(std::span<const double> values, std::span<const double> weights,
                                const char* name) {
  if (values.empty()) {
    return InvalidArgumentError(std::string("WassersteinDistance: ") + name + " is empty");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return InvalidArgumentError(std::string("WassersteinDistance: ") + name + "[" +
                                  std::to_string(i) + "] is not finite");
    }
  }
  SortedSample s;
  const size_t n = values.size();
  if (weights.empty()) {
    s.values.assign(values.begin(), values.end());
    std::sort(s.values.begin(), s.values.end());
    s.cum.resize(n + 1);
    for (size_t i = 0; i <= n; ++i) s.cum[i] = static_cast<double>(i);
    return s;
  }
  if (weights.size() != n) {
    return InvalidArgumentError(std::string("WassersteinDistance: ") + name + " has " +
                                std::to_string(n) + " values but " +
                                std::to_string(weights.size()) + " weights");
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0) {
      return InvalidArgumentError(std::string("WassersteinDistance: ") + name + " weight[" +
                                  std::to_string(i) + "] = " + std::to_string(weights[i]) +
                                  " is not finite and non-negative");
    }
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  s.values.resize(n);
  s.cum.resize(n + 1);
  s.cum[0] = 0;
  for (size_t i = 0; i < n; ++i) {
    s.values[i] = values[order[i]];
    s.cum[i + 1] = s.cum[i] + weights[order[i]];
  }
  if (!(s.cum[n] > 0) || !std::isfinite(s.cum[n])) {
    return InvalidArgumentError(std::string("WassersteinDistance: ") + name +
                                " weights must sum to a positive finite value");
  }
  return s;
}

}  // namespace

Result<double> PopulationStabilityIndex(std::span<const double> expected,
                                        std::span<const double> actual, double epsilon) {
  if (!(epsilon > 0)) {
    return InvalidArgumentError("PopulationStabilityIndex: epsilon must be > 0, got " +
                                std::to_string(epsilon));
  }
  std::vector<double> e, a;
  MLPIPE_RETURN_IF_ERROR(Normalise(expected, actual, "PopulationStabilityIndex", e, a));
  double psi = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    const double ei = std::max(e[i], epsilon);
    const double ai = std::max(a[i], epsilon);
    psi += (ai - ei) * std::log(ai / ei);
  }
  return psi;
}

Result<double> JensenShannonDistance(std::span<const double> p, std::span<const double> q,
                                     double base) {
  if (base != 0 && !(base > 0 && base != 1 && std::isfinite(base))) {
    return InvalidArgumentError("JensenShannonDistance: base must be 0 (natural) or > 0 and != 1");
  }
  std::vector<double> pn, qn;
  MLPIPE_RETURN_IF_ERROR(Normalise(p, q, "JensenShannonDistance", pn, qn));
  double left = 0, right = 0;
  for (size_t i = 0; i < pn.size(); ++i) {
    const double m = (pn[i] + qn[i]) / 2.0;
    left += RelEntr(pn[i], m);
    right += RelEntr(qn[i], m);
  }
  double js = left + right;
  if (base != 0) js /= std::log(base);
  return std::sqrt(std::max(js, 0.0) / 2.0);
}

Result<double> WassersteinDistance(std::span<const double> u, std::span<const double> v,
                                   std::span<const double> u_weights,
                                   std::span<const double> v_weights) {
  MLPIPE_ASSIGN_OR_RETURN(SortedSample su, SortSample(u, u_weights, "u"));
  MLPIPE_ASSIGN_OR_RETURN(SortedSample sv, SortSample(v, v_weights, "v"));
  const double u_total = su.cum.back(), v_total = sv.cum.back();
  // scipy's _cdf_distance(1, ...): over the pooled sorted values t_0..t_{N-1},
  // sum_k |U(t_k) - V(t_k)| (t_{k+1} - t_k), U and V right-continuous.
  std::vector<double> all(su.values.size() + sv.values.size());
  std::merge(su.values.begin(), su.values.end(), sv.values.begin(), sv.values.end(), all.begin());
  const size_t nu = su.values.size(), nv = sv.values.size();
  size_t i = 0, j = 0;
  double distance = 0;
  for (size_t k = 0; k + 1 < all.size(); ++k) {
    const double t = all[k];
    while (i < nu && su.values[i] <= t) ++i;
    while (j < nv && sv.values[j] <= t) ++j;
    distance += std::abs(su.cum[i] / u_total - sv.cum[j] / v_total) * (all[k + 1] - t);
  }
  return distance;
}

Result<double> HellingerDistance(std::span<const double> p, std::span<const double> q) {
  std::vector<double> pn, qn;
  MLPIPE_RETURN_IF_ERROR(Normalise(p, q, "HellingerDistance", pn, qn));
  double s = 0;
  for (size_t i = 0; i < pn.size(); ++i) {
    const double d = std::sqrt(pn[i]) - std::sqrt(qn[i]);
    s += d * d;
  }
  return std::sqrt(s / 2.0);
}

}  // namespace mlpipe::stats
