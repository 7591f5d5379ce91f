// rf: a random forest in XGBoost's forest mode — one boosting round of
// num_parallel_tree trees, each on a row subsample with features sampled per
// node, learning rate 1.
#include "families.h"
#include "xgb_model.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "rf";

XgbTrainPlan Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  plan.rounds = 1;
  plan.params = {
      {"num_parallel_tree", std::to_string(p.Int("n_estimators"))},
      {"max_depth", std::to_string(p.Int("max_depth"))},
      {"eta", "1"},
      {"subsample", XgbNumber(p.Float("subsample"))},
      {"colsample_bynode", XgbNumber(p.Float("colsample_bynode"))},
      {"min_child_weight", XgbNumber(p.Float("min_child_weight"))},
      {"reg_lambda", XgbNumber(p.Float("reg_lambda"))},
  };
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
              {"n_estimators", T::kInt, "number of trees", 100, 1, 2000, true, {}, "", 50, 500},
              {"max_depth", T::kInt, "maximum depth of each tree", 8, 1, 16, false, {}, "", 4, 16},
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
              {"min_child_weight",
               T::kFloat,
               "minimum hessian weight in a leaf",
               1,
               0,
               100,
               false,
               {},
               "",
               0.5,
               10},
              {"reg_lambda",
               T::kFloat,
               "L2 penalty on leaf weights",
               1e-5,
               0,
               100,
               false,
               {},
               "",
               0,
               1},
          },
      .interpretable = false,
      .tasks = {Task::kBinary, Task::kMulticlass, Task::kRegression},
      .factory = [] { return NewXgbEstimator(kName, Plan); },
  };
}

}  // namespace mlpipe::models
