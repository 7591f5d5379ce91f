// Row resampling of a MetricInput for the bootstrap.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/eval/metric_input.h"
#include "mlpipe/stats/bootstrap.h"

namespace mlpipe::eval::internal {

// Owns the resampled copies of every per-row field of a source input. One
// per thread; Take() reuses the buffers.
class Resampler {
 public:
  // The source's rows `rows` (with repeats). The returned view points into
  // this object and is valid until the next Take() or destruction.
  const MetricInput& Take(const MetricInput& source, std::span<const uint32_t> rows);

 private:
  std::vector<int32_t> labels_, predicted_, groups_;
  std::vector<double> probabilities_, y_true_, y_pred_, weights_;
  MetricInput view_;
};

// InvalidArgument unless every non-empty per-row field of `in` has rows()
// entries (probabilities: a whole number per row), rows() > 0 and rows() fits
// a 32-bit index: what Take() needs to stay in bounds.
Status CheckResamplable(std::string_view context, const MetricInput& in);

// Per-thread scratch of RunResamples: one resampler per compared input.
struct Scratch {
  Resampler a, b;
};

// Evaluates `statistic` on options.resamples resamples of n rows, in parallel
// on options.pool when set. Resample r draws n indices from
// core::Rng(Rng::Derive(seed, r)), exactly as stats::BootstrapPercentileCi
// does, so values[r] does not depend on the thread count. The statistic
// returns NaN for a resample to be skipped.
std::vector<double> RunResamples(
    size_t n, const stats::BootstrapOptions& options,
    const std::function<double(std::span<const uint32_t> rows, Scratch& scratch)>& statistic);

}  // namespace mlpipe::eval::internal
