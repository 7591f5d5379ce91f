// LinearModel: margin = intercept + coefficients . x per output, then a link.
// Shared by logreg, linear and ridge. Rejects NaN input with an error naming
// the feature. Internal to src/models.
#pragma once

#include <memory>
#include <vector>

#include "mlpipe/models/estimator.h"
#include "model_common.h"

namespace mlpipe::models {

enum class LinearLink {
  kIdentity,     // regression: the margin is the value
  kLogistic,     // binary: P(class 1) = sigmoid(margin)
  kOvrLogistic,  // multiclass one-vs-rest: sigmoid per class, normalised to sum 1
};

// REQUIRES: coefficients.size() == outputs * features, intercepts.size() == outputs.
std::unique_ptr<Model> MakeLinearModel(ModelInfo info, LinearLink link,
                                       std::vector<double> coefficients,
                                       std::vector<double> intercepts);

// Rebuilds a LinearModel from its saved form (already parsed).
Result<std::unique_ptr<Model>> LoadLinear(const core::Json& saved);

}  // namespace mlpipe::models
