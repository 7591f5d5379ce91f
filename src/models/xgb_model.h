// XgbModel: a fitted XGBoost tree ensemble (families gbdt, rf and tree). It
// predicts with the compiled TreeEnsemblePredictor and explains with
// XGBoost's SHAP contributions. Also the one Estimator of those families,
// which differ only in their training plan. Internal to src/models.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlpipe/models/estimator.h"
#include "model_common.h"

namespace mlpipe::models {

// How a family trains with XGBoost: the family's own parameters (besides
// objective, num_class, tree_method, seed and nthread, which FitXgb sets).
struct XgbTrainPlan {
  std::vector<std::pair<std::string, std::string>> params;
  int rounds = 1;
  int early_stopping_rounds = 0;  // > 0: stop when the validation metric has
                                  // not improved for this many rounds and keep
                                  // the best round's trees
};

// Trains with XGBoost's hist method. REQUIRES: PrepareFit succeeded.
Result<std::unique_ptr<Model>> FitXgb(ModelInfo info, const Dataset& train,
                                      const FitOptions& options, const XgbTrainPlan& plan);

// Rebuilds an XgbModel from its saved form (already parsed).
Result<std::unique_ptr<Model>> LoadXgb(const core::Json& saved);

// A number as XGBoost reads a parameter: shortest round-trip text.
std::string XgbNumber(double v);

// How a family turns its resolved hyperparameters into a training plan.
using XgbPlanFn = Result<XgbTrainPlan> (*)(const ResolvedParams& p);

// The Estimator of an XGBoost family `name` (a string with static storage):
// PrepareFit, `plan`, FitXgb; Load is LoadXgb.
std::unique_ptr<Estimator> NewXgbEstimator(std::string_view name, XgbPlanFn plan);

}  // namespace mlpipe::models
