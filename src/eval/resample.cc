#include "resample.h"

#include <limits>
#include <string>

#include "mlpipe/core/random.h"

namespace mlpipe::eval::internal {
namespace {

template <typename T>
std::span<const T> Gather(std::span<const T> source, std::span<const uint32_t> rows, size_t stride,
                          std::vector<T>& out) {
  if (source.empty()) return {};
  out.resize(rows.size() * stride);
  for (size_t j = 0; j < rows.size(); ++j) {
    for (size_t c = 0; c < stride; ++c) out[j * stride + c] = source[rows[j] * stride + c];
  }
  return out;
}

}  // namespace

Status CheckResamplable(std::string_view context, const MetricInput& in) {
  const size_t n = in.rows();
  const std::string where(context);
  if (n == 0) return InvalidArgumentError(where + ": labels / y_true: empty input");
  if (n > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgumentError(where + ": " + std::to_string(n) +
                                " rows exceed the 32-bit row index");
  }
  auto same = [&](const char* name, size_t size) -> Status {
    if (size != 0 && size != n) {
      return InvalidArgumentError(where + ": " + name + ": length " + std::to_string(size) +
                                  " differs from the " + std::to_string(n) + " rows");
    }
    return Status::OK();
  };
  MLPIPE_RETURN_IF_ERROR(same("predicted", in.predicted.size()));
  MLPIPE_RETURN_IF_ERROR(same("groups", in.groups.size()));
  MLPIPE_RETURN_IF_ERROR(same("y_true", in.y_true.size()));
  MLPIPE_RETURN_IF_ERROR(same("y_pred", in.y_pred.size()));
  MLPIPE_RETURN_IF_ERROR(same("weights", in.weights.size()));
  if (in.probabilities.size() % n != 0) {
    return InvalidArgumentError(
        where + ": probabilities: " + std::to_string(in.probabilities.size()) +
        " values are not a whole number per row for " + std::to_string(n) + " rows");
  }
  return Status::OK();
}

const MetricInput& Resampler::Take(const MetricInput& source, std::span<const uint32_t> rows) {
  view_ = source;  // scalars (num_classes, num_groups, lift_fraction)
  const size_t n = source.rows();
  view_.labels = Gather(source.labels, rows, 1, labels_);
  view_.predicted = Gather(source.predicted, rows, 1, predicted_);
  view_.groups = Gather(source.groups, rows, 1, groups_);
  view_.y_true = Gather(source.y_true, rows, 1, y_true_);
  view_.y_pred = Gather(source.y_pred, rows, 1, y_pred_);
  view_.weights = Gather(source.weights, rows, 1, weights_);
  // Probabilities hold one value per row (binary) or num_classes.
  const size_t stride = n > 0 ? source.probabilities.size() / n : 1;
  view_.probabilities = Gather(source.probabilities, rows, stride, probabilities_);
  return view_;
}

std::vector<double> RunResamples(
    size_t n, const stats::BootstrapOptions& options,
    const std::function<double(std::span<const uint32_t> rows, Scratch& scratch)>& statistic) {
  const auto resamples = static_cast<size_t>(options.resamples);
  std::vector<double> values(resamples);
  auto run = [&](size_t begin, size_t end) {
    std::vector<uint32_t> rows(n);
    Scratch scratch;
    for (size_t r = begin; r < end; ++r) {
      // Each resample owns the stream Derive(seed, r): independent of threads.
      core::Rng rng(core::Rng::Derive(options.seed, r));
      for (auto& row : rows) row = static_cast<uint32_t>(rng.Below(n));
      values[r] = statistic(rows, scratch);
    }
  };
  if (options.pool != nullptr) {
    options.pool->ParallelFor(resamples, run);
  } else {
    run(0, resamples);
  }
  return values;
}

}  // namespace mlpipe::eval::internal
