// gbdt: gradient-boosted trees, XGBoost's hist method.
#include "families.h"
#include "xgb_model.h"
#include "xgb_params.h"

namespace mlpipe::models {

namespace {

constexpr std::string_view kName = "gbdt";

Result<XgbTrainPlan> Plan(const ResolvedParams& p) {
  XgbTrainPlan plan;
  MLPIPE_ASSIGN_OR_RETURN(const int64_t rounds, p.Int("n_estimators"));
  MLPIPE_ASSIGN_OR_RETURN(const int64_t patience, p.Int("early_stopping_rounds"));
  plan.rounds = static_cast<int>(rounds);
  plan.early_stopping_rounds = static_cast<int>(patience);
  MLPIPE_RETURN_IF_ERROR(AddXgbParams(p,
                                      {{"max_depth", "max_depth"},
                                       {"eta", "learning_rate"},
                                       {"subsample", "subsample"},
                                       {"colsample_bytree", "colsample_bytree"},
                                       {"min_child_weight", "min_child_weight"},
                                       {"reg_lambda", "reg_lambda"}},
                                      &plan));
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
              NEstimatorsSpec("boosting rounds (the most; early stopping may use fewer)", 5000),
              MaxDepthSpec("maximum depth of each tree", 6, 16, 2, 10),
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
              MinChildWeightSpec(20),
              RegLambdaSpec(1, 10),
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
