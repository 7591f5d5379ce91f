#include "mlpipe/stats/bootstrap.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "mlpipe/core/random.h"
#include "mlpipe/stats/quantile.h"

namespace mlpipe::stats {

Status BootstrapOptions::Validate() const {
  if (resamples < 1) {
    return InvalidArgumentError("bootstrap.resamples: must be >= 1, got " +
                                std::to_string(resamples));
  }
  if (!(confidence > 0 && confidence < 1)) {
    return InvalidArgumentError("bootstrap.confidence: must be in (0, 1), got " +
                                std::to_string(confidence));
  }
  return Status::OK();
}

Result<ConfidenceInterval> BootstrapPercentileCi(size_t n, const IndexStatistic& statistic,
                                                 const BootstrapOptions& options) {
  MLPIPE_RETURN_IF_ERROR(options.Validate());
  if (n == 0) return InvalidArgumentError("BootstrapPercentileCi: no rows (n = 0)");
  if (n > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgumentError("BootstrapPercentileCi: n = " + std::to_string(n) +
                                " rows exceeds the 32-bit row index");
  }
  if (!statistic) return InvalidArgumentError("BootstrapPercentileCi: empty statistic");

  ConfidenceInterval ci;
  {
    std::vector<uint32_t> rows(n);
    for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(i);
    ci.estimate = statistic(rows);
  }
  const auto resamples = static_cast<size_t>(options.resamples);
  std::vector<double> values(resamples);
  // Each resample owns the random stream Derive(seed, r): the values do not
  // depend on which thread draws them or in which order.
  auto run = [&](size_t begin, size_t end) {
    std::vector<uint32_t> rows(n);  // one buffer per chunk, reused
    for (size_t r = begin; r < end; ++r) {
      core::Rng rng(core::Rng::Derive(options.seed, r));
      for (auto& row : rows) row = static_cast<uint32_t>(rng.Below(n));
      values[r] = statistic(rows);
    }
  };
  if (options.pool != nullptr) {
    options.pool->ParallelFor(resamples, run);
  } else {
    run(0, resamples);
  }
  const double alpha = (1 - options.confidence) / 2;
  const double qs[2] = {alpha, 1 - alpha};
  const std::vector<double> bounds = Quantiles(values, qs);
  ci.low = bounds[0];
  ci.high = bounds[1];
  return ci;
}

}  // namespace mlpipe::stats
