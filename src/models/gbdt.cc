// gbdt: gradient-boosted trees, XGBoost's hist method.
#include "families.h"
#include "xgb_model.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "gbdt";

XgbTrainPlan Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  plan.rounds = static_cast<int>(p.Int("n_estimators"));
  plan.early_stopping_rounds = static_cast<int>(p.Int("early_stopping_rounds"));
  plan.params = {
      {"max_depth", std::to_string(p.Int("max_depth"))},
      {"eta", XgbNumber(p.Float("learning_rate"))},
      {"subsample", XgbNumber(p.Float("subsample"))},
      {"colsample_bytree", XgbNumber(p.Float("colsample_bytree"))},
      {"min_child_weight", XgbNumber(p.Float("min_child_weight"))},
      {"reg_lambda", XgbNumber(p.Float("reg_lambda"))},
  };
  return plan;
}

}  // namespace

ModelFamily GbdtFamily() {
  using T = ParamType;
  return {
      .name = std::string(kName),
      .description =
          "gradient-boosted decision trees (XGBoost, hist); early stopping on a "
          "validation set",
      .hyperparameters =
          {
              {"n_estimators",
               T::kInt,
               "boosting rounds (the most; early stopping may use fewer)",
               100,
               1,
               5000,
               true,
               {},
               "",
               50,
               500},
              {"max_depth", T::kInt, "maximum depth of each tree", 6, 1, 16, false, {}, "", 2, 10},
              {"learning_rate",
               T::kFloat,
               "shrinkage of each tree (eta)",
               0.1,
               1e-3,
               1,
               true,
               {},
               "",
               0.01,
               0.3},
              {"subsample",
               T::kFloat,
               "fraction of rows sampled per tree",
               1,
               0.1,
               1,
               false,
               {},
               "",
               0.5,
               1},
              {"colsample_bytree",
               T::kFloat,
               "fraction of features sampled per tree",
               1,
               0.1,
               1,
               false,
               {},
               "",
               0.5,
               1},
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
               20},
              {"reg_lambda",
               T::kFloat,
               "L2 penalty on leaf weights",
               1,
               0,
               100,
               false,
               {},
               "",
               0,
               10},
              {"early_stopping_rounds",
               T::kInt,
               "stop after this many rounds without improvement on the validation set",
               10,
               1,
               1000,
               false,
               {},
               ""},
          },
      .interpretable = false,
      .tasks = {Task::kBinary, Task::kMulticlass, Task::kRegression},
      .factory = [] { return NewXgbEstimator(kName, Plan); },
  };
}

}  // namespace mlpipe::models
