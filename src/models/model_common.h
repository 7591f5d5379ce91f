// Helpers shared by the model families: fit validation and the saved form's
// envelope. Internal to src/models.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/models/hyperparams.h"

namespace mlpipe::models {

inline constexpr int kFormatVersion = 1;

// What every saved model records besides its own "model" part.
struct ModelInfo {
  std::string family;
  Task task = Task::kBinary;
  size_t num_classes = 0;  // 0 for regression
  std::vector<std::string> feature_names;
  core::Json params = core::Json::object();
};

// Checks what every family needs: the family supports the task, shapes agree,
// labels are class indices 0..k-1 (each class present) or finite values,
// weights are positive, nthread >= 1; then resolves the hyperparameters.
// Checks the validation set the same way. `allow_nan` is false for linear
// models: a NaN is then an error naming the feature and row.
Result<ResolvedParams> PrepareFit(std::string_view family, const Dataset& train,
                                  const FitOptions& options, bool allow_nan);

// The ModelInfo of a fit.
ModelInfo MakeInfo(std::string_view family, const Dataset& train, const FitOptions& options,
                   const ResolvedParams& params);

// Error naming the first NaN of `x` (feature name, column and row), or OK.
Status CheckNoNan(const table::DenseMatrix& x, std::string_view who);
// Error unless x.cols == names.size().
Status CheckColumns(const table::DenseMatrix& x, const std::vector<std::string>& names,
                    std::string_view who);

// {"name", "format_version", "task", "num_classes", "feature_names", "params",
// "model": model} serialised compactly.
std::string SaveEnvelope(const ModelInfo& info, const core::Json& model);
// Reads the envelope fields back (the caller reads "model").
Result<ModelInfo> ReadEnvelope(const core::Json& saved);

// Fills probabilities' argmax into p.labels.
void FillArgmax(Predictions& p);

}  // namespace mlpipe::models
