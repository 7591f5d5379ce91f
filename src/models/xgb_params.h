// What the XGBoost tree families (gbdt, rf, tree) share: the specs of their
// common hyperparameters, which differ only in default and ranges, and the
// copying of resolved values into a training plan. Internal to src/models.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mlpipe/models/hyperparams.h"
#include "xgb_model.h"

namespace mlpipe::models {

// max_depth, an int in [1, max].
HyperParamSpec MaxDepthSpec(std::string description, double default_value, double max,
                            double search_min, double search_max);
// n_estimators, an int in [1, max], searched log-uniformly in [50, 500].
HyperParamSpec NEstimatorsSpec(std::string description, double max);
// min_child_weight, in [0, 100] with default 1, searched in [0.5, search_max].
HyperParamSpec MinChildWeightSpec(double search_max);
// reg_lambda, in [0, 100], searched in [0, search_max].
HyperParamSpec RegLambdaSpec(double default_value, double search_max);

// Appends each {XGBoost name, hyperparameter name} of `names` to plan->params
// with the hyperparameter's value as XGBoost reads it (XgbNumber), in order.
// The error names an unknown hyperparameter (ResolvedParams::Number).
Status AddXgbParams(const ResolvedParams& p,
                    const std::vector<std::pair<std::string, std::string>>& names,
                    XgbTrainPlan* plan);

}  // namespace mlpipe::models
