// Distances between two distributions, for drift monitoring. Each documents
// its definition and the reference it is tested against
// (src/stats/testdata/distance.json, 1e-9 relative).
#pragma once

#include <span>

#include "mlpipe/core/status.h"

namespace mlpipe::stats {

// The floor for an empty bin in PopulationStabilityIndex.
inline constexpr double kPsiEpsilon = 1e-4;

// Population stability index of `actual` bin counts against `expected`
// (reference) bin counts over the same bins:
//   PSI = sum_i (a_i - e_i) ln(a_i / e_i),
// where e_i, a_i are the proportions count / total, each raised to at least
// `epsilon` so that an empty bin gives a large but finite term (the
// proportions are not renormalised afterwards). Rules of thumb: < 0.1 stable,
// 0.1-0.25 moderate shift, > 0.25 major shift. No scipy function; tested
// against the same formula written in numpy.
// Errors: InvalidArgument for mismatched lengths, no bins, a negative or
// non-finite count, a zero total, or epsilon <= 0.
Result<double> PopulationStabilityIndex(std::span<const double> expected,
                                        std::span<const double> actual,
                                        double epsilon = kPsiEpsilon);

// Jensen–Shannon distance between two discrete distributions (each
// normalised to sum 1 first): sqrt((KL(p || m) + KL(q || m)) / 2) with
// m = (p + q) / 2, logarithms in `base` (0: natural log). In [0, 1] for
// base 2, [0, sqrt(ln 2)] for base e.
// scipy.spatial.distance.jensenshannon(p, q, base).
// Errors: InvalidArgument for mismatched lengths, empty input, negative or
// non-finite entries, a zero sum, or base that is not 0 and not > 0, != 1.
Result<double> JensenShannonDistance(std::span<const double> p, std::span<const double> q,
                                     double base = 0);

// First Wasserstein (earth mover's) distance between two 1-D samples,
// optionally weighted: the integral of |U(t) - V(t)| over t, U and V the
// (weighted) empirical CDFs. Empty weights mean every value weighs 1.
// scipy.stats.wasserstein_distance(u, v, u_weights, v_weights).
// Errors: InvalidArgument for an empty sample, a NaN/inf value, weights whose
// length differs from their sample, a negative or non-finite weight, or
// weights summing to 0.
Result<double> WassersteinDistance(std::span<const double> u, std::span<const double> v,
                                   std::span<const double> u_weights = {},
                                   std::span<const double> v_weights = {});

// Hellinger distance between two discrete distributions (each normalised to
// sum 1): sqrt(sum_i (sqrt p_i - sqrt q_i)^2 / 2), in [0, 1]. No scipy
// function; tested against the formula in numpy.
// Errors: as JensenShannonDistance.
Result<double> HellingerDistance(std::span<const double> p, std::span<const double> q);

}  // namespace mlpipe::stats
