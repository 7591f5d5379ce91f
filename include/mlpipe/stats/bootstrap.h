// Bootstrap confidence intervals with seeded, thread-count-independent
// resampling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "mlpipe/core/status.h"
#include "mlpipe/core/thread_pool.h"

namespace mlpipe::stats {

// The value of a statistic on one resample, given as row indices into the
// caller's data (with repeats; size n). Called concurrently from several
// threads when a pool is given, so it must not mutate shared state.
using IndexStatistic = std::function<double(std::span<const uint32_t> rows)>;

struct BootstrapOptions {
  int resamples = 9999;              // number of resamples (scipy's n_resamples default)
  double confidence = 0.95;          // two-sided confidence level, in (0, 1)
  uint64_t seed = 0;                 // resample r draws from core::Rng(Rng::Derive(seed, r))
  core::ThreadPool* pool = nullptr;  // nullptr: run on the calling thread

  // InvalidArgument naming the field when resamples < 1 or confidence is
  // outside (0, 1).
  Status Validate() const;
};

struct ConfidenceInterval {
  double estimate = 0;  // the statistic on the original sample (rows 0..n-1)
  double low = 0;       // the (1 - confidence) / 2 quantile of the resampled statistics
  double high = 0;      // the (1 + confidence) / 2 quantile
};

// Percentile bootstrap interval of `statistic` over n rows: draws
// `resamples` samples of n rows with replacement, evaluates the statistic on
// each and takes the quantiles (numpy's linear method) of those values, as
// scipy.stats.bootstrap(method='percentile') does. Resample r uses its own
// random stream derived from (seed, r), so the result is the same for a given
// seed whatever the pool and its thread count. A NaN statistic makes the
// bounds NaN (numpy.percentile propagates NaN, as scipy does).
// Errors: InvalidArgument when n == 0, n >= 2^32, the options are invalid or
// `statistic` is empty.
Result<ConfidenceInterval> BootstrapPercentileCi(size_t n, const IndexStatistic& statistic,
                                                 const BootstrapOptions& options = {});

}  // namespace mlpipe::stats
