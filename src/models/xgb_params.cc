#include "xgb_params.h"

namespace mlpipe::models {

HyperParamSpec MaxDepthSpec(std::string description, double default_value, double max,
                            double search_min, double search_max) {
  return {.name = "max_depth",
          .type = ParamType::kInt,
          .description = std::move(description),
          .default_number = default_value,
          .min = 1,
          .max = max,
          .choices = {},
          .default_choice = {},
          .search_min = search_min,
          .search_max = search_max};
}

HyperParamSpec NEstimatorsSpec(std::string description, double max) {
  return {.name = "n_estimators",
          .type = ParamType::kInt,
          .description = std::move(description),
          .default_number = 100,
          .min = 1,
          .max = max,
          .log_scale = true,
          .choices = {},
          .default_choice = {},
          .search_min = 50,
          .search_max = 500};
}

HyperParamSpec MinChildWeightSpec(double search_max) {
  return {.name = "min_child_weight",
          .type = ParamType::kFloat,
          .description = "minimum hessian weight in a leaf",
          .default_number = 1,
          .min = 0,
          .max = 100,
          .choices = {},
          .default_choice = {},
          .search_min = 0.5,
          .search_max = search_max};
}

HyperParamSpec RegLambdaSpec(double default_value, double search_max) {
  return {.name = "reg_lambda",
          .type = ParamType::kFloat,
          .description = "L2 penalty on leaf weights",
          .default_number = default_value,
          .min = 0,
          .max = 100,
          .choices = {},
          .default_choice = {},
          .search_min = 0,
          .search_max = search_max};
}

Status AddXgbParams(const ResolvedParams& p,
                    const std::vector<std::pair<std::string, std::string>>& names,
                    XgbTrainPlan* plan) {
  for (const auto& [xgb_name, name] : names) {
    MLPIPE_ASSIGN_OR_RETURN(double v, p.Number(name));
    plan->params.emplace_back(xgb_name, XgbNumber(v));
  }
  return Status::OK();
}

}  // namespace mlpipe::models
