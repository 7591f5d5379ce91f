// rf: a random forest in XGBoost's forest mode — one boosting round of
// num_parallel_tree trees, each on a row subsample with features sampled per
// node, learning rate 1.
#include "families.h"
#include "xgb_model.h"
#include "xgb_params.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "rf";

Result<XgbTrainPlan> Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  plan.rounds = 1;
  MLPIPE_RETURN_IF_ERROR(
      AddXgbParams(p, {{"num_parallel_tree", "n_estimators"}, {"max_depth", "max_depth"}}, &plan));
  plan.params.emplace_back("eta", "1");
  MLPIPE_RETURN_IF_ERROR(AddXgbParams(p,
                                      {{"subsample", "subsample"},
                                       {"colsample_bynode", "colsample_bynode"},
                                       {"min_child_weight", "min_child_weight"},
                                       {"reg_lambda", "reg_lambda"}},
                                      &plan));
  return plan;
}

}  // namespace

ModelFamily RfFamily() {
  using T = ParamType;
  return {
      .name = std::string(kName),
      .description = "random forest (XGBoost forest mode: one round of parallel trees)",
      .hyperparameters =
          {
              NEstimatorsSpec("number of trees", 2000),
              MaxDepthSpec("maximum depth of each tree", 8, 16, 4, 16),
              {"subsample",
               T::kFloat,
               "fraction of rows sampled per tree (< 1)",
               0.8,
               0.1,
               0.99,
               false,
               {},
               ""},
              {"colsample_bynode",
               T::kFloat,
               "fraction of features sampled per split",
               0.8,
               0.1,
               1,
               false,
               {},
               ""},
              MinChildWeightSpec(10),
              RegLambdaSpec(1e-5, 1),
          },
      .interpretable = false,
      .tasks = {Task::kBinary, Task::kMulticlass, Task::kRegression},
      .factory = [] { return NewXgbEstimator(kName, Plan); },
  };
}

}  // namespace mlpipe::models
